using EmissionMonitor.Diagnostics;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Journaling;

namespace EmissionMonitor.Hosting;

/// <summary>
/// Registered first so it stops last: after the transports have stopped taking frames, the journal
/// commits what is queued and the store closes. Logs the ingestion counters every 10 seconds.
/// </summary>
public sealed partial class JournalLifetime(IReadingStore store, Journal journal, IngestMetrics metrics, ILogger<JournalLifetime> logger, TimeProvider clock) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await journal.DisposeAsync();
        LogStopped(logger, metrics.ToString());
        await store.DisposeAsync();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10), clock);
        long last = -1;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await timer.WaitForNextTickAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (metrics.Frames != last)
            {
                last = metrics.Frames;
                LogCounters(logger, metrics.ToString(), metrics.MeanCommit.TotalMilliseconds);
            }
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Ingested {Counters}; mean commit {CommitMs:F1} ms")]
    private static partial void LogCounters(ILogger logger, string counters, double commitMs);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Journal flushed and store closed: {Counters}")]
    private static partial void LogStopped(ILogger logger, string counters);
}
