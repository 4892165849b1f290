using System.Diagnostics;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Hosting;

/// <summary>
/// Prunes what the retention options no longer keep, in the running service only: first a minute
/// after start (or at the interval, if shorter), then every <see cref="RetentionOptions.Interval"/>,
/// in the background, a chunk per transaction so commits go on.
/// </summary>
public sealed partial class RetentionService(IStore store, RetentionOptions options, Func<StationRegistry> registry, TimeZoneInfo zone, TimeProvider clock,
    ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = options.Interval < TimeSpan.FromMinutes(1) ? options.Interval : TimeSpan.FromMinutes(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(wait, clock, stoppingToken);
                var watch = Stopwatch.StartNew();
                var result = await store.PruneAsync(options, clock.GetUtcNow(), zone, registry().Outlets.Select(o => o.Mn).ToList(), stoppingToken);
                if (result.Frames + result.Readings + result.Summaries > 0)
                {
                    LogPruned(logger, result.Frames, result.Readings, result.Summaries, watch.Elapsed.TotalSeconds);
                }

                if (options.Alerts > TimeSpan.Zero && await store.PruneAlertRecordsAsync(clock.GetUtcNow() - options.Alerts, stoppingToken) is > 0 and var alerts)
                {
                    LogPrunedAlerts(logger, alerts);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or InvalidOperationException or StoreUnavailableException)
            {
                LogFailed(logger, e.Message); // tried again at the next interval
            }

            wait = options.Interval;
        }
    }

    [LoggerMessage(EventId = 2503, Level = LogLevel.Information, Message = "Retention removed {Alerts} alerts cleared longer ago than Retention:Alerts")]
    private static partial void LogPrunedAlerts(ILogger logger, long alerts);

    [LoggerMessage(EventId = 2501, Level = LogLevel.Information, Message = "Retention removed {Frames} archived frames, {Readings} readings and {Summaries} summary rows in {Seconds:F1} s")]
    private static partial void LogPruned(ILogger logger, long frames, long readings, long summaries, double seconds);

    [LoggerMessage(EventId = 2502, Level = LogLevel.Warning, Message = "Retention pass failed, tried again at the next interval: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
