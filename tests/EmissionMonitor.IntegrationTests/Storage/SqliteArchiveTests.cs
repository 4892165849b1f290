using System.Text;
using EmissionMonitor.Compliance.Summaries;
using EmissionMonitor.Intake;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace EmissionMonitor.IntegrationTests.Storage;

/// <summary>The compressed raw archive of the SQLite store, and a database written before it existed.</summary>
public sealed class SqliteArchiveTests
{
    private static IntakeResult Hour(IntakeProcessor intake, int h) =>
        intake.Process(Some.Received(Some.Hourly(at: new DateTime(2025, 7, 1).AddHours(h)).Value("a21026", "Avg", h).Value("a21002", "Avg", 40m).Build(), Transport.Import));

    private static IntakeProcessor Intake()
    {
        var registry = Some.Registry();
        return new IntakeProcessor(() => registry, new IntakeOptions(), new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone(), TimeProvider.System);
    }

    [Fact]
    public async Task ACommitsFrames_AreCompressedTogether_AndListedByteForByte()
    {
        string dir = Some.TempDirectory();
        var intake = Intake();
        var batch = Enumerable.Range(0, 1000).Select(h => Hour(intake, h)).ToList();
        await using (var store = new SqliteStore(dir))
        {
            await store.InitializeAsync(CancellationToken.None);
            await store.CommitAsync(batch, CancellationToken.None);
            var frames = await store.QueryFramesAsync(new FrameQuery(Limit: 2000), CancellationToken.None);
            Assert.Equal(batch.Select(b => Encoding.ASCII.GetString(b.Frame.Raw.Span)), frames.Select(f => Encoding.ASCII.GetString(f.Raw)));
        }

        await using var db = new SqliteConnection($"Data Source={Path.Combine(dir, "emission-monitor.db")}");
        await db.OpenAsync();
        long raw = batch.Sum(b => (long)b.Frame.Raw.Length);
        long stored = Scalar(db, "SELECT SUM(length(data)) FROM frame_blocks") + Scalar(db, "SELECT SUM(length(raw)) FROM frames");
        Assert.Equal(raw / (64 * 1024) + 1, Scalar(db, "SELECT COUNT(*) FROM frame_blocks")); // blocks of 64 KiB raw
        Assert.True(stored * 4 < raw, $"{raw} bytes of frames stored in {stored}");
    }

    [Fact]
    public async Task FramesCommittedOneByOne_ShareTheirBlock_AndSurviveAReopen()
    {
        string dir = Some.TempDirectory();
        var intake = Intake();
        var frames = Enumerable.Range(0, 200).Select(h => Hour(intake, h)).ToList();
        await using (var store = new SqliteStore(dir))
        {
            await store.InitializeAsync(CancellationToken.None);
            foreach (var f in frames)
            {
                await store.CommitAsync([f], CancellationToken.None); // a live terminal: one frame per commit
            }
        }

        await using (var db = new SqliteConnection($"Data Source={Path.Combine(dir, "emission-monitor.db")}"))
        {
            await db.OpenAsync();
            Assert.Equal(1, Scalar(db, "SELECT COUNT(*) FROM frame_blocks"));
        }

        SqliteConnection.ClearAllPools();
        await using var reopened = new SqliteStore(dir);
        await reopened.InitializeAsync(CancellationToken.None);
        await reopened.CommitAsync([Hour(intake, 500)], CancellationToken.None); // a new block after the restart
        var listed = await reopened.QueryFramesAsync(new FrameQuery(Limit: 1000), CancellationToken.None);
        Assert.Equal(frames.Select(b => Encoding.ASCII.GetString(b.Frame.Raw.Span)).Append(Encoding.ASCII.GetString(Hour(intake, 500).Frame.Raw.Span)),
            listed.Select(f => Encoding.ASCII.GetString(f.Raw)));
    }

