using System.Globalization;
using System.Text;
using System.Text.Json;
using EmissionMonitor.Intake;

namespace EmissionMonitor.Storage.Influx;

/// <summary>Readings, frames and counts: InfluxQL over what is forwarded, plus what is still pending in the local buffer (read first).</summary>
public sealed partial class InfluxStore
{
    /// <summary>
    /// One InfluxQL query through the pipeline; a server that is down, too slow or refusing becomes a
    /// <see cref="StoreUnavailableException"/> naming it (HTTP 503, exit code 1), never an unhandled error.
    /// </summary>
    private async Task<JsonDocument> QueryServerAsync(string query, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async t => await _connection.QueryAsync(query, t), cancellationToken);
        }
        catch (Exception e) when (IsServerFailure(e, cancellationToken))
        {
            throw new StoreUnavailableException($"InfluxDB at {_url} did not answer the query ({e.GetType().Name}: {e.Message})", e);
        }
    }

    public async Task<IReadOnlyList<Reading>> QueryReadingsAsync(ReadingQuery query, CancellationToken cancellationToken)
    {
        // The pending rows are read before InfluxDB is asked: a row forwarded in between was written
        // to InfluxDB before it left the buffer, so it is in one answer or the other, never in neither.
        var pending = await _buffer.PendingReadingsAsync(query, cancellationToken);
        var byKey = await ServerReadingsAsync(query, cancellationToken);

        // A pending row wins over what InfluxDB answered: while a write is in flight InfluxDB may
        // show a point with only some of its fields (it does not apply a point's fields atomically),
        // and a row is pending until its write has returned.
        foreach (var r in pending)
        {
            byKey[(r.Mn, r.Cn, r.Period, r.Pollutant)] = r;
        }

        return byKey.Values.OrderBy(r => r.Mn, StringComparer.Ordinal).ThenBy(r => r.Pollutant, StringComparer.Ordinal).ThenBy(r => r.Period).ToList();
    }

    /// <summary>Counted a window at a time (what the server and the buffer hold together: a point in both counted once).</summary>
    public Task<long> CountReadingsAsync(ReadingQuery query, CancellationToken cancellationToken) =>
        ReadingWindows.CountAsync(query, ReadingWindows.Reader(this, query), cancellationToken);

    /// <summary>The readings <paramref name="query"/> asks for that the server holds, by key.</summary>
    private async Task<Dictionary<(string, string, DateTime, string), Reading>> ServerReadingsAsync(ReadingQuery query, CancellationToken cancellationToken)
    {
        var byKey = new Dictionary<(string, string, DateTime, string), Reading>();
        if (InfluxSchema.MeasurementOfCn.TryGetValue(query.Cn, out var measurement))
        {
            var where = new StringBuilder(Span(query.From, query.To, query.Mn));
            if (query.Pollutant is not null)
            {
                where.Append($" AND \"pollutant\" = {InfluxSchema.Literal(query.Pollutant)}");
            }

            using var doc = await QueryServerAsync($"SELECT * FROM \"{measurement}\" WHERE {where}", cancellationToken);
            foreach (var row in Rows(doc))
            {
                var r = new Reading(row.Str("mn")!, query.Cn, Local(row.Long("time")), row.Str("pollutant")!, row.Dbl("rtd"), row.Dbl("avg"), row.Dbl("min"), row.Dbl("max"),
                    row.Dbl("cou"), row.Dbl("zs_rtd"), row.Dbl("zs_avg"), row.Str("flag"), row.Str("invalid"), (int?)row.Dbl("rf"), row.Dbl("raw_avg"));
                byKey[(r.Mn, r.Cn, r.Period, r.Pollutant)] = r;
            }
        }

        return byKey;
    }

    /// <summary>The readings of <paramref name="query"/> on the server alone, in the order of <see cref="QueryReadingsAsync"/> (what summaries are made of).</summary>
    private async Task<List<Reading>> ServerReadingListAsync(ReadingQuery query, CancellationToken cancellationToken) =>
        (await ServerReadingsAsync(query, cancellationToken)).Values
            .OrderBy(r => r.Mn, StringComparer.Ordinal).ThenBy(r => r.Pollutant, StringComparer.Ordinal).ThenBy(r => r.Period).ToList();

    public async Task<IReadOnlyList<ArchivedFrame>> QueryFramesAsync(FrameQuery query, CancellationToken cancellationToken)
    {
        var pending = await _buffer.PendingFramesAsync(query, cancellationToken); // first, as for readings
        var where = new List<string>();
        if (query.Status is not null)
        {
            where.Add($"\"status\" = {InfluxSchema.Literal(query.Status)}");
        }

        if (query.Mn is not null)
        {
            where.Add($"\"mn\" = {InfluxSchema.Literal(query.Mn)}"); // a field: filtered on the server, so the limit counts this outlet's frames only
        }

        string filter = where.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", where);
        using var doc = await QueryServerAsync($"SELECT * FROM \"{InfluxSchema.Frames}\"{filter} ORDER BY time DESC LIMIT {query.Limit}", cancellationToken);
        var byId = new Dictionary<long, ArchivedFrame>();
        foreach (var f in CompleteRows(doc, row => row.Long("id") == 0 ? null
            : new ArchivedFrame(row.Long("id"), row.At("received_at"), row.Req("transport"), row.Str("peer"), row.Str("mn"), row.Str("cn"), row.Str("data_time"),
                row.Req("status"), row.Str("reason"), row.Str("detail"), Convert.FromBase64String(row.Req("raw")))))
        {
            byId[f.Id] = f;
        }

        foreach (var f in pending)
        {
            byId[f.Id] = f; // pending wins, as for readings
        }

        return byId.Values.Where(f => (query.Mn is null || f.Mn == query.Mn) && (query.Status is null || f.Status == query.Status))
            .OrderBy(f => f.Id).TakeLast(query.Limit).ToList();
    }

    public async Task<StoreCounts> CountAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(TimeSpan.FromSeconds(30), cancellationToken);
        long readings = 0;
        foreach (var measurement in InfluxSchema.MeasurementOfCn.Values)
        {
            using var doc = await QueryServerAsync($"SELECT COUNT(\"n\") FROM \"{measurement}\"", cancellationToken);
            readings += Rows(doc).Sum(r => r.Long("count"));
        }

        var byStatus = await GroupCountAsync("status", cancellationToken);
        var byReason = await GroupCountAsync("reason", cancellationToken);
        return new StoreCounts(readings, byStatus.Values.Sum(), byStatus, byReason);
    }

    private async Task<Dictionary<string, long>> GroupCountAsync(string tag, CancellationToken ct)
    {
        using var doc = await QueryServerAsync($"SELECT COUNT(\"id\") FROM \"{InfluxSchema.Frames}\" GROUP BY \"{tag}\"", ct);
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var series in Series(doc))
        {
            if (series.TryGetProperty("tags", out var tags) && tags.GetProperty(tag).GetString() is { Length: > 0 } value)
            {
                result[value] = series.GetProperty("values")[0][1].GetInt64();
            }
        }

        return result;
    }

    private static IEnumerable<JsonElement> Series(JsonDocument doc) =>
        doc.RootElement.GetProperty("results").EnumerateArray()
            .SelectMany(r => r.TryGetProperty("series", out var s) ? s.EnumerateArray() : Enumerable.Empty<JsonElement>());

    private static IEnumerable<InfluxRow> Rows(JsonDocument doc)
    {
        foreach (var series in Series(doc))
        {
            var columns = series.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
            foreach (var values in series.GetProperty("values").EnumerateArray())
            {
                yield return new InfluxRow(columns, values);
            }
        }
    }

    /// <summary>
    /// The rows of an answer mapped, leaving out any that lacks a field its points always have: while
    /// a write is in flight InfluxDB may show a point with only some of its fields (it does not apply a
    /// point's fields at once), and such a point is still pending in the buffer, whose record stands for it.
    /// </summary>
    private static IEnumerable<T> CompleteRows<T>(JsonDocument doc, Func<InfluxRow, T?> map)
    {
        foreach (var row in Rows(doc))
        {
            T? mapped;
            try
            {
                mapped = map(row);
            }
            catch (TornRowException)
            {
                continue;
            }

            if (mapped is not null)
            {
                yield return mapped;
            }
        }
    }

    private sealed class TornRowException : Exception;

    private readonly record struct InfluxRow(List<string> Columns, JsonElement Values)
    {
        private JsonElement? Get(string column)
        {
            int i = Columns.IndexOf(column);
            return i < 0 || Values[i].ValueKind == JsonValueKind.Null ? null : Values[i];
        }

        public string? Str(string column) => Get(column)?.GetString();

        /// <summary>A field every point of its measurement has: missing, the row is a point still being written.</summary>
        public string Req(string column) => Str(column) ?? throw new TornRowException();

        /// <summary>A time written as text in a field every point has (see <see cref="Req"/>).</summary>
        public DateTimeOffset At(string column) => DateTimeOffset.Parse(Req(column), CultureInfo.InvariantCulture);

        public double? Dbl(string column) => Get(column)?.GetDouble();

        public long Long(string column) => Get(column)?.GetInt64() ?? 0;
    }
}
