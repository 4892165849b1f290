using System.Globalization;
using System.Text;
using EmissionMonitor.Compliance.Cards;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Influx;
using EmissionMonitor.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmissionMonitor.IntegrationTests.Storage;

/// <summary>
/// Stores written before keyed records — a table (SQLite) or a measurement (InfluxDB) per kind of
/// operator and terminal record — are moved into documents at start-up: every record reads back as
/// it was written, the newest version of each, what the buffer had not forwarded is still forwarded,
/// and the old tables and measurements are gone.
/// </summary>
public sealed class LegacyRecordsTests
{
    private static readonly DateTimeOffset At = new(2025, 7, 1, 9, 30, 0, TimeSpan.FromHours(8));
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static readonly Mark OldMark = new("QHXN0010001", "maintenance", new DateTime(2025, 7, 1, 8, 0, 0), new DateTime(2025, 7, 1, 12, 0, 0), "年度检修");
    private static readonly Mark FiledMark = new Mark("QHXN0010002", "shutdown", new DateTime(2025, 7, 2), new DateTime(2025, 7, 4), "停产")
    {
        Id = "mk-legacy-1", By = "王工", CreatedAt = At, Decision = "approved", DecidedBy = "王工", DecidedAt = At,
        Evidence = [new EvidenceFile("ev-0011223344556677", "停产通知.pdf", "application/pdf", 1234, new string('a', 64), "王工", At)],
    };

    private static readonly Mark RevokedMark = FiledMark with { Revoked = new Revocation(At.AddHours(2), "李工", "误标"), Rev = 1 };
    private static readonly CardLift Lift = new("QH-XN-001", "2025Q2", At, "王工", "整改完成");
    private static readonly CardLift RevokedLift = Lift with { Revoked = new Revocation(At.AddDays(1), "李工", "整改不实") };
    private static readonly CardDecision Decision = new("QH-XN-001", "2025Q2", "confirmed", At, "王工", "属实", "yellow", ["rate-below-90", "exceedance"]) { VisibleToEnterprise = true };
    private static readonly PublicationRecord Publication = new("pub-1", "2025Q2", null, 1, At, "王工", "{\"rows\":[]}");
    private static readonly NotificationRecord Sent = new("ntf-1", "王工", "sent", At, "{\"id\":\"ntf-1\"}");
    private static readonly NotificationRecord Open = new("ntf-2", "李工", "pending", At.AddMinutes(1), "{\"id\":\"ntf-2\"}");
    private static readonly CommandRecord Command = new("cmd-1", "QHXN0010001", "acknowledged", At, "{\"id\":\"cmd-1\"}");
    private static readonly TerminalKey FirstKey = new("QHXN0010001", "k7Qm2Xv9Lp4Rt8Wz", At, TerminalKey.FromRegistry);
    private static readonly TerminalKey SecondKey = FirstKey with { Key = "Zx9Qw3Er5Ty7Ui1O", CreatedAt = At.AddDays(90), Source = TerminalKey.FromRotation };
    private static readonly TerminalIdentity Identity = new("QHXN0010001", "DL-1", null, "00:11:22:33:44:55", At);