    [Fact]
    public async Task ADatabaseFromBeforeTheBlocks_IsReadAsBefore_AndGrowsInBlocks()
    {
        string dir = Some.TempDirectory();
        const string oldFrame = "##0101QN=20250701090000001;ST=31;CN=2061;PW=123456;MN=QHXN0010001;Flag=4;CP=&&DataTime=20250701080000;a21026-Avg=1&&0000\r\n";
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(dir, "emission-monitor.db")}"))
        {
            await db.OpenAsync();
            await using var create = db.CreateCommand();
            create.CommandText = """
                CREATE TABLE frames (id INTEGER PRIMARY KEY, received_at TEXT NOT NULL, transport TEXT NOT NULL, peer TEXT, mn TEXT, cn TEXT,
                    data_time TEXT, status TEXT NOT NULL, reason TEXT, detail TEXT, raw BLOB NOT NULL);
                INSERT INTO frames (received_at, transport, mn, status, reason, raw) VALUES ('2025-07-01T09:00:00.0000000+08:00', 'tcp', 'QHXN0010001', 'rejected', 'crc-mismatch', $raw);
                """;
            create.Parameters.AddWithValue("$raw", Encoding.ASCII.GetBytes(oldFrame));
            await create.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        await using var store = new SqliteStore(dir);
        await store.InitializeAsync(CancellationToken.None);
        await store.CommitAsync([Hour(Intake(), 1)], CancellationToken.None);
        var frames = await store.QueryFramesAsync(new FrameQuery(), CancellationToken.None);
        Assert.Equal(2, frames.Count);
        Assert.Equal(oldFrame, Encoding.ASCII.GetString(frames[0].Raw));
        Assert.StartsWith("##", Encoding.ASCII.GetString(frames[1].Raw), StringComparison.Ordinal);
        Assert.Equal("crc-mismatch", frames[0].Reason);
    }

