using System.Globalization;
using System.Text;
using System.Text.Json;
using EmissionMonitor.Alerts;
using EmissionMonitor.Compliance;
using EmissionMonitor.Intake;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using EmissionMonitor.Compliance.Cards;
using EmissionMonitor.Compliance.Marks;

namespace EmissionMonitor.Storage.Influx;

/// <summary>
/// The InfluxDB backend. A commit goes first to the durable local buffer (SQLite under the data
/// folder: first-wins readings, every frame archived, an outbox of what is new) — so terminals are
/// acknowledged whether or not InfluxDB is reachable — and a forwarder drains the outbox to
/// InfluxDB in order through one Polly pipeline (timeout, retry with backoff and jitter, circuit
/// breaker). Re-sending a batch after a failure rewrites the same points, so nothing is duplicated.
/// Queries read InfluxDB (shared by every instance) and add what this instance has not forwarded yet.
/// Operator records (marks, card lifts, alerts) go the same way, so every instance sees them.
/// </summary>
public sealed partial class InfluxStore : IStore
{
    private readonly TimeProvider _clock;
    private const int BatchSize = 5000;
    private readonly SqliteStore _buffer;
    private readonly InfluxConnection _connection;
    private readonly TimeZoneInfo _zone;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stop = new();
    private Task? _forwarder;
    private int _disposed;

