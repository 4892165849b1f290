using System.Globalization;
using EmissionMonitor.Alerts.Rules;
using EmissionMonitor.Compliance.Facilities;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Registry;
using EmissionMonitor.Security;
using EmissionMonitor.Storage;
using EmissionMonitor.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EmissionMonitor.Tests.Alerts;

/// <summary>
/// The rule families that judge what a frame says about the plant and the terminal — treatment
/// facilities (ST=44), emissions without production, a claimed shutdown contradicted, process
/// limits, the data logger's identity — each on its own: frames through the real intake, a desk
/// over a real book, a fake clock minute by minute.
/// </summary>
public sealed class FacilityRuleTests
{
    private const string PlantJson = """
        { "enterprises": [ {
            "id": "QH-XN-001", "name": "西宁某热电有限公司", "city": "西宁市", "industry": "thermal-power",
            "outlets": [ { "mn": "QHXN0010001", "password": "123456", "kind": "gas", "name": "1号锅炉排口", "flowUnit": "m3/s",
              "limits": { "a21026": 35 }, "processLimits": { "a01901": { "min": 850 } } } ],
            "facilities": [
              { "id": "boiler", "name": "1号锅炉", "kind": "production", "code": "d20105", "unit": "A", "onAbove": 20, "outlets": ["QHXN0010001"] },
              { "id": "fan", "name": "脱硫引风机", "kind": "treatment", "code": "d30106", "unit": "A", "onAbove": 5, "serves": ["boiler"], "outlets": ["QHXN0010001"] } ] } ] }
        """;

