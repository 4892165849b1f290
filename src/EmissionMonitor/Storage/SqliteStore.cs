using System.Globalization;
using EmissionMonitor.Intake;
using Microsoft.Data.Sqlite;
using EmissionMonitor.Compliance.Cards;
using EmissionMonitor.Compliance.Marks;

namespace EmissionMonitor.Storage;

/// <summary>
/// The embedded store: one SQLite file (WAL, synchronous=FULL so a commit survives a crash) under
/// the data folder. One writer connection commits whole batches in one transaction; queries open
/// their own read connections, so reports run beside ingestion.
/// </summary>
public sealed class SqliteStore(string dataDirectory, bool outbox = false, int maxSizeMB = 0, TimeProvider? clock = null) : IStore
{
    internal const string TimeFormat = "yyyy-MM-ddTHH:mm:ss.fff";
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private SqliteConnection? _writer;
    private SqliteCommitCommands? _commands;
    private readonly CancellationTokenSource _stop = new();
    private Task _checkpoints = Task.CompletedTask;
    private bool _disposed;

    public string DatabasePath { get; } = Path.Combine(dataDirectory, "emission-monitor.db");

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(dataDirectory);
            _writer = await OpenAsync(cancellationToken);
            await ExecAsync(_writer, SqliteSchema.Create, cancellationToken);
            foreach (var (table, column) in SqliteSchema.AddedColumns)
            {
                await using var check = _writer.CreateCommand();
                check.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column.Split(' ')[0]}'";
                if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
                {
                    await ExecAsync(_writer, $"ALTER TABLE {table} ADD COLUMN {column};", cancellationToken);
                }
            }

            await ExecAsync(_writer, "CREATE TABLE IF NOT EXISTS write_check (x); DROP TABLE write_check;", cancellationToken);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            // A folder the service may not write (permissions, a read-only mount, a full disk) stops
            // start-up with the key and the reason, not a crash.
            if (_writer is not null)
            {
                await _writer.DisposeAsync();
                _writer = null;
            }

            throw new ConfigurationException(
                $"Storage:DataDirectory '{Path.GetFullPath(dataDirectory)}' cannot hold the database {Path.GetFileName(DatabasePath)}: {Reason(e)}");
        }

        // A 64 MB page cache for the writer, and checkpoints moved off the commit path: a background
        // connection copies the WAL into the database every second (PASSIVE never blocks the writer);
        // the writer's own auto-checkpoint, at 64 MB of WAL, stays as the backstop.
        await ExecAsync(_writer, "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 16384;", cancellationToken);
        if (maxSizeMB > 0)
        {
            // Storage:MaxSizeMB: past this size SQLite answers "database or disk is full", like a full disk.
            await ExecAsync(_writer, $"PRAGMA max_page_count = {(long)maxSizeMB * 1024 * 1024 / 4096};", cancellationToken);
        }

        _checkpoints = Task.Run(() => CheckpointLoopAsync(_stop.Token), CancellationToken.None);
    }

    private async Task CheckpointLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                try
                {
                    await ExecAsync(connection, "PRAGMA wal_checkpoint(PASSIVE);", cancellationToken);
                }
                catch (SqliteException)
                {
                    // Busy, or a failing disk: the writer's auto-checkpoint remains; try again next round.
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SqliteException)
        {
            // Stopping, or the database cannot be opened a second time: the writer checkpoints itself.
        }
    }

    public async Task<IReadOnlyList<StoredOutcome>> CommitAsync(IReadOnlyList<IntakeResult> batch, CancellationToken cancellationToken)
    {
        var writer = _writer ?? throw new InvalidOperationException("store not initialised");
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var tx = (SqliteTransaction)await writer.BeginTransactionAsync(cancellationToken);
            var commands = _commands ??= new SqliteCommitCommands(writer, outbox);
            var outcomes = new List<StoredOutcome>(batch.Count);
            foreach (var item in batch)
            {
                outcomes.Add(commands.Store(item));
            }

            await tx.CommitAsync(cancellationToken);
            return outcomes;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<IReadOnlyList<Reading>> QueryReadingsAsync(ReadingQuery query, CancellationToken cancellationToken) =>
        await QueryAsync($"""
            SELECT {ReadingColumns} FROM readings
            WHERE cn = $cn AND period >= $from AND period < $to
              AND ($mn IS NULL OR mn = $mn) AND ($pollutant IS NULL OR pollutant = $pollutant)
            ORDER BY mn, pollutant, period
            """,
            [("$cn", query.Cn), ("$from", Time(query.From)), ("$to", Time(query.To)), ("$mn", query.Mn), ("$pollutant", query.Pollutant)],
            MapReading,
            cancellationToken);

    public async Task<IReadOnlyList<ArchivedFrame>> QueryFramesAsync(FrameQuery query, CancellationToken cancellationToken)
    {
        var list = await QueryAsync($"""
            SELECT {FrameColumns} FROM frames
            WHERE ($mn IS NULL OR mn = $mn) AND ($status IS NULL OR status = $status)
            ORDER BY id DESC LIMIT $limit
            """,
            [("$mn", query.Mn), ("$status", query.Status), ("$limit", query.Limit)],
            MapFrame,
            cancellationToken);
        list.Reverse();
        return list;
    }

    /// <summary>Appends a mark row: a new mark, or the revocation of one (the same mark with <see cref="Compliance.Marks.Mark.Revoked"/>).</summary>
    public Task AddMarkAsync(Compliance.Marks.Mark mark, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT INTO marks (mn, kind, from_time, to_time, comment, meta) VALUES ($mn, $kind, $from, $to, $comment, $meta);" + QueueRecord("mark"),
            [("$mn", mark.Mn), ("$kind", mark.Kind), ("$from", Time(mark.From)), ("$to", Time(mark.To)), ("$comment", mark.Comment), ("$meta", RecordMeta.Of(mark)), ("$queued", Now())],
            cancellationToken);

    public async Task<IReadOnlyList<Compliance.Marks.Mark>> QueryMarksAsync(DateTime from, DateTime to, string? mn, CancellationToken cancellationToken) =>
        Compliance.Marks.Mark.Latest(await QueryAsync(
            $"SELECT {MarkColumns} FROM marks WHERE to_time > $from AND from_time < $to AND ($mn IS NULL OR mn = $mn) ORDER BY mn, from_time, id",
            [("$from", Time(from)), ("$to", Time(to)), ("$mn", mn)], MapMark, cancellationToken));

    /// <summary>Appends a card-lift row: a lift, or its revocation (the same lift with <see cref="Compliance.Cards.CardLift.Revoked"/>).</summary>
    public Task AddCardLiftAsync(Compliance.Cards.CardLift lift, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT INTO card_lifts (enterprise, quarter, lifted_at, lifted_by, comment, meta) VALUES ($e, $q, $at, $by, $c, $meta);" + QueueRecord("lift"),
            [("$e", lift.Enterprise), ("$q", lift.Quarter), ("$at", lift.At.ToString("O", CultureInfo.InvariantCulture)), ("$by", lift.By), ("$c", lift.Comment),
                ("$meta", RecordMeta.Of(lift)), ("$queued", Now())],
            cancellationToken);

    public async Task<IReadOnlyList<Compliance.Cards.CardLift>> QueryCardLiftsAsync(CancellationToken cancellationToken) =>
        Compliance.Cards.CardLift.Latest(await QueryAsync($"SELECT {LiftColumns} FROM card_lifts ORDER BY id", [], MapLift, cancellationToken));

    private const string MarkColumns = "mn, kind, from_time, to_time, comment, meta";
    private const string LiftColumns = "enterprise, quarter, lifted_at, lifted_by, comment, meta";

    private static Compliance.Marks.Mark MapMark(SqliteDataReader r) =>
        RecordMeta.Apply(new Compliance.Marks.Mark(r.GetString(0), r.GetString(1), ParseTime(r.GetString(2)), ParseTime(r.GetString(3)), Str(r, 4)), Str(r, 5));

    private static Compliance.Cards.CardLift MapLift(SqliteDataReader r) =>
        RecordMeta.Apply(new Compliance.Cards.CardLift(r.GetString(0), r.GetString(1), DateTimeOffset.Parse(r.GetString(2), CultureInfo.InvariantCulture), r.GetString(3), Str(r, 4)), Str(r, 5));

    public Task SaveAlertAsync(Alerts.Alert alert, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT OR REPLACE INTO alerts (id, state, raised_at, json) VALUES ($id, $state, $raised, $json);" + QueueRecord("alert"),
            [("$id", alert.Id), ("$state", alert.State), ("$raised", alert.RaisedAt.ToString("O", CultureInfo.InvariantCulture)),
                ("$json", System.Text.Encoding.UTF8.GetString(Alerts.AlertJson.Serialize(alert, TimeZoneInfo.Utc))), ("$queued", Now())],
            cancellationToken);

    public async Task<IReadOnlyList<Alerts.Alert>> QueryAlertsAsync(CancellationToken cancellationToken) =>
        await QueryAsync("SELECT json FROM alerts ORDER BY raised_at", [], r => Alerts.AlertJson.Deserialize(r.GetString(0)), cancellationToken);

    /// <summary>Up to <paramref name="limit"/> of the oldest entries waiting to be forwarded (buffer mode), with their rows.</summary>
    public async Task<OutboxBatch> ReadOutboxAsync(int limit, CancellationToken cancellationToken)
    {
        var last = await QueryAsync("SELECT MAX(seq) FROM (SELECT seq FROM outbox ORDER BY seq LIMIT $limit)", [("$limit", limit)],
            r => r.IsDBNull(0) ? 0L : r.GetInt64(0), cancellationToken);
        long max = last[0];
        if (max == 0)
        {
            return new OutboxBatch(0, [], [], []);
        }

        var readings = await QueryAsync($"SELECT {Prefixed("r", ReadingColumns)} FROM outbox o JOIN readings r ON r.mn = o.mn AND r.cn = o.cn AND r.period = o.period AND r.pollutant = o.pollutant WHERE o.kind = 'reading' AND o.seq <= $max ORDER BY o.seq",
            [("$max", max)], MapReading, cancellationToken);
        var frames = await QueryAsync($"SELECT {Prefixed("f", FrameColumns)} FROM outbox o JOIN frames f ON f.id = o.ref_id WHERE o.kind = 'frame' AND o.seq <= $max ORDER BY o.seq",
            [("$max", max)], MapFrame, cancellationToken);
        var records = await QueryAsync("SELECT kind, ref_id FROM outbox WHERE kind NOT IN ('reading', 'frame') AND seq <= $max ORDER BY seq",
            [("$max", max)], r => (r.GetString(0), r.GetInt64(1)), cancellationToken);
        return new OutboxBatch(max, readings, frames, records);
    }

    /// <summary>Forgets forwarded entries up to and including <paramref name="seq"/>.</summary>
    public Task AckOutboxAsync(long seq, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM outbox WHERE seq <= $seq", [("$seq", seq)], cancellationToken);

    /// <summary>Entries waiting, and the queue time of the oldest.</summary>
    public async Task<(long Depth, DateTimeOffset? Oldest)> OutboxStateAsync(CancellationToken cancellationToken)
    {
        var rows = await QueryAsync("SELECT COUNT(*), MIN(queued_at) FROM outbox", [],
            r => (r.GetInt64(0), r.IsDBNull(1) ? (DateTimeOffset?)null : DateTimeOffset.Parse(r.GetString(1), CultureInfo.InvariantCulture)), cancellationToken);
        return rows[0];
    }

    /// <summary>Operator records by the row ids the outbox names (buffer mode).</summary>
    public async Task<(IReadOnlyList<Compliance.Marks.Mark> Marks, IReadOnlyList<Compliance.Cards.CardLift> Lifts, IReadOnlyList<Alerts.Alert> Alerts)> RecordsAsync(
        IReadOnlyList<(string Kind, long Id)> records, CancellationToken cancellationToken)
    {
        string Ids(string kind) => string.Join(",", records.Where(r => r.Kind == kind).Select(r => r.Id.ToString(CultureInfo.InvariantCulture)));
        var marks = await QueryAsync($"SELECT {MarkColumns} FROM marks WHERE rowid IN ({Ids("mark")})", [], MapMark, cancellationToken);
        var lifts = await QueryAsync($"SELECT {LiftColumns} FROM card_lifts WHERE rowid IN ({Ids("lift")})", [], MapLift, cancellationToken);
        var alerts = await QueryAsync($"SELECT json FROM alerts WHERE rowid IN ({Ids("alert")})", [], r => Alerts.AlertJson.Deserialize(r.GetString(0)), cancellationToken);
        return (marks, lifts, alerts);
    }

    /// <summary>The statement that queues the row just inserted, in buffer mode; nothing otherwise.</summary>
    private string QueueRecord(string kind) =>
        outbox ? $"INSERT INTO outbox (kind, ref_id, queued_at) VALUES ('{kind}', last_insert_rowid(), $queued);" : string.Empty;

    private string Now() => (clock ?? TimeProvider.System).GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    private static string Prefixed(string alias, string columns) => string.Join(", ", columns.Split(", ").Select(c => alias + "." + c));

    public async Task<StoreCounts> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        long readings = await ScalarAsync(connection, "SELECT COUNT(*) FROM readings", cancellationToken);
        var byStatus = await GroupAsync(connection, "SELECT status, COUNT(*) FROM frames GROUP BY status", cancellationToken);
        var byReason = await GroupAsync(connection, "SELECT reason, COUNT(*) FROM frames WHERE reason IS NOT NULL GROUP BY reason", cancellationToken);
        return new StoreCounts(readings, byStatus.Values.Sum(), byStatus, byReason);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync();
        await _checkpoints;
        _commands?.Dispose();
        _commands = null;
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
            _writer = null;
        }

        _writeLock.Dispose();
        _stop.Dispose();
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        await ExecAsync(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;", cancellationToken);
        return connection;
    }

    private static async Task ExecAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task<Dictionary<string, long>> GroupAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result[reader.GetString(0)] = reader.GetInt64(1);
        }

        return result;
    }

    /// <summary>Runs a query on a read connection of its own and maps each row.</summary>
    private async Task<List<T>> QueryAsync<T>(string sql, (string Name, object? Value)[] parameters, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, sql, parameters);
        var list = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(map(reader));
        }

        return list;
    }

    /// <summary>
    /// Runs statements (operator records, alerts, outbox acknowledgements) in one transaction on the
    /// writer connection, between group commits: SQLite has one writer at a time, and a second
    /// connection would wait in SQLite's busy loop for a gap between back-to-back commits.
    /// </summary>
    private async Task ExecuteAsync(string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        var writer = _writer ?? throw new InvalidOperationException("store not initialised");
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var tx = (SqliteTransaction)await writer.BeginTransactionAsync(cancellationToken);
            await using var command = Command(writer, sql, parameters);
            command.Transaction = tx;
            await command.ExecuteNonQueryAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static string Reason(Exception e) => e is SqliteException { SqliteErrorCode: var code } sqlite
        ? $"{sqlite.Message.TrimEnd('.')} (SQLite code {code}; is the folder writable by this user and the disk not full?)"
        : e.Message;

    private static string Time(DateTime t) => t.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static DateTime ParseTime(string s) => DateTime.ParseExact(s, TimeFormat, CultureInfo.InvariantCulture);

    private const string ReadingColumns = "mn, cn, period, pollutant, rtd, avg, min, max, cou, zs_rtd, zs_avg, flag, invalid";
    private const string FrameColumns = "id, received_at, transport, peer, mn, cn, data_time, status, reason, detail, raw";

    private static Reading MapReading(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), ParseTime(r.GetString(2)), r.GetString(3),
        Num(r, 4), Num(r, 5), Num(r, 6), Num(r, 7), Num(r, 8), Num(r, 9), Num(r, 10), Str(r, 11), Str(r, 12));

    private static ArchivedFrame MapFrame(SqliteDataReader r) => new(r.GetInt64(0), DateTimeOffset.Parse(r.GetString(1), CultureInfo.InvariantCulture), r.GetString(2),
        Str(r, 3), Str(r, 4), Str(r, 5), Str(r, 6), r.GetString(7), Str(r, 8), Str(r, 9), (byte[])r.GetValue(10));

    private static double? Num(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);

    private static string? Str(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
