using Polly;
using Polly.Retry;

namespace EmissionMonitor.Resilience;

/// <summary>
/// The service's retries of one operation, all with Polly (the InfluxDB pipeline adds a timeout and a
/// circuit breaker to the same retry strategy): exponential backoff with jitter, a bounded number of
/// attempts unless the operation must succeed eventually.
/// </summary>
public static class Retries
{
    /// <summary>Start-up calls to a server that may still be coming up: three tries, 200 ms apart and growing.</summary>
    public static ResiliencePipeline AtStartUp<TException>(TimeProvider clock)
        where TException : Exception =>
        new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<TException>(),
                MaxRetryAttempts = 2, BackoffType = DelayBackoffType.Exponential, UseJitter = true, Delay = TimeSpan.FromMilliseconds(200),
            })
            .Build();

    /// <summary>Reconnecting until it works: 1 s doubling to 30 s, with jitter; <paramref name="onRetry"/> is told each failure and pause.</summary>
    public static ResiliencePipeline Forever(TimeProvider clock, Action<Exception?, TimeSpan> onRetry) =>
        new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
                MaxRetryAttempts = int.MaxValue, BackoffType = DelayBackoffType.Exponential, UseJitter = true,
                Delay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(30),
                OnRetry = args =>
                {
                    onRetry(args.Outcome.Exception, args.RetryDelay);
                    return default;
                },
            })
            .Build();
}