    /// <summary>Minute 0: 2025-07-01 09:00 in Shanghai.</summary>
    private static readonly DateTime T0 = new(2025, 7, 1, 9, 0, 0);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(T0, TimeSpan.FromHours(8)));
    private readonly StationRegistry _plant = Plant();
    private readonly FacilityOptions _options = new() { MinMinutes = 3, MarksEvery = TimeSpan.Zero };

    private static StationRegistry Plant()
    {
        var (registry, problems) = RegistryLoader.Parse(PlantJson, "test");
        Assert.Empty(problems);
        return registry!;
    }

    /// <summary>A real-time frame (ST=44 for the facilities' power) at the clock's minute, as committed.</summary>
    private CommittedFrame Values(string st, params (string Code, decimal Value)[] values)
    {
        var local = TimeZoneInfo.ConvertTime(_clock.GetUtcNow(), RuleDesk.Shanghai).DateTime;
        var b = new Hj212Builder { Qn = local.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture), St = st, Cn = "2011", Pw = "123456", Mn = "QHXN0010001", Flag = 9 }.DataTime(local);
        foreach (var (code, value) in values)
        {
            b = b.Value(code, "Rtd", value).Value(code, "Flag", "N");
        }

        return RuleDesk.Commit(b.Build(), _clock, _plant);
    }

    private CommittedFrame Power(decimal boiler, decimal fan) => Values("44", ("d20105", boiler), ("d30106", fan));

    /// <summary>Each minute's frame to the tracker and then the rules, as the desk runs them, and a tick.</summary>
    private async Task MinuteAsync(RuleDesk desk, CommittedFrame? frame, params IAlertRule[] rules)
    {
        foreach (var rule in rules)
        {
            if (frame is not null)
            {
                await rule.OnCommittedAsync(frame, desk, CancellationToken.None);
            }

            await rule.OnTickAsync(desk, CancellationToken.None);
        }

        _clock.Advance(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task AFanStoppedWhileTheBoilerRuns_IsATreatmentOff_AfterMinMinutes_ClearedWhenItRunsAgain_AndNeverOnMissingData()
    {
        var desk = new RuleDesk(_clock);
        var tracker = new FacilityTracker(_options);
        var rule = new TreatmentOffRule(tracker, () => _plant);
        foreach (var fan in new[] { 12m, 12m, 12m, 0.4m, 0.4m, 0.4m })
        {
            await MinuteAsync(desk, Power(80m, fan), tracker, rule);
        }

        Assert.Empty(desk.Changes); // stopped for two minutes only (minutes 3 to 5)
        await MinuteAsync(desk, Power(80m, 0.4m), tracker, rule);
        var off = Assert.Single(desk.Changes);
        Assert.Equal(("treatment-off", "critical", "fan", "d30106", 0.4, 5.0), (off.Kind, off.Severity, off.SubKind, off.Pollutant, off.Value, off.Limit));
        Assert.Equal(new DateTimeOffset(T0.AddMinutes(3), TimeSpan.FromHours(8)), off.DataFrom); // since the fan stopped
        Assert.Equal(("脱硫引风机", "1号锅炉"), (off.Params!["treatment"], off.Params["production"]));

        // The terminal goes quiet: the states become unknown, which clears nothing and raises nothing.
        _clock.Advance(_options.StaleAfter);
        await MinuteAsync(desk, null, tracker, rule);
        Assert.Single(desk.Book.Open("treatment-off"));

        await MinuteAsync(desk, Power(80m, 12m), tracker, rule);
        Assert.Equal(("treatment-off", "cleared"), (desk.Changes[^1].Kind, desk.Changes[^1].State));
    }

    [Fact]
    public async Task ATreatmentOff_ClearsWhenTheProductionItServesStops()
    {
        var desk = new RuleDesk(_clock);
        var tracker = new FacilityTracker(_options);
        var rule = new TreatmentOffRule(tracker, () => _plant);
        for (int minute = 0; minute < 4; minute++)
        {
            await MinuteAsync(desk, Power(80m, 0.4m), tracker, rule);
        }

        Assert.Single(desk.Book.Open("treatment-off"));
        await MinuteAsync(desk, Power(3m, 0.4m), tracker, rule);
        Assert.Empty(desk.Book.Open("treatment-off"));
    }

    [Fact]
    public async Task AFlowWhileEveryProductionFacilityIsStopped_IsEmissionsWithoutProduction_ClearedWhenProductionRuns()
    {
        var desk = new RuleDesk(_clock);
        var tracker = new FacilityTracker(_options);
        var rule = new EmissionsWithoutProductionRule(tracker);
        await MinuteAsync(desk, Values("31", ("a00000", 40m)), tracker, rule);
        Assert.Empty(desk.Changes); // the boiler's state is not known yet

        await MinuteAsync(desk, Power(2m, 0.4m), tracker, rule);
        await MinuteAsync(desk, Values("31", ("a00000", 0.3m)), tracker, rule);
        Assert.Empty(desk.Changes); // at or below Facilities:FlowThreshold
        await MinuteAsync(desk, Values("31", ("a00000", 40m)), tracker, rule);
        var raised = Assert.Single(desk.Changes);
        Assert.Equal(("emissions-without-production", "info", "a00000", 40.0, 0.5), (raised.Kind, raised.Severity, raised.Pollutant, raised.Value, raised.Limit));

        await MinuteAsync(desk, Power(80m, 12m), tracker, rule);
        await MinuteAsync(desk, Values("31", ("a00000", 40m)), tracker, rule);
        Assert.Equal(("emissions-without-production", "cleared"), (desk.Changes[^1].Kind, desk.Changes[^1].State));
    }

    [Fact]
    public async Task ABoilerRunningInsideAClaimedShutdown_IsContradicted_AfterMinMinutes_AndTheMarksEndClearsIt()
    {
        var desk = new RuleDesk(_clock);
        var store = new MemoryRecordStore();
        var tracker = new FacilityTracker(_options);
        var rule = new ShutdownContradictedRule(tracker, () => _plant, store);
        await store.AddMarkAsync(new Mark("QHXN0010001", Mark.Shutdown, T0, T0.AddMinutes(6), "停产检修")
        {
            Id = "mk-1",
            CreatedAt = _clock.GetUtcNow(),
            Decision = Mark.Pending,
            Enterprise = "QH-XN-001",
        }, CancellationToken.None);
        for (int minute = 0; minute < 3; minute++)
        {
            await MinuteAsync(desk, Power(80m, 12m), tracker, rule);
        }

        Assert.Empty(desk.Changes);
        await MinuteAsync(desk, Power(80m, 12m), tracker, rule);
        var contradicted = Assert.Single(desk.Changes);
        Assert.Equal(("shutdown-contradicted", "boiler", "d20105", "mk-1"), (contradicted.Kind, contradicted.SubKind, contradicted.Pollutant, contradicted.Params!["mark"]));

        for (int minute = 4; minute <= 6; minute++)
        {
            await MinuteAsync(desk, Power(80m, 12m), tracker, rule);
        }

        Assert.Equal(("shutdown-contradicted", "cleared"), (desk.Changes[^1].Kind, desk.Changes[^1].State)); // the mark ended at minute 6
    }

    [Fact]
    public async Task AProcessParameterBeyondItsBound_IsAWarning_ClearedByTheNextValueWithin_AndARejectedOrBackfilledValueIsNot()
    {
        var desk = new RuleDesk(_clock);
        var rule = new ProcessLimitRule();
        await rule.OnCommittedAsync(Values("31", ("a01901", 812.5m)) with { Live = false }, desk, CancellationToken.None);
        Assert.Empty(desk.Changes);
        await rule.OnCommittedAsync(Values("31", ("a01901", 812.5m)), desk, CancellationToken.None);
        var warning = Assert.Single(desk.Changes);
        Assert.Equal(("warning", "a01901", 812.5, 850.0, "alert.process-below"), (warning.Kind, warning.Pollutant, warning.Value, warning.Limit, warning.MessageKey));
        await rule.OnCommittedAsync(Values("31", ("a01901", 901m)), desk, CancellationToken.None);
        Assert.Equal(("warning", "cleared"), (desk.Changes[^1].Kind, desk.Changes[^1].State));
    }

    private static Hj212Packet Identity(string logger, string mac) =>
        new Hj212Builder { Qn = "20250701090000001", St = "31", Cn = "1001", Pw = "123456", Mn = "QHXN0010001", Flag = 9 }
            .Value("i23005", "Info", logger).Value("i23006", "Info", "CPU-8F3A11C2").Value("i23007", "Info", mac).Build();

    [Fact]
    public async Task TheFirstIdentityIsRecorded_TheSameAgainIsNothing_AndAnotherLoggerIsIdentityChanged()
    {
        var desk = new RuleDesk(_clock);
        var store = new MemoryRecordStore();
        using var identities = new TerminalIdentities(store, NullLogger<TerminalIdentities>.Instance);
        await identities.LoadAsync(CancellationToken.None);
        var rule = new IdentityRule(identities);
        await rule.OnCommittedAsync(RuleDesk.Commit(Identity("DL-2025-000417", "00:1A:2B:3C:4D:5E"), _clock), desk, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await rule.OnCommittedAsync(RuleDesk.Commit(Identity("DL-2025-000417", "00:1a:2b:3c:4d:5e"), _clock), desk, CancellationToken.None);
        Assert.Empty(desk.Changes);

        _clock.Advance(TimeSpan.FromMinutes(1));
        await rule.OnCommittedAsync(RuleDesk.Commit(Identity("DL-2025-009999", "00:1A:2B:3C:4D:5E"), _clock), desk, CancellationToken.None);
        var changed = Assert.Single(desk.Changes);
        Assert.Equal(("identity-changed", "QHXN0010001", "warning"), (changed.Kind, changed.Mn, changed.Severity));
        Assert.Contains("logger DL-2025-000417 → DL-2025-009999", changed.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await store.QueryTerminalIdentitiesAsync(CancellationToken.None)).Count);
    }
}
