using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EmissionMonitor.Storage.Sqlite;

/// <summary>
/// Retention: whole archive blocks of a class whose newest frame is older than the class's age go
/// with their frame rows (never a class's newest block, which the writer may still append to); readings by outlet and CN by period; summaries by day. A chunk per
/// transaction on the writer between group commits; a mark per class remembers how far the blocks
/// were examined, so each pass reads only what arrived since the last. In buffer mode (the InfluxDB
/// backend) nothing still waiting to be forwarded is removed.
/// </summary>
public sealed partial class SqliteStore
{
    public Task<PruneResult> PruneAsync(RetentionOptions options, DateTimeOffset now, TimeZoneInfo zone, IReadOnlyCollection<string> mns, CancellationToken cancellationToken) =>
        PruneAsync(RetentionPlan.Of(options, now, zone), mns, cancellationToken);

    /// <summary>Runs one pruning pass of <paramref name="plan"/>.</summary>
    public async Task<PruneResult> PruneAsync(RetentionPlan plan, IReadOnlyCollection<string> mns, CancellationToken cancellationToken)
    {
        long frames = 0, readings = 0, summaries = 0;
        foreach (var (cls, before) in plan.FramesBefore)
        {
            frames += await PruneBlocksAsync(cls, before, cancellationToken);
        }

        foreach (var (cn, before) in plan.ReadingsBefore)
        {
            var cut = await PendingReadingCutAsync(before, cancellationToken);
            foreach (var mn in mns)
            {
                readings += await PruneRecordsAsync(mn, cn, cut, plan.BatchRows, cancellationToken);
            }
        }

        if (plan.SummariesBefore is { } summariesBefore)
        {
            // Whole months only, so a month's row and its days go together.
            var month = new DateTime(summariesBefore.Year, summariesBefore.Month, 1);
            summaries += await RepeatAsync("DELETE FROM day_facts WHERE day = (SELECT MIN(day) FROM day_facts WHERE day < $cut)", [("$cut", SqliteFacts.DayKey(month))], 1, cancellationToken);
            summaries += await RepeatAsync("DELETE FROM exceed_hours WHERE hour < $cut AND hour < (SELECT MIN(hour) FROM exceed_hours) + 24",
                [("$cut", SqliteFacts.HourKey(month))], 1, cancellationToken);
            await ExecuteCountAsync($"{SqliteSchema.MarkExceedStarts} WHERE hour = $cut", [("$cut", SqliteFacts.HourKey(month))], cancellationToken); // their hour before is gone
            summaries += await ExecuteCountAsync("DELETE FROM month_facts WHERE month < $cut", [("$cut", SqliteFacts.MonthKey(month))], cancellationToken);
        }

        if (summaries > 0)
        {
            FactsChanged();
        }

        return new PruneResult(frames, readings, summaries);
    }

    /// <summary>Removes the blocks of <paramref name="cls"/> whose newest frame came before <paramref name="before"/>, with their frame rows.</summary>
    private async Task<long> PruneBlocksAsync(int cls, DateTimeOffset before, CancellationToken cancellationToken)
    {
        string kind = $"blocks-{cls}";
        long removed = 0;
        while (true)
        {
            long mark = (await QueryAsync("SELECT mark FROM retention_state WHERE kind = $k", [("$k", kind)], r => r.GetInt64(0), cancellationToken)).FirstOrDefault();
            long pending = outbox ? (await QueryAsync("SELECT MIN(ref_id) FROM outbox WHERE kind = 'frame'", [], r => r.IsDBNull(0) ? long.MaxValue : r.GetInt64(0), cancellationToken))[0] : long.MaxValue;
            var blocks = await QueryAsync("""
                SELECT id, first_frame, last_frame FROM frame_blocks
                WHERE id > $mark AND class = $c AND updated_at < $before AND last_frame < $pending AND last_frame > 0
                  AND id < (SELECT MAX(id) FROM frame_blocks WHERE class = $c)
                ORDER BY id LIMIT 200
                """, [("$mark", mark), ("$c", cls), ("$before", before.ToUnixTimeSeconds()), ("$pending", pending)],
                r => (Id: r.GetInt64(0), First: r.GetInt64(1), Last: r.GetInt64(2)), cancellationToken);
            if (blocks.Count == 0)
            {
                return removed;
            }

            string ids = string.Join(',', blocks.Select(b => b.Id.ToString(CultureInfo.InvariantCulture)));
            removed += await ExecuteCountAsync($"""
                DELETE FROM frames WHERE id BETWEEN $first AND $last AND block IN ({ids});
                DELETE FROM frame_blocks WHERE id IN ({ids});
                INSERT OR REPLACE INTO retention_state (kind, mark) VALUES ($k, $mark);
                """, [("$first", blocks.Min(b => b.First)), ("$last", blocks.Max(b => b.Last)), ("$k", kind), ("$mark", blocks[^1].Id)], cancellationToken);
            if (blocks.Count < 200)
            {
                return removed;
            }
        }
    }

