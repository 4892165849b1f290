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

        var readings = await QueryAsync($"SELECT {Prefixed("r", ReadingColumns)} FROM outbox o JOIN readings r ON r.mn = o.mn AND r.cn = o.cn AND r.period = o.period AND r.pollutant = o.pollutant WHERE o.kind = 'reading' AND o.seq <= $max ORDER BY o.seq",
            [("$max", max)], MapReading, cancellationToken);
        var frames = await WithRawAsync(await QueryAsync($"SELECT {Prefixed("f", FrameColumns)} FROM outbox o JOIN frames f ON f.id = o.ref_id WHERE o.kind = 'frame' AND o.seq <= $max ORDER BY o.seq",
            [("$max", max)], MapFrame, cancellationToken), cancellationToken);
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
    public async Task<PendingRecords> RecordsAsync(
        IReadOnlyList<(string Kind, long Id)> records, CancellationToken cancellationToken)
    {
        string Ids(string kind) => string.Join(",", records.Where(r => r.Kind == kind).Select(r => r.Id.ToString(CultureInfo.InvariantCulture)));
        var marks = await QueryAsync($"SELECT {MarkColumns} FROM marks WHERE rowid IN ({Ids("mark")})", [], MapMark, cancellationToken);
        var lifts = await QueryAsync($"SELECT {LiftColumns} FROM card_lifts WHERE rowid IN ({Ids("lift")})", [], MapLift, cancellationToken);
        var alerts = await QueryAsync($"SELECT {AlertColumns} FROM alerts WHERE rowid IN ({Ids("alert")})", [], MapAlert, cancellationToken);
        var keys = await QueryAsync($"SELECT {KeyColumns} FROM terminal_keys WHERE rowid IN ({Ids("key")})", [], MapKey, cancellationToken);
        var identities = await QueryAsync($"SELECT {IdentityColumns} FROM terminal_identities WHERE rowid IN ({Ids("identity")})", [], MapIdentity, cancellationToken);
        var commands = await QueryAsync($"SELECT {CommandColumns} FROM commands WHERE rowid IN ({Ids("command")})", [], MapCommand, cancellationToken);
        var decisions = await QueryAsync($"SELECT {DecisionColumns} FROM card_decisions WHERE rowid IN ({Ids("decision")})", [], MapDecision, cancellationToken);
        var publications = await QueryAsync($"SELECT {PublicationColumns} FROM publications WHERE rowid IN ({Ids("publication")})", [], MapPublication, cancellationToken);
        var notifications = await QueryAsync($"SELECT {NotificationColumns} FROM notifications WHERE rowid IN ({Ids("notification")})", [], MapNotification, cancellationToken);
        var documents = await QueryAsync($"SELECT {DocumentColumns} FROM documents WHERE rowid IN ({Ids("document")})", [], MapDocument, cancellationToken);
        return new PendingRecords(marks, lifts, alerts, keys, identities, commands, decisions, publications, notifications, documents);
    }

    /// <summary>The statement that queues the row just inserted, in buffer mode; nothing otherwise.</summary>
    private string QueueRecord(string kind) =>
        outbox ? $"INSERT INTO outbox (kind, ref_id, queued_at) VALUES ('{kind}', last_insert_rowid(), $queued);" : string.Empty;

    private string Now() => (clock ?? TimeProvider.System).GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    private static string Prefixed(string alias, string columns) => string.Join(", ", columns.Split(", ").Select(c => alias + "." + c));
}
