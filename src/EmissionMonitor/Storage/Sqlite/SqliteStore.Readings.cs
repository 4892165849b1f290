using System.Globalization;
using EmissionMonitor.Intake;
using Microsoft.Data.Sqlite;

namespace EmissionMonitor.Storage.Sqlite;

/// <summary>Queries of readings and archived frames, and their row mapping.</summary>
public sealed partial class SqliteStore
{
    // The conditions are written only when a filter is given: "($mn IS NULL OR mn = $mn)" would keep
    // SQLite from using the key, and one outlet's query would scan every outlet's readings.
    public async Task<IReadOnlyList<Reading>> QueryReadingsAsync(ReadingQuery query, CancellationToken cancellationToken) =>
        await QueryAsync($"""
            SELECT {ReadingColumns} FROM readings
            WHERE {(query.Mn is null ? "" : "mn = $mn AND ")}cn = $cn AND period >= $from AND period < $to{(query.Pollutant is null ? "" : " AND pollutant = $pollutant")}
            ORDER BY mn, pollutant, period
            """,
            [("$cn", query.Cn), ("$from", Time(query.From)), ("$to", Time(query.To)), ("$mn", query.Mn), ("$pollutant", query.Pollutant)],
            MapReading,
            cancellationToken);

    public async Task<IReadOnlyList<ArchivedFrame>> QueryFramesAsync(FrameQuery query, CancellationToken cancellationToken)
    {
        var list = await WithRawAsync(await QueryAsync($"""
            SELECT {FrameColumns} FROM frames
            WHERE {(query.Mn is null ? "1" : "mn = $mn")} AND {(query.Status is null ? "1" : "status = $status")}
            ORDER BY id DESC LIMIT $limit
            """,
            [("$mn", query.Mn), ("$status", query.Status), ("$limit", query.Limit)],
            MapFrame,
            cancellationToken), cancellationToken);
        list.Reverse();
        return list;
    }

    private static string Time(DateTime t) => t.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static DateTime ParseTime(string s) => DateTime.ParseExact(s, TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>The reading columns every reading query selects, in the mapping's order (the queries here and the writer's in <see cref="SqliteFacts"/>).</summary>
    internal const string ReadingColumns = "mn, cn, period, pollutant, rtd, avg, min, max, cou, zs_rtd, zs_avg, flag, invalid, rf, raw_avg";

    private const string FrameColumns = "id, received_at, transport, peer, mn, cn, data_time, status, reason, detail, raw, block, block_offset, block_length";

    private static Reading MapReading(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), ParseTime(r.GetString(2)), r.GetString(3),
        Num(r, 4), Num(r, 5), Num(r, 6), Num(r, 7), Num(r, 8), Num(r, 9), Num(r, 10), Str(r, 11), Str(r, 12), r.IsDBNull(13) ? null : r.GetInt32(13), Num(r, 14));

    /// <summary>An archived frame as stored: its raw bytes inline (older rows), or where they lie in a compressed block.</summary>
    private sealed record StoredFrame(ArchivedFrame Frame, long? Block, int Offset, int Length);

    private static StoredFrame MapFrame(SqliteDataReader r) => new(
        new ArchivedFrame(r.GetInt64(0), DateTimeOffset.Parse(r.GetString(1), CultureInfo.InvariantCulture), r.GetString(2),
            Str(r, 3), Str(r, 4), Str(r, 5), Str(r, 6), r.GetString(7), Str(r, 8), Str(r, 9), (byte[])r.GetValue(10)),
        r.IsDBNull(11) ? null : r.GetInt64(11), r.IsDBNull(12) ? 0 : r.GetInt32(12), r.IsDBNull(13) ? 0 : r.GetInt32(13));

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
