using System.Globalization;
using EmissionMonitor.Intake;
using Microsoft.Data.Sqlite;

namespace EmissionMonitor.Storage.Sqlite;

/// <summary>Queries of readings and archived frames, and their row mapping.</summary>
public sealed partial class SqliteStore
{
    // The conditions are written only when a filter is given: "($mn IS NULL OR outlet = ...)" would
    // keep SQLite from using the key, and one outlet's query would scan every outlet's records.
    public async Task<IReadOnlyList<Reading>> QueryReadingsAsync(ReadingQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, $"""
            SELECT outlet, period, data FROM records
            WHERE {(query.Mn is null ? "" : "outlet = (SELECT id FROM names WHERE name = $mn) AND ")}cn = (SELECT id FROM names WHERE name = $cn)
              AND period >= $from AND period < $to
            """,
            [("$cn", query.Cn), ("$from", SqliteFacts.PeriodKey(query.From)), ("$to", SqliteFacts.PeriodKey(query.To)), ("$mn", query.Mn)]);
        var list = new List<Reading>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.AddRange(ReadRecord(reader.GetInt64(0), query.Cn, reader.GetInt64(1), (byte[])reader.GetValue(2))
                .Where(r => query.Pollutant is null || string.Equals(r.Pollutant, query.Pollutant, StringComparison.Ordinal)));
        }

        list.Sort(static (a, b) => a.Mn != b.Mn ? string.CompareOrdinal(a.Mn, b.Mn)
            : a.Pollutant != b.Pollutant ? string.CompareOrdinal(a.Pollutant, b.Pollutant) : a.Period.CompareTo(b.Period));
        return list;
    }

    /// <summary>
    /// Each record row says how many readings it holds: a period's count is a sum over the rows' keys,
    /// no record unpacked (a pollutant's count is read a window at a time).
    /// </summary>
    public async Task<long> CountReadingsAsync(ReadingQuery query, CancellationToken cancellationToken)
    {
        if (query.Pollutant is not null)
        {
            return await ReadingWindows.CountAsync(query, ReadingWindows.Reader(this, query), cancellationToken);
        }

        var sum = await QueryAsync($"""
            SELECT SUM(n) FROM records
            WHERE {(query.Mn is null ? "" : "outlet = (SELECT id FROM names WHERE name = $mn) AND ")}cn = (SELECT id FROM names WHERE name = $cn)
              AND period >= $from AND period < $to
            """,
            [("$cn", query.Cn), ("$from", SqliteFacts.PeriodKey(query.From)), ("$to", SqliteFacts.PeriodKey(query.To)), ("$mn", query.Mn)],
            r => r.IsDBNull(0) ? 0 : r.GetInt64(0), cancellationToken);
        return sum[0];
    }

    /// <summary>
    /// Moves the readings of a database made before packed records (a row per reading, text keys)
    /// into <c>records</c>, in one transaction at start-up, and drops the old table: nothing is lost
    /// and nothing is counted twice if the move is interrupted (it runs again from the start).
    /// </summary>
    private async Task MoveOldReadingsAsync(SqliteConnection writer, CancellationToken cancellationToken)
    {
        var names = Names(writer);
        await using var tx = (SqliteTransaction)await writer.BeginTransactionAsync(cancellationToken);
        using var insert = new SqliteStatement(writer, "INSERT OR IGNORE INTO records (outlet, cn, period, n, frame_id, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        await using var read = writer.CreateCommand();
        read.Transaction = tx;
        read.CommandText = $"SELECT mn, cn, period, pollutant, rtd, avg, min, max, cou, zs_rtd, zs_avg, flag, invalid, rf, raw_avg, frame_id FROM {SqliteSchema.OldReadings} ORDER BY mn, cn, period, pollutant";
        var pack = new PackBuffer();
        (string Mn, string Cn, string Period)? key = null;
        long frame = 0;
        int n = 0;
        void Flush()
        {
            if (key is { } k && n > 0)
            {
                insert.Integer(1, names.Id(k.Mn)).Integer(2, names.Id(k.Cn)).Integer(3, SqliteFacts.PeriodKey(ParseTime(k.Period)))
                    .Integer(4, n).Integer(5, frame).Blob(6, pack.Span).Execute();
            }

            pack.Clear();
            n = 0;
        }

        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var r = new Reading(reader.GetString(0), reader.GetString(1), ParseTime(reader.GetString(2)), reader.GetString(3),
                    Num(reader, 4), Num(reader, 5), Num(reader, 6), Num(reader, 7), Num(reader, 8), Num(reader, 9), Num(reader, 10),
                    Str(reader, 11), Str(reader, 12), reader.IsDBNull(13) ? null : reader.GetInt32(13), Num(reader, 14));
                long readingFrame = reader.GetInt64(15);
                var readingKey = (r.Mn, r.Cn, reader.GetString(2));
                if (key != readingKey)
                {
                    Flush();
                    key = readingKey;
                    frame = readingFrame;
                }

                RecordPacking.Write(pack, names.Id(r.Pollutant), r, readingFrame == frame ? 0 : readingFrame);
                n++;
            }
        }

        Flush();
        await using (var drop = writer.CreateCommand())
        {
            drop.Transaction = tx;
            drop.CommandText = $"DROP TABLE {SqliteSchema.OldReadings}";
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ArchivedFrame>> QueryFramesAsync(FrameQuery query, CancellationToken cancellationToken)
    {
        var list = await WithRawAsync(await QueryAsync($"""
            SELECT {FrameColumns} FROM frames
            WHERE {FrameFilter("", query)}
            ORDER BY id DESC LIMIT $limit
            """,
            [("$mn", query.Mn), ("$status", query.Status), ("$limit", query.Limit)],
            MapFrame,
            cancellationToken), cancellationToken);
        list.Reverse();
        return list;
    }

    private static string Time(DateTime t) => t.ToString(TimeFormat, CultureInfo.InvariantCulture);

    internal static DateTime ParseTime(string s) => DateTime.ParseExact(s, TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>The readings of one stored record row, names read through the store's cache of the names table.</summary>
    private IEnumerable<Reading> ReadRecord(long outlet, string cn, long period, byte[] data) =>
        RecordPacking.ReadSorted(data, NameOf(outlet), cn, SqliteFacts.FromPeriodKey(period), NameOf);

    /// <summary>
    /// The name of an id of the names table. Ids never change once committed (a rolled-back id is
    /// never seen by a reader), so the cache is read again only for an id it has not seen.
    /// </summary>
    private string NameOf(long id)
    {
        if (_nameOf.TryGetValue(id, out var name))
        {
            return name;
        }

        LoadNames();
        return _nameOf.TryGetValue(id, out name) ? name : throw new InvalidDataException($"the store names no id {id}");
    }

    /// <summary>Reads the names table into the cache (ids and names both ways).</summary>
    private void LoadNames()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        using var command = Command(connection, "SELECT id, name FROM names", []);
        using var reader = command.ExecuteReader();
        var idOf = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            _nameOf[reader.GetInt64(0)] = reader.GetString(1);
            idOf[reader.GetString(1)] = reader.GetInt64(0);
        }

        _idOf = idOf;
    }

    /// <summary>The names cache the other way: a name's id (replaced whole by <see cref="LoadNames"/>).</summary>
    private volatile Dictionary<string, long>? _idOf;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, string> _nameOf = new();

    private const string FrameColumns = "id, received_at, transport, peer, mn, cn, data_time, status, reason, detail, raw, block, block_offset, block_length";

    /// <summary>An archived frame as stored: its raw bytes inline (older rows), or where they lie in a compressed block.</summary>
    private sealed record StoredFrame(ArchivedFrame Frame, long? Block, int Offset, int Length);

    private StoredFrame MapFrame(SqliteDataReader r) => new(
        new ArchivedFrame(r.GetInt64(0), ReceivedAt(r.GetValue(1)), Named(r.GetValue(2))!,
            Named(r.GetValue(3)), Named(r.GetValue(4)), Named(r.GetValue(5)), r.GetValue(6) is long digits ? digits.ToString(CultureInfo.InvariantCulture) : Str(r, 6),
            Named(r.GetValue(7))!, Str(r, 8), Str(r, 9), (byte[])r.GetValue(10)),
        r.IsDBNull(11) ? null : r.GetInt64(11), r.IsDBNull(12) ? 0 : r.GetInt32(12), r.IsDBNull(13) ? 0 : r.GetInt32(13));

    /// <summary>
    /// The condition of a frame query on the frames table (<paramref name="alias"/> its prefix): MN and
    /// status are stored by name id, or as text (older rows, names the store did not know).
    /// </summary>
    private static string FrameFilter(string alias, FrameQuery query) =>
        (query.Mn is null ? "1" : $"{alias}mn IN ((SELECT id FROM names WHERE name = $mn), $mn)")
        + (query.Status is null ? "" : $" AND {alias}status IN ((SELECT id FROM names WHERE name = $status), $status)");

    /// <summary>A receive time as stored: UTC ticks, or (older rows, and a time with an offset) its round-trip text.</summary>
    private static DateTimeOffset ReceivedAt(object value) => value is long ticks
        ? new DateTimeOffset(ticks, TimeSpan.Zero)
        : DateTimeOffset.Parse((string)value, CultureInfo.InvariantCulture);

    /// <summary>A column holding a name by its id, or as text (older rows, names the store did not know).</summary>
    private string? Named(object value) => value switch
    {
        long id => NameOf(id),
        string text => text,
        _ => null,
    };

    /// <summary>The frames with their raw bytes, each block they lie in read and inflated once.</summary>
    private async Task<List<ArchivedFrame>> WithRawAsync(List<StoredFrame> stored, CancellationToken cancellationToken)
    {
        var blocks = new Dictionary<long, byte[]>();
        foreach (long id in stored.Where(s => s.Block is not null).Select(s => s.Block!.Value).Distinct())
        {
            var data = await QueryAsync("SELECT data FROM frame_blocks WHERE id = $id", [("$id", id)], r => (byte[])r.GetValue(0), cancellationToken);
            blocks[id] = data.Count == 0 ? [] : FrameBlocks.Decompress(data[0]);
        }

        return stored.Select(s => s.Block is { } b
            ? s.Frame with { Raw = blocks[b].AsSpan(s.Offset, s.Length).ToArray() }
            : s.Frame).ToList();
    }

    private static double? Num(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);

    private static string? Str(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
