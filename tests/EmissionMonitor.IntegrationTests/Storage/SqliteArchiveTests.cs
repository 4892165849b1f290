using System.Text;
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

    private static long Scalar(SqliteConnection db, string sql)
    {
        using var c = db.CreateCommand();
        c.CommandText = sql;
        return Convert.ToInt64(c.ExecuteScalar() ?? 0, System.Globalization.CultureInfo.InvariantCulture);
    }
}
