using System.Globalization;
using EmissionMonitor.Intake;
using Microsoft.Data.Sqlite;

namespace EmissionMonitor.Storage;

/// <summary>
/// The embedded store: one SQLite file (WAL, synchronous=FULL so a commit survives a crash) under
/// the data folder. One writer connection commits whole batches in one transaction; queries open
/// their own read connections, so reports run beside ingestion.
/// </summary>
public sealed class SqliteStore(string dataDirectory) : IReadingStore
{
    internal const string TimeFormat = "yyyy-MM-ddTHH:mm:ss.fff";
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private SqliteConnection? _writer;

    public string DatabasePath { get; } = Path.Combine(dataDirectory, "emission-monitor.db");

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        _writer = await OpenAsync(cancellationToken);
        await ExecAsync(_writer, SqliteSchema.Create, cancellationToken);
    }

    public async Task<IReadOnlyList<StoredOutcome>> CommitAsync(IReadOnlyList<IntakeResult> batch, CancellationToken cancellationToken)
    {
        var writer = _writer ?? throw new InvalidOperationException("store not initialised");
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var tx = (SqliteTransaction)await writer.BeginTransactionAsync(cancellationToken);
            using var commands = new SqliteCommitCommands(writer, tx);
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

    public async Task<IReadOnlyList<Reading>> QueryReadingsAsync(ReadingQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT mn, cn, period, pollutant, rtd, avg, min, max, cou, zs_rtd, zs_avg, flag, invalid FROM readings
            WHERE cn = $cn AND period >= $from AND period < $to
              AND ($mn IS NULL OR mn = $mn) AND ($pollutant IS NULL OR pollutant = $pollutant)
            ORDER BY mn, pollutant, period
            """;
        command.Parameters.AddWithValue("$cn", query.Cn);
        command.Parameters.AddWithValue("$from", query.From.ToString(TimeFormat, CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$to", query.To.ToString(TimeFormat, CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$mn", (object?)query.Mn ?? DBNull.Value);
        command.Parameters.AddWithValue("$pollutant", (object?)query.Pollutant ?? DBNull.Value);
        var list = new List<Reading>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new Reading(
                reader.GetString(0), reader.GetString(1),
                DateTime.ParseExact(reader.GetString(2), TimeFormat, CultureInfo.InvariantCulture), reader.GetString(3),
                Num(reader, 4), Num(reader, 5), Num(reader, 6), Num(reader, 7), Num(reader, 8), Num(reader, 9), Num(reader, 10),
                reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetString(12)));
        }

        return list;
    }

    public async Task<IReadOnlyList<ArchivedFrame>> QueryFramesAsync(FrameQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, received_at, transport, peer, mn, cn, data_time, status, reason, detail, raw FROM frames
            WHERE ($mn IS NULL OR mn = $mn) AND ($status IS NULL OR status = $status)
            ORDER BY id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$mn", (object?)query.Mn ?? DBNull.Value);
        command.Parameters.AddWithValue("$status", (object?)query.Status ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", query.Limit);
        var list = new List<ArchivedFrame>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new ArchivedFrame(
                reader.GetInt64(0), DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture), reader.GetString(2),
                Str(reader, 3), Str(reader, 4), Str(reader, 5), Str(reader, 6), reader.GetString(7), Str(reader, 8), Str(reader, 9),
                (byte[])reader.GetValue(10)));
        }

        list.Reverse();
        return list;
    }

    public async Task AddMarkAsync(Compliance.Mark mark, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO marks (mn, kind, from_time, to_time, comment) VALUES ($mn, $kind, $from, $to, $comment)";
        command.Parameters.AddWithValue("$mn", mark.Mn);
        command.Parameters.AddWithValue("$kind", mark.Kind);
        command.Parameters.AddWithValue("$from", mark.From.ToString(TimeFormat, CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$to", mark.To.ToString(TimeFormat, CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$comment", (object?)mark.Comment ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Compliance.Mark>> QueryMarksAsync(DateTime from, DateTime to, string? mn, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT mn, kind, from_time, to_time, comment FROM marks WHERE to_time > $from AND from_time < $to AND ($mn IS NULL OR mn = $mn) ORDER BY mn, from_time";
        command.Parameters.AddWithValue("$from", from.ToString(TimeFormat, CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$to", to.ToString(TimeFormat, CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$mn", (object?)mn ?? DBNull.Value);
        var list = new List<Compliance.Mark>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new Compliance.Mark(reader.GetString(0), reader.GetString(1),
                DateTime.ParseExact(reader.GetString(2), TimeFormat, CultureInfo.InvariantCulture),
                DateTime.ParseExact(reader.GetString(3), TimeFormat, CultureInfo.InvariantCulture), Str(reader, 4)));
        }

        return list;
    }

    public async Task AddCardLiftAsync(Compliance.CardLift lift, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO card_lifts (enterprise, quarter, lifted_at, lifted_by, comment) VALUES ($e, $q, $at, $by, $c)";
        command.Parameters.AddWithValue("$e", lift.Enterprise);
        command.Parameters.AddWithValue("$q", lift.Quarter);
        command.Parameters.AddWithValue("$at", lift.At.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$by", lift.By);
        command.Parameters.AddWithValue("$c", (object?)lift.Comment ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Compliance.CardLift>> QueryCardLiftsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT enterprise, quarter, lifted_at, lifted_by, comment FROM card_lifts ORDER BY id";
        var list = new List<Compliance.CardLift>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new Compliance.CardLift(reader.GetString(0), reader.GetString(1),
                DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture), reader.GetString(3), Str(reader, 4)));
        }

        return list;
    }

    public async Task SaveAlertAsync(Alerts.Alert alert, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO alerts (id, state, raised_at, json) VALUES ($id, $state, $raised, $json)";
        command.Parameters.AddWithValue("$id", alert.Id);
        command.Parameters.AddWithValue("$state", alert.State);
        command.Parameters.AddWithValue("$raised", alert.RaisedAt.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$json", System.Text.Encoding.UTF8.GetString(Alerts.AlertJson.Serialize(alert, TimeZoneInfo.Utc)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Alerts.Alert>> QueryAlertsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT json FROM alerts ORDER BY raised_at";
        var list = new List<Alerts.Alert>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(Alerts.AlertJson.Deserialize(reader.GetString(0)));
        }

        return list;
    }

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
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
            _writer = null;
        }

        _writeLock.Dispose();
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

    private static double? Num(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);

    private static string? Str(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
