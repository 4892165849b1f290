using System.Threading.RateLimiting;

namespace EmissionMonitor.Api;

/// <summary>
/// Reports computed at once (<see cref="ApiOptions.MaxConcurrentReports"/>) with a bounded queue
/// (<see cref="ApiOptions.MaxQueuedReports"/>): many parallel report requests wait their turn or get a
/// 429, instead of taking the machine's memory and the ingestion's CPU.
/// </summary>
public sealed class ReportGate(ApiOptions options) : IDisposable
{
    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.MaxConcurrentReports,
        QueueLimit = options.MaxQueuedReports,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    /// <summary>The answer when no slot is free and the queue is full.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Busy() =>
        Microsoft.AspNetCore.Http.TypedResults.Problem(statusCode: 429, title: "too many reports are being computed; try again shortly");

    public ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken) => _limiter.AcquireAsync(1, cancellationToken);

    public void Dispose() => _limiter.Dispose();
}