    /// <summary>Removes an outlet's records of a CN before <paramref name="cut"/>, a chunk of rows per transaction; returns the readings they held.</summary>
    private async Task<long> PruneRecordsAsync(string mn, string cn, DateTime cut, int chunk, CancellationToken cancellationToken)
    {
        const string Chunk = """
            FROM records WHERE (outlet, cn, period) IN (SELECT outlet, cn, period FROM records
                WHERE outlet = (SELECT id FROM names WHERE name = $mn) AND cn = (SELECT id FROM names WHERE name = $cn) AND period < $cut LIMIT $n)
            """;
        (string, object?)[] parameters = [("$mn", mn), ("$cn", cn), ("$cut", SqliteFacts.PeriodKey(cut)), ("$n", chunk)];
        long total = 0;
        while (true)
        {
            var (rows, readings) = await WriteTransactionAsync(async (writer, tx) =>
            {
                await using var count = Command(writer, $"SELECT COUNT(*), COALESCE(SUM(n), 0) {Chunk}", parameters);
                count.Transaction = tx;
                long rows = 0, readings = 0;
                await using (var reader = await count.ExecuteReaderAsync(cancellationToken))
                {
                    if (await reader.ReadAsync(cancellationToken))
                    {
                        (rows, readings) = (reader.GetInt64(0), reader.GetInt64(1));
                    }
                }

                await using var delete = Command(writer, $"DELETE {Chunk}", parameters);
                delete.Transaction = tx;
                await delete.ExecuteNonQueryAsync(cancellationToken);
                return (rows, readings);
            }, cancellationToken);
            total += readings;
            if (rows < chunk)
            {
                return total;
            }
        }
    }

    /// <summary>The readings cut, moved back before any reading still waiting to be forwarded (buffer mode).</summary>
    private async Task<DateTime> PendingReadingCutAsync(DateTime before, CancellationToken cancellationToken)
    {
        if (!outbox)
        {
            return before;
        }

        var oldest = (await QueryAsync("SELECT MIN(period) FROM outbox WHERE kind = 'reading'", [], r => r.IsDBNull(0) ? null : r.GetString(0), cancellationToken))[0];
        return oldest is not null && ParseTime(oldest) < before ? ParseTime(oldest) : before;
    }

    /// <summary>Runs a chunked DELETE until it removes fewer than <paramref name="chunk"/> rows; returns how many it removed.</summary>
    private async Task<long> RepeatAsync(string sql, (string, object?)[] parameters, int chunk, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            int n = await ExecuteCountAsync(sql, parameters, cancellationToken);
            total += n;
            if (n < chunk)
            {
                return total;
            }
        }
    }

    /// <summary>Like <see cref="ExecuteAsync"/>, returning the rows the first statement changed.</summary>
    private Task<int> ExecuteCountAsync(string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken) =>
        WriteTransactionAsync(async (writer, tx) =>
        {
            int changed = 0;
            foreach (var statement in sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                await using var command = Command(writer, statement, parameters.Where(p => statement.Contains(p.Name, StringComparison.Ordinal)).ToArray());
                command.Transaction = tx;
                int n = await command.ExecuteNonQueryAsync(cancellationToken);
                changed = changed == 0 ? n : changed;
            }

            return changed;
        }, cancellationToken);
}
