using EmissionMonitor.Alerts;
using EmissionMonitor.Alerts.Rules;
using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Cards;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Reports;
using EmissionMonitor.Security;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EmissionMonitor.Tests.Alerts;

/// <summary>
/// The rule families that judge on the clock — the daily rates and cards, the barometer, key age —
/// each on its own: a fake clock, a desk over a real book, the reports over a real SQLite store.
/// </summary>
public sealed class TimedRuleTests : IAsyncLifetime
{
    /// <summary>2025-07-01 01:59 in Shanghai: a minute before the daily judging.</summary>
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 6, 30, 17, 59, 0, TimeSpan.Zero));
    private readonly SqliteStore _store = new(Some.TempDirectory());
    private readonly ComplianceOptions _compliance = new();

    public Task InitializeAsync() => _store.InitializeAsync(CancellationToken.None);

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private ReportService Reports() => new(_store, Some.Registry(), _compliance, new CardOptions(), RuleDesk.Shanghai, _clock);

    /// <summary>A local day's 24 hourly records of the outlet, stored.</summary>
    private async Task StoreDayAsync(string mn, DateTime day, Func<DateTime, Hj212Packet> hour)
    {
        var items = Enumerable.Range(0, 24).Select(h => RuleDesk.Intake(hour(day.AddHours(h)), _clock)).ToList();
        Assert.All(await _store.CommitAsync(items, CancellationToken.None), o => Assert.Equal("accepted", o.Status));
    }

    private static Hj212Packet Gas(DateTime at, decimal so2 = 20m, decimal? kg = null)
    {
        var b = Some.Hourly(at: at).Value("a21026", "ZsAvg", so2);
        return (kg is { } c ? b.Value("a21026", "Cou", c) : b).Value("a21026", "Flag", "N")
            .Value("a21002", "ZsAvg", 20m).Value("a21002", "Flag", "N").Value("a34013", "ZsAvg", 5m).Value("a34013", "Flag", "N").Build();
    }

    private static Hj212Packet Water(DateTime at) =>
        Some.Hourly(mn: "QHXN0020001", pw: "654321", at: at).Value("w01018", "Avg", 20m).Value("w01018", "Flag", "N")
            .Value("w21003", "Avg", 2m).Value("w21003", "Flag", "N").Value("w01001", "Avg", 7m).Value("w01001", "Flag", "N").Build();

    private static readonly DateTime Yesterday = new(2025, 6, 30);

    private static string[] OpenOutlets(RuleDesk desk, string kind) => desk.Book.Open(kind).Select(a => a.Mn).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task TheDailyRule_JudgesYesterdaysRatesAt2_AndLateDataForThatDayJudgesTheOutletAgain()
    {
        await StoreDayAsync("QHXN0010001", Yesterday, t => Gas(t));
        var desk = new RuleDesk(_clock);
        var rule = new DailyRule(_compliance, Reports, Some.Registry);
        await rule.OnTickAsync(desk, CancellationToken.None);
        Assert.Empty(desk.Changes); // 01:59: not yet

        _clock.Advance(TimeSpan.FromMinutes(1));
        await rule.OnTickAsync(desk, CancellationToken.None);
        var low = Assert.Single(desk.Book.Open("low-rate"));
        Assert.Equal(("QHXN0020001", 0.0, 0.9), (low.Mn, low.Value, low.Limit)); // the water outlet sent nothing yesterday; the gas outlet every hour
        Assert.Equal(new DateTimeOffset(Yesterday, TimeSpan.FromHours(8)), low.DataFrom);
        Assert.Equal("2025-06-30", low.Params!["day"]);
        int judged = desk.Changes.Count;
        await rule.OnTickAsync(desk, CancellationToken.None);
        Assert.Equal(judged, desk.Changes.Count); // once a day

        // The water outlet's terminal back-fills yesterday: the day is judged again for it, and it is complete now.
        await StoreDayAsync("QHXN0020001", Yesterday, Water);
        await rule.OnCommittedAsync(RuleDesk.Commit(Water(Yesterday.AddHours(23)), _clock) with { Live = false }, desk, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(2));
        await rule.OnTickAsync(desk, CancellationToken.None);
        Assert.Empty(desk.Book.Open("low-rate"));
        Assert.Equal(("low-rate", "QHXN0020001", "cleared"), (desk.Changes[^1].Kind, desk.Changes[^1].Mn, desk.Changes[^1].State));
    }

    [Fact]
    public async Task WhileABackfillIsArriving_TheDailyJudgingWaitsUntilItIsQuiet_ButNotMoreThanAnHour()
    {
        var desk = new RuleDesk(_clock);
        var rule = new DailyRule(_compliance, Reports, Some.Registry, new AlertOptions { BackfillQuiet = TimeSpan.FromMinutes(10) });
        async Task BackfillAsync() =>
            await rule.OnCommittedAsync(RuleDesk.Commit(Gas(Yesterday.AddDays(-10)), _clock) with { Live = false }, desk, CancellationToken.None);

        await BackfillAsync(); // 01:59
        _clock.Advance(TimeSpan.FromMinutes(1));
        await rule.OnTickAsync(desk, CancellationToken.None);
        Assert.Empty(desk.Changes); // 02:00, back-filled data a minute ago: waits

        _clock.Advance(TimeSpan.FromMinutes(10));
        await rule.OnTickAsync(desk, CancellationToken.None);
        Assert.Equal(["QHXN0010001", "QHXN0020001"], OpenOutlets(desk, "low-rate")); // quiet for ten minutes: judged

        // The next night a terminal back-fills without pause: judged an hour after 02:00 anyway.
        _clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(10));
        desk = new RuleDesk(_clock); // yesterday's alerts are another desk's
        for (int minute = 0; minute < 60; minute += 5)
        {
            await BackfillAsync();
            await rule.OnTickAsync(desk, CancellationToken.None);
            _clock.Advance(TimeSpan.FromMinutes(5));
        }

        Assert.DoesNotContain(desk.Changes, a => a.Kind == "low-rate");
        await BackfillAsync();
        await rule.OnTickAsync(desk, CancellationToken.None);
        Assert.Contains(desk.Changes, a => a.Kind == "low-rate"); // 03:00
    }

    [Fact]
    public async Task TheDailyRule_ProposesAnEnterprisesCard_FromTheQuarterSoFar_AndClearsIt_WhenTheCardIsDismissed()
    {
        // Q3 so far: from 1 July; the gas outlet's SO2 beyond its limit (35) in every hour of the first week.
        _clock.Advance(TimeSpan.FromDays(7));
        for (int day = 0; day < 7; day++)
        {
            await StoreDayAsync("QHXN0010001", new DateTime(2025, 7, 1).AddDays(day), t => Gas(t, so2: 80m));
        }

        var desk = new RuleDesk(_clock);
        var rule = new DailyRule(_compliance, Reports, Some.Registry);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await rule.OnTickAsync(desk, CancellationToken.None);
        var card = Assert.Single(desk.Book.Open("card"));
        Assert.Equal(("QHXN0010001", "QH-XN-001", "yellow", "2025Q3"), (card.Mn, card.Enterprise, card.Params!["colour"], card.Params["quarter"]));

        await _store.AddCardDecisionAsync(new CardDecision("QH-XN-001", "2025Q3", CardDecision.Dismissed, _clock.GetUtcNow(), "operator-1", "仪表故障已核实", card.Params["colour"]!, []), CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(1));
        await rule.OnTickAsync(desk, CancellationToken.None);
        Assert.Empty(desk.Book.Open("card"));
    }

    [Fact]
    public async Task TheBarometerRule_RaisesACitysLevel_OnlyWhenItChanges_AndClearsItBackAtGreen()
    {
        _compliance.CityTargets["2025"] = new(StringComparer.Ordinal) { ["西宁市"] = new(StringComparer.Ordinal) { ["a21026"] = 1.0 } };
        await StoreDayAsync("QHXN0010001", Yesterday, t => Gas(t, kg: 40m)); // 960 kg by half the year against 1 t a year
        var desk = new RuleDesk(_clock);
        var barometer = new BarometerOptions { CheckInterval = TimeSpan.FromHours(1) };
        var rule = new BarometerRule(_compliance, barometer, Reports, NullLogger<BarometerRule>.Instance);
        await rule.OnTickAsync(desk, CancellationToken.None);
        var red = Assert.Single(desk.Changes);
        Assert.Equal(("barometer", "西宁市", "a21026", "red", 1.0), (red.Kind, red.Mn, red.Pollutant, red.Params!["level"], red.Limit));
        Assert.Equal("1", red.Params["allocationT"]);

        _clock.Advance(TimeSpan.FromHours(1));
        await rule.OnTickAsync(desk, CancellationToken.None);
        Assert.Single(desk.Changes); // still red: nothing new

        _compliance.CityTargets["2025"]["西宁市"]["a21026"] = 100.0; // the allocation raised: back to green
        _clock.Advance(TimeSpan.FromMinutes(30));
        await rule.OnTickAsync(desk, CancellationToken.None);
        Assert.Single(desk.Changes); // not due before Barometer:CheckInterval
        _clock.Advance(TimeSpan.FromMinutes(30));
        await rule.OnTickAsync(desk, CancellationToken.None);
        Assert.Equal(("barometer", "cleared"), (desk.Changes[^1].Kind, desk.Changes[^1].State));
        Assert.Empty(desk.Book.Open("barometer"));
    }

    [Fact]
    public async Task TheKeyAgeRule_RaisesAKeyOlderThanItsMaximumAge_AndANewKeyClearsIt()
    {
        var (registry, problems) = EmissionMonitor.Registry.RegistryLoader.Parse(Some.RegistryJson.Replace("\"password\": \"123456\",", "\"password\": \"123456\", \"sm4Key\": \"RegistryKey00001\",", StringComparison.Ordinal), "test");
        Assert.Empty(problems);
        var ring = new KeyRing(new EmissionMonitor.Tests.Storage.MemoryRecordStore(), () => registry!, new SecurityOptions { KeyMaxAge = TimeSpan.FromDays(90) }, _clock, NullLogger<KeyRing>.Instance);
        await ring.LoadAsync(CancellationToken.None);
        var desk = new RuleDesk(_clock);
        var rule = new KeyAgeRule(ring, () => registry!);

        _clock.Advance(TimeSpan.FromDays(89));
        await rule.OnTickAsync(desk, CancellationToken.None);
        Assert.Empty(desk.Changes);
        _clock.Advance(TimeSpan.FromDays(2));
        await rule.OnTickAsync(desk, CancellationToken.None);
        var old = Assert.Single(desk.Changes);
        Assert.Equal(("key-age", "QHXN0010001", "91"), (old.Kind, old.Mn, old.Params!["days"])); // the water outlet has no key

        await ring.ReplaceAsync("QHXN0010001", null, "rotation", CancellationToken.None);
        await rule.OnTickAsync(desk, CancellationToken.None);
        Assert.Equal(("key-age", "cleared"), (desk.Changes[^1].Kind, desk.Changes[^1].State));
    }
}
