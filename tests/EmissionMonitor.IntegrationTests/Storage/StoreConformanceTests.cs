using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Alerts;
using EmissionMonitor.Compliance.Cards;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Intake;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Sqlite;

namespace EmissionMonitor.IntegrationTests.Storage;

/// <summary>
/// The store contract, run against each backend: a backend's test class derives from this and
/// supplies a fresh, real store.
/// </summary>
public abstract partial class StoreConformanceTests : IAsyncLifetime
{
    private IStore _store = null!;

    protected abstract Task<IStore> CreateStoreAsync();

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await DisposeServersAsync();
    }

    /// <summary>Stops what <see cref="CreateStoreAsync"/> started (servers), after the store is closed.</summary>
    protected virtual Task DisposeServersAsync() => Task.CompletedTask;

    private static IntakeResult Accepted(decimal so2, DateTime? hour = null, string? flag = "N")
    {
        var b = Some.Hourly(at: hour).Value("a21026", "Avg", so2).Value("a21002", "Avg", 40m);
        if (flag is not null)
        {
            b.Value("a21026", "Flag", flag);
        }

        var registry = Some.Registry();
        var intake = new IntakeProcessor(() => registry, new IntakeOptions(), new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone(), TimeProvider.System);
        var result = intake.Process(Some.Received(b.Build(), Transport.Import));
        Assert.True(result.IsAccepted, result.Detail);
        return result;
    }

    [Fact]
    public async Task Commit_StoresReadingsAndArchivesTheFrame()
    {
        var outcomes = await _store.CommitAsync([Accepted(20.5m)], CancellationToken.None);
        Assert.Equal(StoredOutcome.Accepted, Assert.Single(outcomes).Status);
        Assert.Equal(2, outcomes[0].NewReadings);
        var readings = await _store.QueryReadingsAsync(new ReadingQuery("2061", new DateTime(2025, 7, 1), new DateTime(2025, 7, 2)), CancellationToken.None);
        Assert.Equal(2, readings.Count);
        Assert.Equal(new Reading("QHXN0010001", "2061", new DateTime(2025, 7, 1, 8, 0, 0), "a21026", Avg: 20.5, Flag: "N"), readings.Single(r => r.Pollutant == "a21026"));
        var frame = Assert.Single(await _store.QueryFramesAsync(new FrameQuery(), CancellationToken.None));
        Assert.Equal("QHXN0010001", frame.Mn);
        Assert.Equal("accepted", frame.Status);
        Assert.StartsWith("##", System.Text.Encoding.ASCII.GetString(frame.Raw), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resend_IsADuplicate_AndADifferentResendIsAConflict_FirstWins()
    {
        await _store.CommitAsync([Accepted(20.5m)], CancellationToken.None);
        var outcomes = await _store.CommitAsync([Accepted(20.5m), Accepted(99m)], CancellationToken.None);
        Assert.Equal(["duplicate", "duplicate-conflict"], outcomes.Select(o => o.Status));
        var so2 = Assert.Single(await _store.QueryReadingsAsync(new ReadingQuery("2061", new DateTime(2025, 7, 1), new DateTime(2025, 7, 2), Pollutant: "a21026"), CancellationToken.None));
        Assert.Equal(20.5, so2.Avg);
        var counts = await _store.CountAsync(CancellationToken.None);
        Assert.Equal(3, counts.Frames);
        Assert.Equal(2, counts.Readings);
        Assert.Equal(1, counts.FramesByReason["duplicate"]);
        Assert.Equal(1, counts.FramesByReason["duplicate-conflict"]);
    }

    [Fact]
    public async Task DuplicatesWithinOneBatch_AreDetected()
    {
        var outcomes = await _store.CommitAsync([Accepted(1m), Accepted(1m)], CancellationToken.None);
        Assert.Equal(["accepted", "duplicate"], outcomes.Select(o => o.Status));
    }

    [Fact]
    public async Task FramesListedByMn_AreThatOutletsNewest_WhateverOtherOutletsSentSince()
    {
        var registry = Some.Registry();
        var intake = new IntakeProcessor(() => registry, new IntakeOptions(), new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone(), TimeProvider.System);
        IntakeResult Hour(string mn, string pw, string code, int h) =>
            intake.Process(Some.Received(Some.Hourly(mn, pw, new DateTime(2025, 7, 1).AddHours(h)).Value(code, "Avg", 10m).Build(), Transport.Import));
        await _store.CommitAsync([Hour("QHXN0020001", "654321", "w01018", 0), .. Enumerable.Range(1, 5).Select(h => Hour("QHXN0010001", "123456", "a21026", h))],
            CancellationToken.None);
        if (_store is EmissionMonitor.Storage.Influx.InfluxStore influx)
        {
            Assert.True(await influx.FlushAsync(TimeSpan.FromSeconds(30), CancellationToken.None)); // from the server, not the buffer
        }

        var frames = await _store.QueryFramesAsync(new FrameQuery(Mn: "QHXN0020001", Limit: 2), CancellationToken.None);
        Assert.Equal("QHXN0020001", Assert.Single(frames).Mn);
        Assert.Equal(2, (await _store.QueryFramesAsync(new FrameQuery(Mn: "QHXN0010001", Limit: 2), CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Rejections_AreArchivedWithTheirReason()
    {
        var rejected = IntakeResult.Reject(Some.Received("##00xx"), "bad-length", "length field '00xx' is not 4 digits");
        var outcome = Assert.Single(await _store.CommitAsync([rejected], CancellationToken.None));
        Assert.Equal("rejected", outcome.Status);
        var frame = Assert.Single(await _store.QueryFramesAsync(new FrameQuery(Status: "rejected"), CancellationToken.None));
        Assert.Equal("bad-length", frame.Reason);
        Assert.Equal("##00xx"u8.ToArray(), frame.Raw);
    }

    [Fact]
    public async Task AnEmptyPayload_IsArchivedAsAnEmptyFrame_AndNonAsciiTextRoundTrips()
    {
        var empty = IntakeResult.Reject(Some.Received(string.Empty), "no-header", "empty payload");
        var odd = IntakeResult.Reject(Some.Received("##0010废气排口\u00e9"), "bad-length", "长度 '0010' 与数据段不符 — é");
        var outcomes = await _store.CommitAsync([empty, odd], CancellationToken.None);
        Assert.All(outcomes, o => Assert.Equal("rejected", o.Status));
        var frames = await _store.QueryFramesAsync(new FrameQuery(Status: "rejected"), CancellationToken.None);
        Assert.Equal(2, frames.Count);
        Assert.Empty(frames[0].Raw);
        Assert.Equal("empty payload", frames[0].Detail);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes("##0010废气排口\u00e9"), frames[1].Raw);
        Assert.Equal("长度 '0010' 与数据段不符 — é", frames[1].Detail);
    }

    [Fact]
    public async Task Query_FiltersByPeriodOutletAndPollutant_ToExclusive()
    {
        await _store.CommitAsync([Accepted(1m, new DateTime(2025, 7, 1, 8, 0, 0)), Accepted(2m, new DateTime(2025, 7, 1, 9, 0, 0))], CancellationToken.None);
        var q = await _store.QueryReadingsAsync(new ReadingQuery("2061", new DateTime(2025, 7, 1, 8, 0, 0), new DateTime(2025, 7, 1, 9, 0, 0), "QHXN0010001", "a21026"), CancellationToken.None);
        Assert.Equal(1, Assert.Single(q).Avg);
        Assert.Empty(await _store.QueryReadingsAsync(new ReadingQuery("2061", new DateTime(2025, 7, 1), new DateTime(2025, 7, 2), "OTHER"), CancellationToken.None));
        Assert.Empty(await _store.QueryReadingsAsync(new ReadingQuery("2031", new DateTime(2025, 7, 1), new DateTime(2025, 7, 2)), CancellationToken.None));
    }

    [Fact]
    public async Task AMarksChanges_AreLaterRowsOfTheSameMark_AndTheNewestIsRead()
    {
        var at = new DateTimeOffset(2025, 7, 2, 9, 0, 0, TimeSpan.FromHours(8));
        var file = new EmissionMonitor.Compliance.Marks.EvidenceFile("ev-0011223344556677", "维修记录.pdf", "application/pdf", 1234, new string('a', 64), "热电厂环保专员", at);
        var pending = new EmissionMonitor.Compliance.Marks.Mark("QHXN0010001", "fault", new DateTime(2025, 7, 1, 8, 0, 0), new DateTime(2025, 7, 1, 12, 0, 0), "分析仪故障")
        {
            Id = "mk-1-aa", By = "热电厂环保专员", CreatedAt = at, Enterprise = "QH-XN-001", Decision = "pending",
        };
        await _store.AddMarkAsync(pending, CancellationToken.None);
        Assert.Equal("pending", Assert.Single(await _store.QueryMarksAsync(new DateTime(2025, 7, 1), new DateTime(2025, 7, 2), null, CancellationToken.None)).State);
        var withFile = pending with { Evidence = [file], Rev = 1 };
        var approved = withFile with { Decision = "approved", DecidedBy = "王工", DecidedAt = at.AddHours(1), DecisionComment = "属实", Rev = 2 };
        await _store.AddMarkAsync(withFile, CancellationToken.None);
        await _store.AddMarkAsync(approved, CancellationToken.None);
        var read = Assert.Single(await _store.QueryMarksAsync(new DateTime(2025, 7, 1), new DateTime(2025, 7, 2), "QHXN0010001", CancellationToken.None));
        Assert.Equal(("approved", "王工", "属实", 2, "QH-XN-001"), (read.State, read.DecidedBy, read.DecisionComment, read.Rev, read.Enterprise));
        Assert.Equal(file, Assert.Single(read.Evidence));
        Assert.True(read.IsActive);

        // A mark recorded before review existed reads as approved, its author unknown.
        var old = new EmissionMonitor.Compliance.Marks.Mark("QHXN0020001", "shutdown", new DateTime(2025, 7, 1), new DateTime(2025, 7, 2));
        Assert.Equal(("approved", null), (old.State, old.By));
    }

    [Fact]
    public async Task OperatorRecords_MarksLiftsAndAlerts_AreStoredAndReadBack()
    {
        var mark = new EmissionMonitor.Compliance.Marks.Mark("QHXN0010001", "maintenance", new DateTime(2025, 7, 1, 8, 0, 0), new DateTime(2025, 7, 1, 12, 0, 0), "年度检修");
        await _store.AddMarkAsync(mark, CancellationToken.None);
        Assert.Equal(mark, Assert.Single(await _store.QueryMarksAsync(new DateTime(2025, 7, 1), new DateTime(2025, 7, 2), null, CancellationToken.None)));
        Assert.Empty(await _store.QueryMarksAsync(new DateTime(2025, 7, 2), new DateTime(2025, 7, 3), null, CancellationToken.None));
        Assert.Empty(await _store.QueryMarksAsync(new DateTime(2025, 7, 1), new DateTime(2025, 7, 2), "OTHER", CancellationToken.None));

        var lift = new EmissionMonitor.Compliance.Cards.CardLift("QH-XN-001", "2025Q2", new DateTimeOffset(2025, 7, 15, 9, 0, 0, TimeSpan.FromHours(8)), "王工", "整改完成");
        await _store.AddCardLiftAsync(lift, CancellationToken.None);
        Assert.Equal(lift, Assert.Single(await _store.QueryCardLiftsAsync(CancellationToken.None)));

        var raised = new EmissionMonitor.Alerts.Alert("a1", "exceedance", "critical", "active", "QHXN0010001", "QH-XN-001", "西宁市", "a21026", 50, 35,
            new DateTimeOffset(2025, 7, 1, 9, 0, 0, TimeSpan.FromHours(8)), null, null, null, "m");
        await _store.SaveAlertAsync(raised, CancellationToken.None);
        var acknowledged = raised with { State = "acknowledged", AcknowledgedAt = raised.RaisedAt.AddMinutes(5), AcknowledgedBy = "op" };
        await _store.SaveAlertAsync(acknowledged, CancellationToken.None);
        Assert.Equal(acknowledged, Assert.Single(await _store.QueryAlertsAsync(CancellationToken.None)));
    }

    [Fact]
    public async Task TerminalKeys_AndTheRfOfReadings_AreStoredAndReadBack()
    {
        var first = new TerminalKey("QHXN0010001", "k7Qm2Xv9Lp4Rt8Wz", new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.FromHours(8)), TerminalKey.FromRegistry);
        var second = first with { Key = "Zx9Qw3Er5Ty7Ui1O", CreatedAt = first.CreatedAt.AddDays(90), Source = TerminalKey.FromRotation };
        await _store.AddTerminalKeyAsync(first, CancellationToken.None);
        await _store.AddTerminalKeyAsync(second, CancellationToken.None);
        Assert.Equal([first, second], await _store.QueryTerminalKeysAsync(CancellationToken.None));

        var b = Some.Hourly(at: new DateTime(2025, 7, 1, 8, 0, 0), flag: 9).Value("a21026", "Avg", 5m);
        b.Rf = 1;
        var registry = Some.Registry();
        var intake = new IntakeProcessor(() => registry, new IntakeOptions(), new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone(), TimeProvider.System);
        await _store.CommitAsync([intake.Process(Some.Received(b.Build(), Transport.Import)), Accepted(6m, new DateTime(2025, 7, 1, 9, 0, 0))], CancellationToken.None);
        var readings = await _store.QueryReadingsAsync(new ReadingQuery("2061", new DateTime(2025, 7, 1), new DateTime(2025, 7, 2), "QHXN0010001", "a21026"), CancellationToken.None);
        Assert.Equal([1, null], readings.OrderBy(r => r.Period).Select(r => r.Rf));
    }

    [Fact]
    public async Task NotificationRecords_AreReplacedById_AndTheOpenOnesFound()
    {
        var at = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
        var first = new NotificationRecord("ntf-1", "张科长", "pending", at, "{\"id\":\"ntf-1\"}");
        var second = new NotificationRecord("ntf-2", "值班机器人", "collecting", at.AddSeconds(5), "{\"id\":\"ntf-2\"}");
        await _store.SaveNotificationRecordAsync(first, CancellationToken.None);
        await _store.SaveNotificationRecordAsync(second, CancellationToken.None);
        await _store.SaveNotificationRecordAsync(first with { State = "sent", Json = "{\"id\":\"ntf-1\",\"state\":\"sent\"}" }, CancellationToken.None);
        Assert.Equal(["ntf-2", "ntf-1"], (await _store.QueryNotificationRecordsAsync(false, 10, 0, CancellationToken.None)).Select(n => n.Id));
        Assert.Equal(["ntf-2"], (await _store.QueryNotificationRecordsAsync(true, 10, 0, CancellationToken.None)).Select(n => n.Id));
        Assert.Equal("sent", (await _store.QueryNotificationRecordsAsync(false, 1, 1, CancellationToken.None)).Single().State);
    }

    [Fact]
    public async Task Documents_AreReplacedByKindAndId_AndListedNewestFirstPerKind()
    {
        var at = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
        var first = new DocumentRecord("order", "ord-1", "QHXN0010001", "open", at, "{\"id\":\"ord-1\"}");
        var second = new DocumentRecord("order", "ord-2", "QHXN0020001", "open", at.AddMinutes(1), "{\"id\":\"ord-2\"}");
        var otherKind = new DocumentRecord("other", "ord-1", "QHXN0010001", "x", at, "{}");
        await _store.SaveDocumentAsync(first, CancellationToken.None);
        await _store.SaveDocumentAsync(second, CancellationToken.None);
        await _store.SaveDocumentAsync(otherKind, CancellationToken.None);
        var answered = first with { State = "answered", Json = "{\"id\":\"ord-1\",\"state\":\"answered\"}" };
        await _store.SaveDocumentAsync(answered, CancellationToken.None);
        Assert.Equal([second, answered], await _store.QueryDocumentsAsync("order", null, CancellationToken.None));
        Assert.Equal([answered], await _store.QueryDocumentsAsync("order", "QHXN0010001", CancellationToken.None));
        Assert.Equal([otherKind], await _store.QueryDocumentsAsync("other", null, CancellationToken.None));
    }

    [Fact]
    public async Task Publications_AreStoredAsPublished_AndReadBackInOrder()
    {
        var at = new DateTimeOffset(2025, 10, 12, 9, 0, 0, TimeSpan.FromHours(8));
        var city = new PublicationRecord("pub-1", "2025Q3", "西宁市", 1, at, "王工", "{\"cards\":[]}");
        var province = new PublicationRecord("pub-2", "2025Q3", null, 1, at.AddMinutes(2), "王工", "{\"cards\":[],\"cities\":[]}");
        await _store.AddPublicationAsync(city, CancellationToken.None);
        await _store.AddPublicationAsync(province, CancellationToken.None);
        Assert.Equal([city, province], await _store.QueryPublicationsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task CardDecisions_AreStoredWithTheCardAsDecided_AndReadBackInOrder()
    {
        var at = new DateTimeOffset(2025, 10, 10, 9, 0, 0, TimeSpan.FromHours(8));
        var confirmed = new EmissionMonitor.Compliance.Cards.CardDecision("QH-XN-001", "2025Q3", "confirmed", at, "王工", "核实无误", "red",
            ["exceedance-rate:a21026:QHXN0010001:25.0%>=20%", "over-total:a21002::131.2t>122.4t"]);
        var dismissed = new EmissionMonitor.Compliance.Cards.CardDecision("QH-XN-002", "2025Q3", "dismissed", at.AddMinutes(3), "李工", null, "yellow", []);
        await _store.AddCardDecisionAsync(confirmed, CancellationToken.None);
        await _store.AddCardDecisionAsync(dismissed, CancellationToken.None);
        Assert.Equal([confirmed, dismissed], await _store.QueryCardDecisionsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task CommandRecords_AreReplacedById_PagedNewestFirst_AndFoundById()
    {
        var at = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
        var first = new CommandRecord("cmd-1", "QHXN0010001", "sent", at, "{\"id\":\"cmd-1\",\"state\":\"sent\"}");
        var second = new CommandRecord("cmd-2", "QHXN0010001", "queued", at.AddSeconds(5), "{\"id\":\"cmd-2\"}");
        var other = new CommandRecord("cmd-3", "QHXN0020001", "done", at.AddSeconds(7), "{\"id\":\"cmd-3\"}");
        await _store.SaveCommandRecordAsync(first, CancellationToken.None);
        await _store.SaveCommandRecordAsync(second, CancellationToken.None);
        await _store.SaveCommandRecordAsync(other, CancellationToken.None);
        var done = first with { State = "done", Json = "{\"id\":\"cmd-1\",\"state\":\"done\"}" };
        await _store.SaveCommandRecordAsync(done, CancellationToken.None);
        Assert.Equal(["cmd-2", "cmd-1"], (await _store.QueryCommandRecordsAsync("QHXN0010001", 10, 0, CancellationToken.None)).Select(c => c.Id));
        Assert.Equal(["cmd-3", "cmd-2"], (await _store.QueryCommandRecordsAsync(null, 2, 0, CancellationToken.None)).Select(c => c.Id));
        Assert.Equal(["cmd-1"], (await _store.QueryCommandRecordsAsync(null, 2, 2, CancellationToken.None)).Select(c => c.Id));
        var found = await _store.GetCommandRecordAsync("cmd-1", CancellationToken.None);
        Assert.Equal(("done", done.Json), (found!.State, found.Json));
        Assert.Equal(at, found.RequestedAt);
        Assert.Null(await _store.GetCommandRecordAsync("cmd-x", CancellationToken.None));
    }

    [Fact]
    public async Task TerminalIdentities_AreStoredAndReadBackInOrder()
    {
        var first = new TerminalIdentity("QHXN0010001", "DL-1", "CPU-1", "00:1A:2B:3C:4D:5E,00:1A:2B:3C:4D:5F", new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.FromHours(8)));
        var second = first with { LoggerId = "DL-2", Macs = null, ReportedAt = first.ReportedAt.AddDays(3) };
        await _store.AddTerminalIdentityAsync(first, CancellationToken.None);
        await _store.AddTerminalIdentityAsync(second, CancellationToken.None);
        Assert.Equal([first, second], await _store.QueryTerminalIdentitiesAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Hj212v2025RawAndFurnaceData_AndRawAvg_AreStoredAndReadBackByCn()
    {
        var registry = Some.Registry();
        var intake = new IntakeProcessor(() => registry, new IntakeOptions(), new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone(), TimeProvider.System);
        var at = new DateTime(2025, 7, 1, 8, 5, 0);
        var raw = new Hj212Builder { Qn = "20250701080500001", St = "31", Cn = "2013", Pw = "123456", Mn = "QHXN0010001", Flag = 8 }
            .DataTime(at).Value("a21026", "Avg", 12.5m).Value("a21026", "RawAvg", 13.25m).Build();
        var furnace = new Hj212Builder { Qn = "20250701080500002", St = "31", Cn = "2111", Pw = "123456", Mn = "QHXN0010001", Flag = 8 }
            .DataTime(at).Value("a01901", "Avg", 861.5m).Build();
        await _store.CommitAsync([intake.Process(Some.Received(raw, Transport.Import)), intake.Process(Some.Received(furnace, Transport.Import))], CancellationToken.None);
        var rawRows = await _store.QueryReadingsAsync(new ReadingQuery("2013", at.AddHours(-1), at.AddHours(1), "QHXN0010001"), CancellationToken.None);
        Assert.Equal((12.5, 13.25), (rawRows.Single().Avg!.Value, rawRows.Single().RawAvg!.Value));
        var furnaceRows = await _store.QueryReadingsAsync(new ReadingQuery("2111", at.AddHours(-1), at.AddHours(1), "QHXN0010001"), CancellationToken.None);
        Assert.Equal(("a01901", 861.5), (furnaceRows.Single().Pollutant, furnaceRows.Single().Avg!.Value));
        Assert.Empty(await _store.QueryReadingsAsync(new ReadingQuery("2061", at.AddHours(-1), at.AddHours(1), "QHXN0010001"), CancellationToken.None));
    }

    [Fact]
    public async Task MarksAndLifts_KeepTheirAuthorAndId_AndARevocationIsRecordedBesideThem()
    {
        var created = new DateTimeOffset(2025, 7, 1, 9, 30, 0, TimeSpan.FromHours(8));
        var mark = new EmissionMonitor.Compliance.Marks.Mark("QHXN0010001", "shutdown", new DateTime(2025, 7, 1), new DateTime(2025, 7, 3), "停产")
        {
            Id = "mk-test-1", By = "王工", CreatedAt = created,
        };
        var other = mark with { Id = "mk-test-2", From = new DateTime(2025, 7, 5), To = new DateTime(2025, 7, 6) };
        await _store.AddMarkAsync(mark, CancellationToken.None);
        await _store.AddMarkAsync(other, CancellationToken.None);
        var revoked = mark with { Revoked = new EmissionMonitor.Compliance.Marks.Revocation(created.AddHours(2), "李工", "误标") };
        await _store.AddMarkAsync(revoked, CancellationToken.None);
        var marks = await _store.QueryMarksAsync(new DateTime(2025, 7, 1), new DateTime(2025, 8, 1), null, CancellationToken.None);
        Assert.Equal([revoked, other], marks); // one mark per id, the revocation winning; nothing deleted

        var lift = new EmissionMonitor.Compliance.Cards.CardLift("QH-XN-001", "2025Q2", created, "王工", "整改完成");
        await _store.AddCardLiftAsync(lift, CancellationToken.None);
        var unlifted = lift with { Revoked = new EmissionMonitor.Compliance.Marks.Revocation(created.AddDays(1), "李工", "整改不实") };
        await _store.AddCardLiftAsync(unlifted, CancellationToken.None);
        var again = lift with { At = created.AddDays(2), Comment = "再次整改" };
        await _store.AddCardLiftAsync(again, CancellationToken.None);
        Assert.Equal([unlifted, again], await _store.QueryCardLiftsAsync(CancellationToken.None));
    }
}

public sealed class SqliteStoreConformanceTests : StoreConformanceTests
{
    protected override Task<IStore> CreateStoreAsync() => Task.FromResult<IStore>(new SqliteStore(Some.TempDirectory()));
}