    public InfluxStore(InfluxOptions options, string dataDirectory, TimeZoneInfo zone, ILogger<InfluxStore> logger, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        _buffer = new SqliteStore(dataDirectory, outbox: true, clock: _clock);
        _connection = new InfluxConnection(options);
        _zone = zone;
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder()
            .AddTimeout(options.Timeout)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<InfluxException>().Handle<TimeoutException>()
                    .Handle<InfluxDB.Client.Core.Exceptions.InfluxException>().Handle<Polly.Timeout.TimeoutRejectedException>(),
                MaxRetryAttempts = 3, BackoffType = DelayBackoffType.Exponential, UseJitter = true, Delay = TimeSpan.FromMilliseconds(200),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
                FailureRatio = 0.5, MinimumThroughput = 3, SamplingDuration = TimeSpan.FromSeconds(30), BreakDuration = TimeSpan.FromSeconds(2),
            })
            .Build();
    }

    /// <summary>Entries not yet in InfluxDB, and how long the oldest has waited (metrics, readiness).</summary>
    public Task<(long Depth, DateTimeOffset? Oldest)> BufferStateAsync(CancellationToken ct) => _buffer.OutboxStateAsync(ct);

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _buffer.InitializeAsync(cancellationToken);
        try
        {
            await _connection.EnsureDatabaseAsync(cancellationToken);
        }
        catch (HttpRequestException e)
        {
            LogUnreachable(_logger, e.Message); // the buffer keeps everything until it is back
        }

        _forwarder = Task.Run(() => ForwardAsync(_stop.Token), CancellationToken.None);
    }

    public async Task<IReadOnlyList<StoredOutcome>> CommitAsync(IReadOnlyList<IntakeResult> batch, CancellationToken cancellationToken)
    {
        var outcomes = await _buffer.CommitAsync(batch, cancellationToken);
        _wake.Release();
        return outcomes;
    }

    /// <summary>Waits until everything committed so far is in InfluxDB (tests, shutdown); false on timeout.</summary>
    public async Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = _clock.GetUtcNow() + timeout;
        while ((await _buffer.OutboxStateAsync(cancellationToken)).Depth > 0)
        {
            if (_clock.GetUtcNow() > deadline)
            {
                return false;
            }

            _wake.Release();
            await Task.Delay(20, cancellationToken);
        }

        return true;
    }

    private async Task ForwardAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var batch = await _buffer.ReadOutboxAsync(BatchSize, ct);
            if (batch.IsEmpty)
            {
                await ((Task)_wake.WaitAsync(TimeSpan.FromSeconds(1), ct)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            var lines = new StringBuilder();
            foreach (var r in batch.Readings)
            {
                InfluxSchema.AppendReading(lines, r, _zone);
            }

            foreach (var f in batch.Frames)
            {
                InfluxSchema.AppendFrame(lines, f);
            }

            if (batch.Records.Count > 0)
            {
                var (marks, lifts, alerts) = await _buffer.RecordsAsync(batch.Records, ct);
                marks.ToList().ForEach(m => InfluxSchema.AppendMark(lines, m, _clock.GetUtcNow()));
                lifts.ToList().ForEach(l => InfluxSchema.AppendLift(lines, l));
                alerts.ToList().ForEach(a => InfluxSchema.AppendAlert(lines, a));
            }

            try
            {
                var text = lines.ToString().TrimEnd('\n');
                await _pipeline.ExecuteAsync(async token => await _connection.WriteAsync(text.Length == 0 ? [] : text.Split('\n'), token), ct);
                await _buffer.AckOutboxAsync(batch.LastSeq, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // InfluxDB is down or refusing: the entries stay in the buffer, in order, and are sent again.
                LogForwardFailed(_logger, batch.Count, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(500), ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public async Task<IReadOnlyList<Reading>> QueryReadingsAsync(ReadingQuery query, CancellationToken cancellationToken)
    {
        // The pending rows are read before InfluxDB is asked: a row forwarded in between was written
        // to InfluxDB before it left the buffer, so it is in one answer or the other, never in neither.
        var pending = (await _buffer.ReadOutboxAsync(int.MaxValue, cancellationToken)).Readings;
        var byKey = new Dictionary<(string, string, DateTime, string), Reading>();
        if (InfluxSchema.MeasurementOfCn.TryGetValue(query.Cn, out var measurement))
        {
            var from = new DateTimeOffset(query.From, _zone.GetUtcOffset(query.From));
            var to = new DateTimeOffset(query.To, _zone.GetUtcOffset(query.To));
            var where = new StringBuilder($"time >= {LineProtocol.Nanoseconds(from)} AND time < {LineProtocol.Nanoseconds(to)}");
            if (query.Mn is not null)
            {
                where.Append($" AND \"mn\" = {InfluxSchema.Literal(query.Mn)}");
            }

            if (query.Pollutant is not null)
            {
                where.Append($" AND \"pollutant\" = {InfluxSchema.Literal(query.Pollutant)}");
            }

            using var doc = await _pipeline.ExecuteAsync(async t => await _connection.QueryAsync($"SELECT * FROM \"{measurement}\" WHERE {where}", t), cancellationToken);
            foreach (var row in Rows(doc))
            {
                var period = TimeZoneInfo.ConvertTime(DateTimeOffset.UnixEpoch.AddTicks(row.Long("time") / 100), _zone).DateTime;
                var r = new Reading(row.Str("mn")!, query.Cn, period, row.Str("pollutant")!, row.Dbl("rtd"), row.Dbl("avg"), row.Dbl("min"), row.Dbl("max"),
                    row.Dbl("cou"), row.Dbl("zs_rtd"), row.Dbl("zs_avg"), row.Str("flag"), row.Str("invalid"));
                byKey[(r.Mn, r.Cn, r.Period, r.Pollutant)] = r;
            }
        }

        // A pending row wins over what InfluxDB answered: while a write is in flight InfluxDB may
        // show a point with only some of its fields (it does not apply a point's fields atomically),
        // and a row is pending until its write has returned.
        foreach (var r in pending)
        {
            if (r.Cn == query.Cn && r.Period >= query.From && r.Period < query.To && (query.Mn is null || r.Mn == query.Mn) && (query.Pollutant is null || r.Pollutant == query.Pollutant))
            {
                byKey[(r.Mn, r.Cn, r.Period, r.Pollutant)] = r;
            }
        }

        return byKey.Values.OrderBy(r => r.Mn, StringComparer.Ordinal).ThenBy(r => r.Pollutant, StringComparer.Ordinal).ThenBy(r => r.Period).ToList();
    }

    public async Task<IReadOnlyList<ArchivedFrame>> QueryFramesAsync(FrameQuery query, CancellationToken cancellationToken)
    {
        var pending = (await _buffer.ReadOutboxAsync(int.MaxValue, cancellationToken)).Frames; // first, as for readings
        var where = new List<string>();
        if (query.Status is not null)
        {
            where.Add($"\"status\" = {InfluxSchema.Literal(query.Status)}");
        }

        string filter = where.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", where);
        using var doc = await _pipeline.ExecuteAsync(async t => await _connection.QueryAsync($"SELECT * FROM \"{InfluxSchema.Frames}\"{filter} ORDER BY time DESC LIMIT {query.Limit}", t), cancellationToken);
        var byId = new Dictionary<long, ArchivedFrame>();
        foreach (var row in Rows(doc))
        {
            if (row.Str("raw") is null || row.Str("status") is null || row.Str("received_at") is null || row.Long("id") == 0)
            {
                continue; // a point whose write is still in flight shows only some of its fields: its pending row stands for it
            }

            var f = new ArchivedFrame(row.Long("id"), DateTimeOffset.Parse(row.Str("received_at")!, CultureInfo.InvariantCulture), row.Str("transport")!,
                row.Str("peer"), row.Str("mn"), row.Str("cn"), row.Str("data_time"), row.Str("status")!, row.Str("reason"), row.Str("detail"),
                Convert.FromBase64String(row.Str("raw")!));
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
            using var doc = await _pipeline.ExecuteAsync(async t => await _connection.QueryAsync($"SELECT COUNT(\"n\") FROM \"{measurement}\"", t), cancellationToken);
            readings += Rows(doc).Sum(r => r.Long("count"));
        }

        var byStatus = await GroupCountAsync("status", cancellationToken);
        var byReason = await GroupCountAsync("reason", cancellationToken);
        return new StoreCounts(readings, byStatus.Values.Sum(), byStatus, byReason);
    }

    private async Task<Dictionary<string, long>> GroupCountAsync(string tag, CancellationToken ct)
    {
        using var doc = await _pipeline.ExecuteAsync(async t => await _connection.QueryAsync($"SELECT COUNT(\"id\") FROM \"{InfluxSchema.Frames}\" GROUP BY \"{tag}\"", t), ct);
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

    public async Task AddMarkAsync(Mark mark, CancellationToken cancellationToken)
    {
        await _buffer.AddMarkAsync(mark, cancellationToken);
        _wake.Release();
    }

    public async Task<IReadOnlyList<Mark>> QueryMarksAsync(DateTime from, DateTime to, string? mn, CancellationToken cancellationToken)
    {
        var pending = await PendingRecordsAsync(cancellationToken);
        string filter = mn is null ? string.Empty : $" WHERE \"mn\" = {InfluxSchema.Literal(mn)}";
        var marks = new HashSet<Mark>();
        using (var doc = await _pipeline.ExecuteAsync(async t => await _connection.QueryAsync($"SELECT * FROM \"{InfluxSchema.Marks}\"{filter}", t), cancellationToken))
        {
            foreach (var row in Rows(doc))
            {
                var comment = row.Str("comment");
                marks.Add(RecordMeta.Apply(new Mark(row.Str("mn")!, row.Str("kind")!, DateTime.Parse(row.Str("from")!, CultureInfo.InvariantCulture),
                    DateTime.Parse(row.Str("to")!, CultureInfo.InvariantCulture), string.IsNullOrEmpty(comment) ? null : comment), row.Str("meta")));
            }
        }

        marks.UnionWith(pending.Marks.Select(m => m with { Comment = string.IsNullOrEmpty(m.Comment) ? null : m.Comment }));
        return Mark.Latest(marks.Where(m => m.To > from && m.From < to && (mn is null || m.Mn == mn)));
    }

    public async Task AddCardLiftAsync(CardLift lift, CancellationToken cancellationToken)
    {
        await _buffer.AddCardLiftAsync(lift, cancellationToken);
        _wake.Release();
    }

    public async Task<IReadOnlyList<CardLift>> QueryCardLiftsAsync(CancellationToken cancellationToken)
    {
        var pending = await PendingRecordsAsync(cancellationToken);
        var lifts = new HashSet<CardLift>();
        using (var doc = await _pipeline.ExecuteAsync(async t => await _connection.QueryAsync($"SELECT * FROM \"{InfluxSchema.Lifts}\"", t), cancellationToken))
        {
            foreach (var row in Rows(doc))
            {
                var comment = row.Str("comment");
                lifts.Add(RecordMeta.Apply(new CardLift(row.Str("enterprise")!, row.Str("quarter")!, DateTimeOffset.Parse(row.Str("at")!, CultureInfo.InvariantCulture), row.Str("by")!,
                    string.IsNullOrEmpty(comment) ? null : comment), row.Str("meta")));
            }
        }

        lifts.UnionWith(pending.Lifts.Select(l => l with { Comment = string.IsNullOrEmpty(l.Comment) ? null : l.Comment }));
        return CardLift.Latest(lifts);
    }

    public async Task SaveAlertAsync(Alert alert, CancellationToken cancellationToken)
    {
        await _buffer.SaveAlertAsync(alert, cancellationToken);
        _wake.Release();
    }

    public async Task<IReadOnlyList<Alert>> QueryAlertsAsync(CancellationToken cancellationToken)
    {
        var pending = await PendingRecordsAsync(cancellationToken);
        var byId = new Dictionary<string, Alert>(StringComparer.Ordinal);
        using (var doc = await _pipeline.ExecuteAsync(async t => await _connection.QueryAsync($"SELECT * FROM \"{InfluxSchema.Alerts}\"", t), cancellationToken))
        {
            foreach (var row in Rows(doc))
            {
                var alert = AlertJson.Deserialize(row.Str("json")!);
                byId[alert.Id] = alert;
            }
        }

        foreach (var alert in pending.Alerts)
        {
            byId[alert.Id] = alert; // the local change is the newer one
        }

        return byId.Values.OrderBy(a => a.RaisedAt).ToList();
    }

    private async Task<(IReadOnlyList<Mark> Marks, IReadOnlyList<CardLift> Lifts, IReadOnlyList<Alert> Alerts)> PendingRecordsAsync(CancellationToken ct) =>
        await _buffer.RecordsAsync((await _buffer.ReadOutboxAsync(int.MaxValue, ct)).Records, ct);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return; // the host closes the store on stop, and the container disposes it again
        }

        await FlushAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        await _stop.CancelAsync();
        if (_forwarder is not null)
        {
            try
            {
                await _forwarder;
            }
            catch (OperationCanceledException)
            {
                // stopped between batches: what is not forwarded stays in the buffer for the next start
            }
        }

        await _buffer.DisposeAsync();
        _connection.Dispose();
        _stop.Dispose();
        _wake.Dispose();
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

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "InfluxDB unreachable at start ({Reason}); readings are kept in the local buffer")]
    private static partial void LogUnreachable(ILogger logger, string reason);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Forwarding {Count} buffered entries to InfluxDB failed ({Reason}); they stay buffered")]
    private static partial void LogForwardFailed(ILogger logger, int count, string reason);

    private readonly record struct InfluxRow(List<string> Columns, JsonElement Values)
    {
        private JsonElement? Get(string column)
        {
            int i = Columns.IndexOf(column);
            return i < 0 || Values[i].ValueKind == JsonValueKind.Null ? null : Values[i];
        }

        public string? Str(string column) => Get(column)?.GetString();

        public double? Dbl(string column) => Get(column)?.GetDouble();

        public long Long(string column) => Get(column)?.GetInt64() ?? 0;
    }
}