    [Fact]
    public async Task ASqliteStoreOfTheTablePerKindLayout_IsMovedIntoDocuments_AndItsUnforwardedRecordsStillForwarded()
    {
        string dir = Some.TempDirectory();
        await using (var fresh = new SqliteStore(dir, outbox: true))
        {
            await fresh.InitializeAsync(Ct); // today's schema, then the old tables beside it, as an older build left them
        }

        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(dir, "emission-monitor.db")};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = SqliteLegacyRecords.Create + LegacyRows();
            await command.ExecuteNonQueryAsync(Ct);
        }

        await using var store = new SqliteStore(dir, outbox: true);
        await store.InitializeAsync(Ct);
        await AssertReadBackAsync(store);

        // The rows the outbox still had to forward (the command and the revocation) are queued as their documents.
        var pending = await store.PendingRecordsAsync(Ct);
        Assert.Equal(["command:cmd-1", "mark:mk-legacy-1#1r"], pending.Documents.Select(d => $"{d.Kind}:{d.Id}").Order(StringComparer.Ordinal));

        await using var check = new SqliteConnection($"Data Source={store.DatabasePath};Pooling=False");
        await check.OpenAsync(Ct);
        await using var tables = check.CreateCommand();
        tables.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('marks', 'card_lifts', 'card_decisions', 'publications', 'notifications', 'commands', 'terminal_keys', 'terminal_identities')";
        Assert.Equal(0L, (long)(await tables.ExecuteScalarAsync(Ct))!);
        tables.CommandText = "SELECT COUNT(*) FROM outbox WHERE kind NOT IN ('reading', 'frame', 'document', 'alert')";
        Assert.Equal(0L, (long)(await tables.ExecuteScalarAsync(Ct))!);
    }

    [Fact]
    public async Task AnInfluxServerOfTheMeasurementPerKindLayout_IsMovedIntoDocuments_AndTheOldMeasurementsDropped()
    {
        await using var influx = await InfluxFixture.StartAsync();
        var zone = new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone();
        var lines = new StringBuilder();
        void Point(string measurement, (string, string?)[] tags, (string, object?)[] fields, DateTimeOffset time) =>
            LineProtocol.Append(lines, measurement, tags, fields, LineProtocol.Nanoseconds(time));
        foreach (var m in new[] { OldMark, RevokedMark })
        {
            Point("marks", [("mn", m.Mn), ("kind", m.Kind), ("id", m.Key)],
                [("from", m.From.ToString("O", CultureInfo.InvariantCulture)), ("to", m.To.ToString("O", CultureInfo.InvariantCulture)), ("comment", m.Comment ?? ""), ("meta", RecordMeta.Of(m))],
                m.CreatedAt ?? At);
        }

        Point("card_lifts", [("enterprise", Lift.Enterprise), ("quarter", Lift.Quarter)],
            [("at", Stamp(Lift.At)), ("by", Lift.By), ("comment", Lift.Comment), ("meta", RecordMeta.Of(RevokedLift))], Lift.At);
        Point("card_decisions", [("enterprise", Decision.Enterprise), ("quarter", Decision.Quarter)],
            [("decision", Decision.Decision), ("at", Stamp(Decision.At)), ("by", Decision.By), ("comment", Decision.Comment), ("colour", Decision.Colour),
                ("reasons", string.Join('\n', Decision.Reasons)), ("visible", "1")], Decision.At);
        Point("publications", [("id", Publication.Id)],
            [("quarter", Publication.Quarter), ("city", ""), ("version", 1L), ("published_at", Stamp(Publication.PublishedAt)), ("by", Publication.By), ("json", Publication.Json)],
            Publication.PublishedAt);
        foreach (var n in new[] { Sent, Open })
        {
            Point("notifications", [("id", n.Id)], [("contact", n.Contact), ("state", n.State), ("created_at", Stamp(n.CreatedAt)), ("json", n.Json)], n.CreatedAt);
        }

        Point("commands", [("id", Command.Id), ("mn", Command.Mn)], [("state", Command.State), ("requested_at", Stamp(Command.RequestedAt)), ("json", Command.Json)], Command.RequestedAt);
        foreach (var k in new[] { FirstKey, SecondKey })
        {
            Point("terminal_keys", [("mn", k.Mn)], [("key", k.Key), ("created_at", Stamp(k.CreatedAt)), ("source", k.Source)], k.CreatedAt);
        }

        Point("terminal_identities", [("mn", Identity.Mn)],
            [("logger_id", Identity.LoggerId), ("cpu_id", ""), ("macs", Identity.Macs), ("reported_at", Stamp(Identity.ReportedAt))], Identity.ReportedAt);
        lines.Append("commands,id=cmd-torn,mn=QHXN0010001 state=\"sent\" 1767225600000000000\n"); // a point with only some of its fields: left out, never a crash
        using var http = new HttpClient();
        Assert.True((await http.PostAsync($"{influx.Url}/query", new FormUrlEncodedContent([new("q", "CREATE DATABASE emission")]))).IsSuccessStatusCode);
        var written = await http.PostAsync($"{influx.Url}/write?db=emission&precision=ns", new StringContent(lines.ToString()));
        Assert.True(written.IsSuccessStatusCode, await written.Content.ReadAsStringAsync());

        await using var store = new InfluxStore(new InfluxOptions { Url = influx.Url, Bucket = "emission", WriteApi = "v1" }, Some.TempDirectory(), zone, NullLogger<InfluxStore>.Instance);
        await store.InitializeAsync(Ct);
        await AssertReadBackAsync(store);

        string measurements = await http.GetStringAsync($"{influx.Url}/query?db=emission&q={Uri.EscapeDataString("SHOW MEASUREMENTS")}");
        Assert.Contains("\"documents\"", measurements, StringComparison.Ordinal);
        foreach (var old in new[] { "marks", "card_lifts", "card_decisions", "publications", "notifications", "commands", "terminal_keys", "terminal_identities" })
        {
            Assert.DoesNotContain($"\"{old}\"", measurements, StringComparison.Ordinal);
        }
    }

    /// <summary>Every record reads back as written, through the same reads the service uses.</summary>
    private static async Task AssertReadBackAsync(IStore store)
    {
        Assert.Equal([OldMark, RevokedMark], await store.QueryMarksAsync(new DateTime(2025, 7, 1), new DateTime(2025, 8, 1), null, Ct), new MarkComparer());
        Assert.Equal([RevokedLift], await store.QueryCardLiftsAsync(Ct));
        Assert.Equal([Decision], await store.QueryCardDecisionsAsync(Ct));
        Assert.Equal([Publication], await store.QueryPublicationsAsync(Ct));
        Assert.Equal([Open, Sent], await store.QueryNotificationRecordsAsync(false, 10, 0, Ct));
        Assert.Equal([Open], await store.QueryNotificationRecordsAsync(true, 10, 0, Ct));
        Assert.Equal([Command], await store.QueryCommandRecordsAsync("QHXN0010001", 10, 0, Ct));
        Assert.Equal(Command, await store.GetCommandRecordAsync("cmd-1", Ct));
        Assert.Equal([FirstKey, SecondKey], await store.QueryTerminalKeysAsync(Ct));
        Assert.Equal([Identity], await store.QueryTerminalIdentitiesAsync(Ct));
    }

    /// <summary>The SQL an older build wrote these records with (its tables, and its outbox entries for two rows not yet forwarded).</summary>
    private static string LegacyRows()
    {
        static string Q(string? s) => s is null ? "NULL" : "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
        static string T(DateTime t) => Q(t.ToString(SqliteStore.TimeFormat, CultureInfo.InvariantCulture));
        string Mark(Mark m) => $"INSERT INTO marks (mn, kind, from_time, to_time, comment, meta) VALUES ({Q(m.Mn)}, {Q(m.Kind)}, {T(m.From)}, {T(m.To)}, {Q(m.Comment)}, {Q(m.Id is null ? null : RecordMeta.Of(m))});";
        string queued = Q(At.ToString("O", CultureInfo.InvariantCulture));
        return string.Join('\n',
            Mark(OldMark), Mark(FiledMark), Mark(RevokedMark),
            $"INSERT INTO outbox (kind, ref_id, queued_at) VALUES ('mark', last_insert_rowid(), {queued});",
            $"INSERT INTO card_lifts (enterprise, quarter, lifted_at, lifted_by, comment, meta) VALUES ({Q(Lift.Enterprise)}, {Q(Lift.Quarter)}, {Q(Stamp(Lift.At))}, {Q(Lift.By)}, {Q(Lift.Comment)}, NULL);",
            $"INSERT INTO card_lifts (enterprise, quarter, lifted_at, lifted_by, comment, meta) VALUES ({Q(Lift.Enterprise)}, {Q(Lift.Quarter)}, {Q(Stamp(Lift.At))}, {Q(Lift.By)}, {Q(Lift.Comment)}, {Q(RecordMeta.Of(RevokedLift))});",
            $"INSERT INTO card_decisions (enterprise, quarter, decision, decided_at, decided_by, comment, colour, reasons, visible) VALUES ({Q(Decision.Enterprise)}, {Q(Decision.Quarter)}, {Q(Decision.Decision)}, {Q(Stamp(Decision.At))}, {Q(Decision.By)}, {Q(Decision.Comment)}, {Q(Decision.Colour)}, {Q(string.Join('\n', Decision.Reasons))}, 1);",
            $"INSERT INTO publications (id, quarter, city, version, published_at, published_by, json) VALUES ({Q(Publication.Id)}, {Q(Publication.Quarter)}, NULL, 1, {Q(Stamp(Publication.PublishedAt))}, {Q(Publication.By)}, {Q(Publication.Json)});",
            string.Join('\n', new[] { Sent, Open }.Select(n => $"INSERT INTO notifications (id, contact, state, created_at, json) VALUES ({Q(n.Id)}, {Q(n.Contact)}, {Q(n.State)}, {Q(Stamp(n.CreatedAt))}, {Q(n.Json)});")),
            $"INSERT INTO commands (id, mn, state, requested_at, json) VALUES ({Q(Command.Id)}, {Q(Command.Mn)}, {Q(Command.State)}, {Q(Stamp(Command.RequestedAt))}, {Q(Command.Json)});",
            $"INSERT INTO outbox (kind, ref_id, queued_at) VALUES ('command', last_insert_rowid(), {queued});",
            string.Join('\n', new[] { FirstKey, SecondKey }.Select(k => $"INSERT INTO terminal_keys (mn, key, created_at, source) VALUES ({Q(k.Mn)}, {Q(k.Key)}, {Q(Stamp(k.CreatedAt))}, {Q(k.Source)});")),
            $"INSERT INTO terminal_identities (mn, logger_id, cpu_id, macs, reported_at) VALUES ({Q(Identity.Mn)}, {Q(Identity.LoggerId)}, NULL, {Q(Identity.Macs)}, {Q(Stamp(Identity.ReportedAt))});");
    }

    private static string Stamp(DateTimeOffset t) => t.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Marks compared field by field, their evidence item by item (a record compares its list by reference).</summary>
    private sealed class MarkComparer : IEqualityComparer<Mark>
    {
        public bool Equals(Mark? x, Mark? y) =>
            x is not null && y is not null && x with { Evidence = [] } == y with { Evidence = [] } && x.Evidence.SequenceEqual(y.Evidence);

        public int GetHashCode(Mark obj) => obj.Key.GetHashCode(StringComparison.Ordinal);
    }
}
