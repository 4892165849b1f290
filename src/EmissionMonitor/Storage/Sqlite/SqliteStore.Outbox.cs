using System.Globalization;

namespace EmissionMonitor.Storage.Sqlite;

/// <summary>Buffer mode (the InfluxDB backend): the ordered outbox of what is not forwarded yet.</summary>
public sealed partial class SqliteStore
{
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

        var readings = await OutboxReadingsAsync("seq <= $max", [("$max", max)], cancellationToken);
        var frames = await WithRawAsync(await QueryAsync($"SELECT {Prefixed("f", FrameColumns)} FROM outbox o JOIN frames f ON f.id = o.ref_id WHERE o.kind = 'frame' AND o.seq <= $max ORDER BY o.seq",
            [("$max", max)], MapFrame, cancellationToken), cancellationToken);
        var records = await QueryAsync($"SELECT kind, ref_id FROM outbox WHERE {SqliteSchema.RecordEntries} AND seq <= $max ORDER BY seq",
            [("$max", max)], r => (r.GetString(0), r.GetInt64(1)), cancellationToken);
        return new OutboxBatch(max, readings, frames, records);
    }

    /// <summary>The readings waiting to be forwarded that <paramref name="query"/> asks for (by the outbox's index of MN, CN and period), in queue order.</summary>
    public async Task<IReadOnlyList<Intake.Reading>> PendingReadingsAsync(ReadingQuery query, CancellationToken cancellationToken)
    {
        return await OutboxReadingsAsync(
            $"cn = $cn AND period >= $from AND period < $to{(query.Mn is null ? "" : " AND mn = $mn")}{(query.Pollutant is null ? "" : " AND pollutant = $pollutant")}",
            [("$cn", query.Cn), ("$from", Time(query.From)), ("$to", Time(query.To)), ("$mn", query.Mn), ("$pollutant", query.Pollutant)], cancellationToken);
    }

    /// <summary>The readings of the outbox entries <paramref name="where"/> selects, in queue order, each record row read once.</summary>
    private async Task<List<Intake.Reading>> OutboxReadingsAsync(string where, (string, object?)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var entries = new List<(string Mn, string Cn, string Period, string Pollutant)>();
        await using (var command = Command(connection, $"SELECT mn, cn, period, pollutant FROM outbox WHERE kind = 'reading' AND {where} ORDER BY seq",
            parameters.Where(p => where.Contains(p.Item1, StringComparison.Ordinal)).ToArray()))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                entries.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }

        var rows = new Dictionary<(string, string, string), List<Intake.Reading>>();
        await using var select = Command(connection, """
            SELECT outlet, period, data FROM records
            WHERE outlet = (SELECT id FROM names WHERE name = $mn) AND cn = (SELECT id FROM names WHERE name = $cn) AND period = $period
            """, [("$mn", ""), ("$cn", ""), ("$period", 0L)]);
        var list = new List<Intake.Reading>(entries.Count);
        foreach (var (mn, cn, period, pollutant) in entries)
        {
            if (!rows.TryGetValue((mn, cn, period), out var record))
            {
                select.Parameters["$mn"].Value = mn;
                select.Parameters["$cn"].Value = cn;
                select.Parameters["$period"].Value = SqliteFacts.PeriodKey(ParseTime(period));
                record = [];
                await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
                {
                    if (await reader.ReadAsync(cancellationToken))
                    {
                        record.AddRange(ReadRecord(reader.GetInt64(0), cn, reader.GetInt64(1), (byte[])reader.GetValue(2)));
                    }
                }

                rows[(mn, cn, period)] = record;
            }

            list.AddRange(record.Where(r => string.Equals(r.Pollutant, pollutant, StringComparison.Ordinal)));
        }

        return list;
    }

    /// <summary>The operator records waiting to be forwarded (by the outbox's partial index of them: readings and frames are not read).</summary>
    public async Task<PendingRecords> PendingRecordsAsync(CancellationToken cancellationToken) =>
        await RecordsAsync(await QueryAsync($"SELECT kind, ref_id FROM outbox WHERE {SqliteSchema.RecordEntries} ORDER BY seq", [],
            r => (r.GetString(0), r.GetInt64(1)), cancellationToken), cancellationToken);

    /// <summary>The newest frames waiting to be forwarded that <paramref name="query"/> asks for, oldest first.</summary>
    public async Task<List<ArchivedFrame>> PendingFramesAsync(FrameQuery query, CancellationToken cancellationToken)
    {
        var list = await WithRawAsync(await QueryAsync($"""
            SELECT {Prefixed("f", FrameColumns)} FROM outbox o JOIN frames f ON f.id = o.ref_id
            WHERE o.kind = 'frame' AND {FrameFilter("f.", query)}
            ORDER BY o.seq DESC LIMIT $limit
            """, [("$mn", query.Mn), ("$status", query.Status), ("$limit", query.Limit)], MapFrame, cancellationToken), cancellationToken);
        list.Reverse();
        return list;
    }

    /// <summary>The outlets with readings of <paramref name="cns"/> waiting to be forwarded (buffer mode).</summary>
    public async Task<IReadOnlyList<string>> PendingOutletsAsync(IReadOnlyList<string> cns, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT DISTINCT mn FROM outbox WHERE kind = 'reading' AND cn IN ({string.Join(", ", cns.Select((_, i) => "$c" + i))})",
            cns.Select((c, i) => ("$c" + i, (object?)c)).ToArray(), r => r.GetString(0), cancellationToken);

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
    public async Task<PendingRecords> RecordsAsync(
        IReadOnlyList<(string Kind, long Id)> records, CancellationToken cancellationToken)
    {
        string Ids(string kind) => string.Join(",", records.Where(r => r.Kind == kind).Select(r => r.Id.ToString(CultureInfo.InvariantCulture)));
        var alerts = await QueryAsync($"SELECT {AlertColumns} FROM alerts WHERE rowid IN ({Ids("alert")})", [], MapAlert, cancellationToken);
        var documents = await QueryAsync($"SELECT {DocumentColumns} FROM documents WHERE rowid IN ({Ids("document")})", [], MapDocument, cancellationToken);
        return new PendingRecords(alerts, documents);
    }

    /// <summary>The statement that queues the row just inserted, in buffer mode; nothing otherwise.</summary>
    private string QueueRecord(string kind) =>
        outbox ? $"INSERT INTO outbox (kind, ref_id, queued_at) VALUES ('{kind}', last_insert_rowid(), $queued);" : string.Empty;

    private string Now() => (clock ?? TimeProvider.System).GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    private static string Prefixed(string alias, string columns) => string.Join(", ", columns.Split(", ").Select(c => alias + "." + c));
}
