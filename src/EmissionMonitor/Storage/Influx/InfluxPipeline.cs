using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace EmissionMonitor.Storage.Influx;

/// <summary>
/// The named Polly pipeline every InfluxDB write and query goes through: a timeout per call
/// (<c>Influx:Timeout</c>), retries with exponential backoff and jitter on transport errors and
/// timeouts, and a circuit breaker so an InfluxDB that is down is not hammered. The service gets it
/// from DI by <see cref="Name"/>; one-shot commands build the same pipeline.
/// </summary>
public static class InfluxPipeline
{
    public const string Name = "influx";

    public static void Configure(ResiliencePipelineBuilder builder, InfluxOptions options) => builder
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
        });

    /// <summary>The pipeline outside DI (one-shot commands, tests).</summary>
    public static ResiliencePipeline Build(InfluxOptions options)
    {
        var builder = new ResiliencePipelineBuilder();
        Configure(builder, options);
        return builder.Build();
    }
}
