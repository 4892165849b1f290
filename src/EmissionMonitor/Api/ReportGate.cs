using System.Threading.RateLimiting;

namespace EmissionMonitor.Api;

/// <summary>
/// Reports computed at once (<see cref="ApiOptions.MaxConcurrentReports"/>) with a bounded queue
/// (<see cref="ApiOptions.MaxQueuedReports"/>): many parallel report requests wait their turn or get a
/// 429, instead of taking the machine's memory and the ingestion's CPU. Files made while they are
/// written have slots of their own (<see cref="ApiOptions.MaxConcurrentFiles"/>, a queue as long):
/// a file is held as long as its reader is slow, and a phone reading a province's exceedances
/// must not hold the slot every page of the dashboard waits for.
/// </summary>
public sealed class ReportGate(ApiOptions options) : IDisposable
{
    private readonly ConcurrencyLimiter _limiter = Limiter(options.MaxConcurrentReports, options.MaxQueuedReports);

    private readonly ConcurrencyLimiter _files = Limiter(options.MaxConcurrentFiles, options.MaxQueuedReports);

    private static ConcurrencyLimiter Limiter(int slots, int queue) =>
        new(new ConcurrencyLimiterOptions { PermitLimit = slots, QueueLimit = queue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst });

    /// <summary>The answer when no slot is free and the queue is full.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Busy() =>
        Microsoft.AspNetCore.Http.TypedResults.Problem(statusCode: 429, title: "too many reports are being computed; try again shortly");

    /// <summary>The answer when no file slot is free and their queue is full.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult FilesBusy() =>
        Microsoft.AspNetCore.Http.TypedResults.Problem(statusCode: 429, title: "too many files are being written; try again shortly");

    /// <summary>A report's slot (a page, or a table computed before it is written).</summary>
    public ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken) => _limiter.AcquireAsync(1, cancellationToken);

    /// <summary>A slot of a file made while it is written, held until the file is written.</summary>
    public ValueTask<RateLimitLease> AcquireFileAsync(CancellationToken cancellationToken) => _files.AcquireAsync(1, cancellationToken);

    public void Dispose()
    {
        _limiter.Dispose();
        _files.Dispose();
    }
}
