using EmissionMonitor.Compliance.Summaries;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Hosting;

/// <summary>
/// Keeps the summaries in line with the registry and configuration in the running service: at
/// start and then every <see cref="Interval"/>, outlets whose facts were built with other rules are
/// rebuilt from their readings in the background (commits go on; reports compute a stale outlet
/// from its readings until its rebuild is done).
/// </summary>
public sealed partial class FactService(IStore store, FactRules rules, Func<StationRegistry> registry, ILogger<FactService> logger, TimeProvider clock) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                var started = System.Diagnostics.Stopwatch.StartNew();
                var (outlets, days) = await FactRefresh.RunAsync(store, rules, registry(), stoppingToken);
                if (outlets > 0)
                {
                    LogRebuilt(logger, outlets, days, started.Elapsed.TotalSeconds);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or HttpRequestException or InvalidOperationException or StoreUnavailableException)
            {
                LogFailed(logger, e.Message); // tried again next round
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "Summaries rebuilt for {Outlets} outlets ({Days} days) in {Seconds:F1} s: their registry entry or the rules changed")]
    private static partial void LogRebuilt(ILogger logger, int outlets, int days, double seconds);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Warning, Message = "Summaries not rebuilt yet, tried again shortly: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
