using EmissionMonitor.Alerts;
using EmissionMonitor.Alerts.Rules;
using EmissionMonitor.Intake;
using EmissionMonitor.Storage;
using Microsoft.Extensions.Time.Testing;

namespace EmissionMonitor.Tests.Alerts;

/// <summary>Each alert rule family on its own: frames made by the real intake, a desk over a real book, a fake clock.</summary>
public sealed class AlertRuleTests
{
    private static readonly TimeZoneInfo Shanghai = RuleDesk.Shanghai;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 7, 1, 1, 5, 0, TimeSpan.Zero));

    private CommittedFrame Frame(EmissionMonitor.Hj212.Packets.Hj212Packet packet) => RuleDesk.Commit(packet, _clock);

    private static EmissionMonitor.Hj212.Encoders.Hj212Builder RealTime(decimal so2, DateTime at) =>
        new EmissionMonitor.Hj212.Encoders.Hj212Builder { Qn = "20250701090000001", St = "31", Cn = "2011", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
            .DataTime(at).Value("a21026", "Rtd", so2).Value("a21026", "Flag", "N");

    [Fact]
    public async Task TheLimitRule_RaisesARealTimeWarningBeyondTheLimit_ClearsItWithin_AndAnHourlyExceedance()
    {
        var desk = new RuleDesk(_clock);
        var rule = new LimitRule(new EmissionMonitor.Compliance.ComplianceOptions());
        var at = new DateTime(2025, 7, 1, 9, 0, 0);
        await rule.OnCommittedAsync(Frame(RealTime(50m, at).Build()), desk, CancellationToken.None);
        var warning = Assert.Single(desk.Changes);
        Assert.Equal(("warning", "QHXN0010001", "a21026", 50.0, 35.0, "active"), (warning.Kind, warning.Mn, warning.Pollutant, warning.Value, warning.Limit, warning.State));
        Assert.Equal(Alert.MakeId("warning", "QHXN0010001", "a21026", new DateTimeOffset(at, TimeSpan.FromHours(8))), warning.Id); // from the value's local time
        await rule.OnCommittedAsync(Frame(RealTime(20m, at.AddSeconds(30)).Build()), desk, CancellationToken.None);
        Assert.Equal("cleared", desk.Changes[^1].State);

        var hourly = Some.Hourly(at: at).Value("a21026", "ZsAvg", 80m).Value("a21026", "Flag", "N").Build();
        await rule.OnCommittedAsync(Frame(hourly), desk, CancellationToken.None);
        Assert.Equal(("exceedance", "critical", 80.0), (desk.Changes[^1].Kind, desk.Changes[^1].Severity, desk.Changes[^1].Value));
        Assert.Equal((new DateTimeOffset(at, TimeSpan.FromHours(8)), new DateTimeOffset(at.AddHours(1), TimeSpan.FromHours(8))), (desk.Changes[^1].DataFrom, desk.Changes[^1].DataTo)); // the hour it is about
    }

    [Fact]
    public async Task TheBackfillRule_CountsOldPeriodsAndTheirEpisodesInOneAlert_IgnoresLiveData_AndClearsOnceQuiet()
    {
        var desk = new RuleDesk(_clock);
        var rule = new BackfillRule(new EmissionMonitor.Compliance.ComplianceOptions(), new AlertOptions { BackfillQuiet = TimeSpan.FromMinutes(10) });
        var week = new DateTime(2025, 6, 24, 8, 0, 0);
        CommittedFrame Old(int hour, decimal so2) =>
            Frame(Some.Hourly(at: week.AddHours(hour)).Value("a21026", "ZsAvg", so2).Value("a21026", "Flag", "N").Build()) with { Live = false };

        await rule.OnCommittedAsync(Frame(Some.Hourly(at: week).Value("a21026", "ZsAvg", 80m).Value("a21026", "Flag", "N").Build()), desk, CancellationToken.None);
        Assert.Empty(desk.Changes); // live data is the other rules' business

        foreach (var (hour, so2) in new[] { (0, 80m), (1, 90m), (2, 10m), (3, 70m) })
        {
            await rule.OnCommittedAsync(Old(hour, so2), desk, CancellationToken.None);
        }

        var raised = Assert.Single(desk.Changes); // one alert for the whole back-fill, not one per period
        Assert.Equal(("backfill", "QHXN0010001", 1.0, 1.0), (raised.Kind, raised.Mn, raised.Value, raised.Limit)); // as raised by the first period (itself exceeding)
        _clock.Advance(TimeSpan.FromSeconds(6));
        await rule.OnTickAsync(desk, CancellationToken.None);
        Assert.Equal((4.0, 2.0), (desk.Changes[^1].Value, desk.Changes[^1].Limit)); // four periods, two runs of exceeding hours
        Assert.Equal((new DateTimeOffset(week, TimeSpan.FromHours(8)), new DateTimeOffset(week.AddHours(3), TimeSpan.FromHours(8))), (desk.Changes[^1].DataFrom, desk.Changes[^1].DataTo));

        _clock.Advance(TimeSpan.FromMinutes(9));
        await rule.OnTickAsync(desk, CancellationToken.None);
        Assert.Equal("active", desk.Book.Open("backfill").Single().State); // still within the quiet time
        _clock.Advance(TimeSpan.FromMinutes(1));
        await rule.OnTickAsync(desk, CancellationToken.None);
        Assert.Empty(desk.Book.Open("backfill"));
        Assert.Equal(("cleared", 4.0), (desk.Changes[^1].State, desk.Changes[^1].Value));
        Assert.Equal(0, rule.Open);
    }

    [Fact]
    public async Task TheOutageRule_RaisesTheMissedReportAndRestoreDeadlines_AMarkFiledLateClearsTheFirst_AndDataResumingBoth()
    {
        var desk = new RuleDesk(_clock);
        var store = new EmissionMonitor.Tests.Storage.MemoryRecordStore();
        var rule = new OutageRule(new OutageOptions { ReportWithin = TimeSpan.FromHours(12), RestoreWithin = TimeSpan.FromHours(48), CheckInterval = TimeSpan.FromMinutes(1) }, store);
        var start = _clock.GetUtcNow();
        await desk.RaiseAsync(new AlertDraft("silent", "QHXN0010001", "QH-XN-001", "西宁市", null, null, null, start, "no data"), CancellationToken.None);

        _clock.Advance(TimeSpan.FromHours(11));
        await rule.OnTickAsync(desk, CancellationToken.None);
        Assert.Empty(desk.Book.Open("outage-overdue"));
        _clock.Advance(TimeSpan.FromHours(1));
        await rule.OnTickAsync(desk, CancellationToken.None);
        Assert.Equal("report", Assert.Single(desk.Book.Open("outage-overdue")).SubKind);

        // The enterprise files its communication mark late: the report is there, the missed deadline stays in the record.
        var local = TimeZoneInfo.ConvertTime(start, Shanghai).DateTime;
        _clock.Advance(TimeSpan.FromMinutes(30));
        await store.AddMarkAsync(new EmissionMonitor.Compliance.Marks.Mark("QHXN0010001", "communication", local, local.AddDays(1), "光纤中断")
        {
            Id = "mk-1",
            CreatedAt = _clock.GetUtcNow(),
            Decision = "pending",
            Enterprise = "QH-XN-001",
        }, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await rule.OnTickAsync(desk, CancellationToken.None);
        Assert.Empty(desk.Book.Open("outage-overdue"));

        _clock.Advance(TimeSpan.FromHours(36));
        await rule.OnTickAsync(desk, CancellationToken.None);
        Assert.Equal("restore", Assert.Single(desk.Book.Open("outage-overdue")).SubKind);

        await desk.ResolveAsync("silent", "QHXN0010001", null, CancellationToken.None); // data again
        _clock.Advance(TimeSpan.FromMinutes(1));
        await rule.OnTickAsync(desk, CancellationToken.None);
        Assert.Empty(desk.Book.Open("outage-overdue"));
    }

    [Fact]
    public async Task TheAnomalyRule_RaisesAConstantValueRun_KeepsItsEpisode_AndEndsItWhenTheValueMoves()
    {
        var desk = new RuleDesk(_clock);
        var store = new EmissionMonitor.Tests.Storage.MemoryRecordStore();
        var rule = new AnomalyRule(store);
        var at = new DateTime(2025, 7, 1, 9, 0, 0);
        int hour = 0;
        for (; hour < 30 && !desk.Book.Open("anomaly").Any(); hour++)
        {
            _clock.Advance(TimeSpan.FromHours(1));
            await rule.OnCommittedAsync(Frame(Some.Hourly(at: at.AddHours(hour)).Value("a21026", "ZsAvg", 12.5m).Value("a21026", "Flag", "N").Build()), desk, CancellationToken.None);
        }

        var anomaly = Assert.Single(desk.Book.Open("anomaly"));
        Assert.Equal(("QHXN0010001", "a21026"), (anomaly.Mn, anomaly.Pollutant));
        var episode = Assert.Single(await store.QueryAsync(DocumentRecords.AnomalyEpisodes, "QHXN0010001", CancellationToken.None));
        Assert.Equal((anomaly.Id, anomaly.SubKind, (DateTime?)null), (episode.Id, episode.SubKind, episode.End));

        await rule.OnCommittedAsync(Frame(Some.Hourly(at: at.AddHours(hour)).Value("a21026", "ZsAvg", 20m).Value("a21026", "Flag", "N").Build()), desk, CancellationToken.None);
        Assert.Empty(desk.Book.Open("anomaly"));
        Assert.NotNull(Assert.Single(await store.QueryAsync(DocumentRecords.AnomalyEpisodes, "QHXN0010001", CancellationToken.None)).End);
    }

    [Fact]
    public async Task TheLimitRule_IgnoresAResend()
    {
        var desk = new RuleDesk(_clock);
        var frame = Frame(RealTime(50m, new DateTime(2025, 7, 1, 9, 0, 0)).Build());
        await new LimitRule(new EmissionMonitor.Compliance.ComplianceOptions()).OnCommittedAsync(frame with { Outcome = new StoredOutcome(1, "duplicate", "duplicate", 0) }, desk, CancellationToken.None);
        Assert.Empty(desk.Changes);
    }

    [Fact]
    public async Task TheSilentRule_RaisesAfterSilentAfter_OnTheClock_AndTheNextFrameClearsIt()
    {
        var desk = new RuleDesk(_clock);
        var rule = new SilentRule(new AlertOptions { SilentAfter = TimeSpan.FromMinutes(30) }, Some.Registry);
        rule.Start(_clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromMinutes(29));
        await rule.OnTickAsync(desk, CancellationToken.None);
        Assert.Empty(desk.Changes);
        _clock.Advance(TimeSpan.FromMinutes(2));
        await rule.OnTickAsync(desk, CancellationToken.None);
        Assert.Equal(["QHXN0010001", "QHXN0020001"], desk.Changes.Where(a => a.Kind == "silent").Select(a => a.Mn).Order());
        await rule.OnCommittedAsync(Frame(RealTime(5m, new DateTime(2025, 7, 1, 9, 30, 0)).Build()), desk, CancellationToken.None);
        Assert.Equal(("silent", "QHXN0010001", "cleared"), (desk.Changes[^1].Kind, desk.Changes[^1].Mn, desk.Changes[^1].State));
        Assert.Equal(_clock.GetUtcNow(), rule.LastSeen("QHXN0010001"));
    }

    [Fact]
    public async Task HourlyRecordsThatStop_AreAnOutage_WhileRealTimeFramesStillCome_AndTheNextHourlyRecordEndsIt()
    {
        var desk = new RuleDesk(_clock);
        var rule = new SilentRule(new AlertOptions { SilentAfter = TimeSpan.FromMinutes(30), HourlyMissingAfter = TimeSpan.FromHours(2) }, Some.Registry);
        rule.Start(_clock.GetUtcNow());
        var started = _clock.GetUtcNow();
        for (int minute = 10; minute <= 130; minute += 10)
        {
            _clock.Advance(TimeSpan.FromMinutes(10));
            await rule.OnCommittedAsync(Frame(RealTime(5m, new DateTime(2025, 7, 1, 9, 0, 0).AddMinutes(minute)).Build()), desk, CancellationToken.None);
            await rule.OnTickAsync(desk, CancellationToken.None);
            Assert.Equal(minute >= 120, desk.Book.Open("silent").Any(a => a.Mn == "QHXN0010001"));
        }

        var outage = desk.Book.Open("silent").Single(a => a.Mn == "QHXN0010001");
        Assert.Equal(("alert.silent.hourly", started), (outage.MessageKey, outage.DataFrom)); // since the last hourly record (here: the start)
        await rule.OnCommittedAsync(Frame(Some.Hourly(at: new DateTime(2025, 7, 1, 10, 0, 0)).Value("a21026", "ZsAvg", 5m).Value("a21026", "Flag", "N").Build()), desk, CancellationToken.None);
        Assert.DoesNotContain(desk.Book.Open("silent"), a => a.Mn == "QHXN0010001");
    }

    [Fact]
    public async Task TheStandardSampleRule_RaisesAFailedCheck_AndAPassingOneClearsIt()
    {
        var desk = new RuleDesk(_clock);
        var rule = new StandardSampleRule();
        EmissionMonitor.Hj212.Packets.Hj212Packet Check(int result) =>
            new EmissionMonitor.Hj212.Encoders.Hj212Builder { Qn = "20250701090000001", St = "31", Cn = "2062", Pw = "123456", Mn = "QHXN0010001", Flag = 9 }
                .DataTime(new DateTime(2025, 7, 1, 9, 0, 0)).Value("a21026", "SampleRd", 30m).Value("a21026", "StandardValue", 25m).Value("a21026", "ResultType", result).Build();
        await rule.OnCommittedAsync(Frame(Check(0)), desk, CancellationToken.None);
        Assert.Equal(("check-failed", 30.0, 25.0), (desk.Changes[^1].Kind, desk.Changes[^1].Value, desk.Changes[^1].Limit));
        await rule.OnCommittedAsync(Frame(Check(1)), desk, CancellationToken.None);
        Assert.Equal("cleared", desk.Changes[^1].State);
    }

    [Fact]
    public async Task AValueTogglingAcrossTheLimit_IsNoWarning_ThreeInARowAre_AndAWarningClearedRecentlyIsReopened()
    {
        var desk = new RuleDesk(_clock);
        var rule = new LimitRule(new EmissionMonitor.Compliance.ComplianceOptions(), new AlertOptions { WarningMinCount = 3, ReopenQuiet = TimeSpan.FromMinutes(30) });
        var at = new DateTime(2025, 7, 1, 9, 0, 0);
        async Task SendAsync(params decimal[] values)
        {
            foreach (var v in values)
            {
                at = at.AddSeconds(30);
                _clock.Advance(TimeSpan.FromSeconds(30));
                await rule.OnCommittedAsync(Frame(RealTime(v, at).Build()), desk, CancellationToken.None);
            }
        }

        await SendAsync(50m, 20m, 50m, 20m, 50m, 50m, 20m, 50m); // flapping: never three in a row
        Assert.Empty(desk.Changes);
        await SendAsync(50m, 50m, 50m);
        var raised = Assert.Single(desk.Changes);
        await SendAsync(20m, 20m);
        Assert.Single(desk.Changes); // two within: still open
        await SendAsync(20m);
        Assert.Equal(("cleared", raised.Id), (desk.Changes[^1].State, desk.Changes[^1].Id));
        await SendAsync(60m, 60m, 60m); // again within the quiet time: the same alert reopened
        Assert.Equal(("active", raised.Id, 60.0), (desk.Changes[^1].State, desk.Changes[^1].Id, desk.Changes[^1].Value));
        Assert.Single(desk.Book.All(), a => a.Kind == "warning");
        await SendAsync(20m, 20m, 20m);
        _clock.Advance(TimeSpan.FromMinutes(31));
        at = at.AddMinutes(31);
        await SendAsync(70m, 70m, 70m); // after the quiet time: a new alert
        Assert.Equal(2, desk.Book.All().Count(a => a.Kind == "warning"));
    }
}
