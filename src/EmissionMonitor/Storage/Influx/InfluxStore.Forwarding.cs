using System.Text;

namespace EmissionMonitor.Storage.Influx;

/// <summary>The forwarder: drains the local buffer to InfluxDB in order through the Polly pipeline.</summary>
public sealed partial class InfluxStore
{
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
            await Task.Delay(TimeSpan.FromMilliseconds(20), _clock, cancellationToken);
        }

        return true;
    }

    private async Task ForwardAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await MoveLegacyRecordsAsync(ct); // once; again after a start that could not reach the server
            var batch = await _buffer.ReadOutboxAsync(BatchSize, ct);
            if (batch.IsEmpty)
            {
                using var idle = new CancellationTokenSource(TimeSpan.FromSeconds(1), _clock); // a look at the buffer at least every second of the injected clock
                using var stop = ct.Register(static s => ((CancellationTokenSource)s!).Cancel(), idle);
                await ((Task)_wake.WaitAsync(idle.Token)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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

            // In the same write: a marker per outlet and day whose hourly or daily readings this is,
            // so the summarizer of any instance rebuilds that day from the server's readings.
            long at = LineProtocol.Nanoseconds(_clock.GetUtcNow()) + Random.Shared.Next(1_000_000);
            foreach (var (mn, day) in batch.Readings.Where(r => r.Cn is Hj212.Cns.Hourly or Hj212.Cns.Daily or Hj212.Cns.Minute).Select(r => (r.Mn, r.Period.Date)).Distinct())
            {
                InfluxSchema.AppendDirty(lines, mn, Ns(day), at);
            }

            if (batch.Records.Count > 0)
            {
                var (alerts, documents) = await _buffer.RecordsAsync(batch.Records, ct);
                documents.ToList().ForEach(d => InfluxSchema.AppendDocument(lines, d));
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
                await Task.Delay(TimeSpan.FromMilliseconds(500), _clock, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Forwarding {Count} buffered entries to InfluxDB failed ({Reason}); they stay buffered")]
    private static partial void LogForwardFailed(ILogger logger, int count, string reason);
}