    [Fact]
    public async Task ADatabaseFromBeforePackedRecords_KeepsEveryReading_AndItsFirstWinsRule()
    {
        string dir = Some.TempDirectory();
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(dir, "emission-monitor.db")}"))
        {
            await db.OpenAsync();
            await using var create = db.CreateCommand();
            create.CommandText = """
                CREATE TABLE readings (mn TEXT NOT NULL, cn TEXT NOT NULL, period TEXT NOT NULL, pollutant TEXT NOT NULL,
                    rtd REAL, avg REAL, min REAL, max REAL, cou REAL, zs_rtd REAL, zs_avg REAL, flag TEXT, invalid TEXT,
                    frame_id INTEGER NOT NULL, received_at TEXT NOT NULL, PRIMARY KEY (mn, cn, period, pollutant)) WITHOUT ROWID;
                INSERT INTO readings VALUES ('QHXN0010001', '2061', '2025-07-01T01:00:00.000', 'a21026', NULL, 12.34, 10.1, 15.5, 1234.5, NULL, NULL, 'N', NULL, 1, '2025-07-01T02:00:00Z');
                INSERT INTO readings VALUES ('QHXN0010001', '2061', '2025-07-01T01:00:00.000', 'a21002', NULL, 40, NULL, NULL, NULL, NULL, NULL, 'D', NULL, 2, '2025-07-01T02:00:00Z');
                INSERT INTO readings VALUES ('QHXN0010001', '2011', '2025-07-01T01:00:30.000', 'a21026', 3.5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'not finite', 3, '2025-07-01T02:00:00Z');
                """;
            await create.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        await using var store = new SqliteStore(dir);
        await store.InitializeAsync(CancellationToken.None);
        var hourly = await store.QueryReadingsAsync(new ReadingQuery("2061", new DateTime(2025, 7, 1), new DateTime(2025, 7, 2)), CancellationToken.None);
        Assert.Equal(
            [new Reading("QHXN0010001", "2061", new DateTime(2025, 7, 1, 1, 0, 0), "a21002", Avg: 40, Flag: "D"),
             new Reading("QHXN0010001", "2061", new DateTime(2025, 7, 1, 1, 0, 0), "a21026", Avg: 12.34, Min: 10.1, Max: 15.5, Cou: 1234.5, Flag: "N")],
            hourly);
        var realTime = await store.QueryReadingsAsync(new ReadingQuery("2011", new DateTime(2025, 7, 1), new DateTime(2025, 7, 2), "QHXN0010001", "a21026"), CancellationToken.None);
        Assert.Equal(new Reading("QHXN0010001", "2011", new DateTime(2025, 7, 1, 1, 0, 30), "a21026", Rtd: 3.5, Invalid: "not finite"), Assert.Single(realTime));
        Assert.Equal(3, (await store.CountAsync(CancellationToken.None)).Readings);

        // The moved hour keeps first-wins: a resend of it is a duplicate, its missing pollutant is added.
        var intake = Intake();
        var resend = intake.Process(Some.Received(Some.Hourly(at: new DateTime(2025, 7, 1, 1, 0, 0))
            .Value("a21026", "Avg", 12.34m).Value("a21026", "Min", 10.1m).Value("a21026", "Max", 15.5m).Value("a21026", "Cou", 1234.5m).Value("a21026", "Flag", "N")
            .Value("a21002", "Avg", 40m).Value("a21002", "Flag", "D").Build(), Transport.Import));
        Assert.Equal(Reasons.Duplicate, (await store.CommitAsync([resend], CancellationToken.None))[0].Status);
        var late = intake.Process(Some.Received(Some.Hourly(at: new DateTime(2025, 7, 1, 1, 0, 0)).Value("a34013", "Avg", 5m).Build(), Transport.Import));
        Assert.Equal(1, (await store.CommitAsync([late], CancellationToken.None))[0].NewReadings);
        Assert.Equal(4, (await store.CountAsync(CancellationToken.None)).Readings);

        await using var check = new SqliteConnection($"Data Source={Path.Combine(dir, "emission-monitor.db")}");
        await check.OpenAsync();
        Assert.Equal(0, Scalar(check, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'readings'"));
    }

    [Fact]
    public async Task AClosedStore_LeavesNoConnectionOpen_SoItsLogIsFoldedIn()
    {
        // Every prepared statement finalized at dispose: one left open keeps its connection alive
        // until the GC finds it, and that late close then writes the database (its last checkpoint).
        string dir = Some.TempDirectory();
        await using (var store = new SqliteStore(dir))
        {
            await store.InitializeAsync(CancellationToken.None);
            await store.CommitAsync([Hour(Intake(), 1)], CancellationToken.None);
        }

        Assert.False(File.Exists(Path.Combine(dir, "emission-monitor.db-wal")), "the write-ahead log is still there: a connection outlived the store");
    }

    [Fact]
    public async Task ExceedingHoursKeyedHourFirst_AreMovedToTheOutletFirstKey_AndReadAsBefore()
    {
        string dir = Some.TempDirectory();
        await using (var fresh = new SqliteStore(dir))
        {
            await fresh.InitializeAsync(CancellationToken.None);
        }

        string path = Path.Combine(dir, "emission-monitor.db");
        await using (var db = new SqliteConnection($"Data Source={path}"))
        {
            await db.OpenAsync();
            await using var old = db.CreateCommand();
            // The layout before: keyed (hour, outlet, pollutant) with an index by outlet.
            old.CommandText = """
                DROP TABLE exceed_hours;
                CREATE TABLE exceed_hours (hour INTEGER NOT NULL, outlet INTEGER NOT NULL, pollutant INTEGER NOT NULL, value REAL NOT NULL, kind TEXT NOT NULL,
                    bound REAL NOT NULL, min_bound INTEGER NOT NULL, PRIMARY KEY (hour, outlet, pollutant)) WITHOUT ROWID;
                CREATE INDEX exceed_hours_outlet ON exceed_hours (outlet, hour);
                INSERT INTO names (id, name) VALUES (901, 'QHXN0010001'), (902, 'QHXN0020001'), (903, 'a21026'), (904, 'w01001');
                INSERT INTO exceed_hours VALUES (486697, 901, 903, 60.5, 'zs-computed', 35, 0), (486698, 901, 903, 70.25, 'zs-sent', 35, 0),
                    (486697, 902, 904, 5.5, 'as-sent', 6, 1);
                """;
            await old.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        await using var store = new SqliteStore(dir);
        await store.InitializeAsync(CancellationToken.None);
        var hour = new DateTime(1970, 1, 1).AddHours(486697);
        Assert.Equal(
            [new ExceedHour("QHXN0010001", "a21026", hour, 60.5, "zs-computed", 35, false), new ExceedHour("QHXN0010001", "a21026", hour.AddHours(1), 70.25, "zs-sent", 35, false),
             new ExceedHour("QHXN0020001", "w01001", hour, 5.5, "as-sent", 6, true)],
            await store.QueryExceedHoursAsync(hour, hour.AddHours(2), null, CancellationToken.None));
        Assert.Equal([new ExceedHour("QHXN0020001", "w01001", hour, 5.5, "as-sent", 6, true)],
            await store.QueryExceedHoursAsync(hour, hour.AddHours(2), ["QHXN0020001"], CancellationToken.None));

        await using var check = new SqliteConnection($"Data Source={path}");
        await check.OpenAsync();
        Assert.Equal(1, Scalar(check, "SELECT pk FROM pragma_table_info('exceed_hours') WHERE name = 'outlet'"));
        Assert.Equal(0, Scalar(check, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('exceed_hours_outlet', 'exceed_hours_v1')"));
        Assert.Equal(1, Scalar(check, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'exceed_hours_hour'"));
        // Each moved hour knows whether it begins an episode: the second hour of the first outlet continues its first.
        Assert.Equal(2, Scalar(check, "SELECT SUM(start) FROM exceed_hours"));
        Assert.Equal(0, Scalar(check, "SELECT start FROM exceed_hours WHERE hour = 486698"));
        var counts = await store.CountEpisodesAsync(hour, hour.AddHours(2), null, CancellationToken.None);
        Assert.Equal([(("QHXN0010001", "a21026"), 1), (("QHXN0020001", "w01001"), 1)], counts.Hourly.OrderBy(c => c.Key).Select(c => (c.Key, c.Value)));
        var fromSecond = await store.CountEpisodesAsync(hour.AddHours(1), hour.AddHours(2), null, CancellationToken.None);
        Assert.Equal([(("QHXN0010001", "a21026"), 1)], fromSecond.Hourly.Select(c => (c.Key, c.Value)));
    }

    [Fact]
    public async Task FrameRows_GiveBackEveryField_AsReceived_AndAreListedByMnAndStatus()
    {
        string dir = Some.TempDirectory();
        var intake = Intake();
        var utc = new DateTimeOffset(2025, 7, 1, 1, 5, 0, TimeSpan.Zero).AddTicks(1234567);
        var accepted = intake.Process(Some.Received(Some.Hourly(at: new DateTime(2025, 7, 1, 8, 0, 0)).Value("a21026", "Avg", 1m).Build(), Transport.Import, utc));
        var offset = intake.Process(Some.Received(Some.Hourly(at: new DateTime(2025, 7, 1, 9, 0, 0)).Value("a21026", "Avg", 1m).Build(), Transport.Import)); // +08:00
        var unknown = intake.Process(Some.Received(Some.Hourly(mn: "NOTREGISTERED01", at: new DateTime(2025, 7, 1, 8, 0, 0)).Value("a21026", "Avg", 1m).Build(), Transport.Import));
        var badTime = intake.Process(Some.Received(Some.Hourly(pw: "wrong1", at: new DateTime(2025, 7, 1, 10, 0, 0)).Value("a21026", "Avg", 1m).Build(), Transport.Tcp));
        var resend = intake.Process(Some.Received(Some.Hourly(at: new DateTime(2025, 7, 1, 8, 0, 0)).Value("a21026", "Avg", 1m).Build(), Transport.Import));
        var batch = new[] { accepted, offset, unknown, badTime, resend };
        await using var store = new SqliteStore(dir);
        await store.InitializeAsync(CancellationToken.None);
        await store.CommitAsync(batch, CancellationToken.None);
        var frames = await store.QueryFramesAsync(new FrameQuery(), CancellationToken.None);
        Assert.Equal(batch.Select(b => (b.Frame.ReceivedAt, b.Frame.ReceivedAt.Offset)), frames.Select(f => (f.ReceivedAt, f.ReceivedAt.Offset)));
        Assert.Equal(["import", "import", "import", "tcp", "import"], frames.Select(f => f.Transport));
        Assert.NotNull(badTime.Packet?.Mn); // a rejected frame of a known MN: listed with that MN's frames
        Assert.Equal(batch.Select(b => b.Packet?.Mn), frames.Select(f => f.Mn));
        Assert.Equal(batch.Select(b => b.Packet?.DataTimeText), frames.Select(f => f.DataTime));
        Assert.Equal(batch.Select(b => b.Packet?.Cn), frames.Select(f => f.Cn));
        Assert.Equal(["accepted", "accepted", "rejected", "rejected", "duplicate"], frames.Select(f => f.Status));
        Assert.Equal([null, null, unknown.Rejection, badTime.Rejection, "duplicate"], frames.Select(f => f.Reason));

        Assert.Single(await store.QueryFramesAsync(new FrameQuery(Mn: "NOTREGISTERED01"), CancellationToken.None));
        Assert.Equal(4, (await store.QueryFramesAsync(new FrameQuery(Mn: "QHXN0010001"), CancellationToken.None)).Count);
        Assert.Equal(2, (await store.QueryFramesAsync(new FrameQuery(Status: "rejected"), CancellationToken.None)).Count);
        var counts = await store.CountAsync(CancellationToken.None);
        Assert.Equal(new Dictionary<string, long> { ["accepted"] = 2, ["rejected"] = 2, ["duplicate"] = 1 }, counts.FramesByStatus);
    }

    private static long Scalar(SqliteConnection db, string sql)
    {
        using var c = db.CreateCommand();
        c.CommandText = sql;
        return Convert.ToInt64(c.ExecuteScalar() ?? 0, System.Globalization.CultureInfo.InvariantCulture);
    }
}
