using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EmissionMonitor.TestSupport;

/// <summary>
/// Records what the service logs at Error or above, so an integration test fails when the service
/// logged an error the test did not expect (after MQTTnet's integration tests).
/// </summary>
internal sealed class LogRecorder : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<(LogLevel Level, string Text)> _lines = new();

    public IReadOnlyCollection<string> Errors => _errors;

    /// <summary>Every line at Information and above (the service's operators' view of the log).</summary>
    public IReadOnlyCollection<(LogLevel Level, string Text)> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, _errors, _lines);

    public void Dispose()
    {
    }

    private sealed class Recorder(string category, ConcurrentQueue<string> errors, ConcurrentQueue<(LogLevel, string)> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (lines.Count < 100_000)
            {
                lines.Enqueue((logLevel, formatter(state, exception)));
            }

            if (logLevel >= LogLevel.Error)
            {
                errors.Enqueue($"{category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.GetType().Name + ": " + exception.Message)}");
            }
        }
    }
}
