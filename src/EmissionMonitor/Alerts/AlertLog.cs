namespace EmissionMonitor.Alerts;

/// <summary>
/// How alert changes are logged: WARN for what needs a person (an alert raised); what comes by the
/// thousand (real-time warnings, an alert raised again within Alerts:LogSummaryInterval) at Debug,
/// summed up in one Information line per interval.
/// </summary>
public sealed partial class AlertLog(AlertOptions options, AlertBook book, TimeProvider clock, ILogger logger)
{
    private readonly Lock _logLock = new();
    private readonly Dictionary<string, int> _raisedInWindow = new(StringComparer.Ordinal);
    private long _warningsRaised, _warningsCleared, _repeatedRaised, _repeatedClosed;
    private DateTimeOffset _summaryAt = DateTimeOffset.MinValue;

    /// <summary>
    /// WARN is for what needs a person: an alert raised. What comes by the thousand goes to Debug and
    /// is summed up every Alerts:LogSummaryInterval (<see cref="LogSummary"/>): real-time warnings,
    /// and an alert of the same kind, outlet and pollutant raised again within the interval (a
    /// flapping condition, or a terminal replaying hours of history: each is still an alert, on the
    /// board and the topic). Acknowledging and clearing are Information.
    /// </summary>
    public void Log(Alert alert)
    {
        string key = $"{alert.Kind}|{alert.SubKind}|{alert.Mn}|{alert.Pollutant}";
        bool repeated;
        lock (_logLock)
        {
            if (alert.Kind == AlertKinds.Warning)
            {
                if (alert.State == Alert.Active)
                {
                    _warningsRaised++;
                }
                else
                {
                    _warningsCleared++;
                }

                repeated = true;
            }
            else if (alert.State == Alert.Active)
            {
                int n = _raisedInWindow[key] = _raisedInWindow.GetValueOrDefault(key) + 1;
                repeated = n > 1;
                _repeatedRaised += repeated ? 1 : 0;
            }
            else
            {
                repeated = _raisedInWindow.GetValueOrDefault(key) > 1;
                _repeatedClosed += repeated ? 1 : 0;
            }
        }

        if (repeated)
        {
            LogRepeated(logger, alert.Kind, alert.State, alert.Mn, alert.Pollutant ?? "-", alert.Message);
        }
        else if (alert.State == Alert.Active)
        {
            LogChanged(logger, alert.Kind, alert.State, alert.Mn, alert.Pollutant ?? "-", alert.Message);
        }
        else
        {
            LogClosed(logger, alert.Kind, alert.State, alert.Mn, alert.Pollutant ?? "-", alert.Message);
        }
    }

    /// <summary>One line for what went to Debug since the last one, when there was any.</summary>
    public void LogSummary()
    {
        var now = clock.GetUtcNow();
        long raised, cleared, again, closed;
        lock (_logLock)
        {
            if (_summaryAt == DateTimeOffset.MinValue)
            {
                _summaryAt = now;
                return;
            }

            if (now - _summaryAt < options.LogSummaryInterval)
            {
                return;
            }

            (raised, cleared, again, closed) = (_warningsRaised, _warningsCleared, _repeatedRaised, _repeatedClosed);
            _warningsRaised = _warningsCleared = _repeatedRaised = _repeatedClosed = 0;
            _raisedInWindow.Clear();
        }

        double minutes = (now - _summaryAt).TotalMinutes;
        _summaryAt = now;
        if (raised + cleared > 0)
        {
            LogWarningSummary(logger, raised, cleared, book.All().Count(a => a.IsOpen && a.Kind == AlertKinds.Warning), minutes);
        }

        if (again + closed > 0)
        {
            LogRepeatedSummary(logger, again, closed, minutes);
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Alert {Kind} {State} for {Mn} {Pollutant}: {Message}")]
    private static partial void LogChanged(ILogger logger, string kind, string state, string mn, string pollutant, string message);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Alert {Kind} {State} for {Mn} {Pollutant}: {Message}")]
    private static partial void LogClosed(ILogger logger, string kind, string state, string mn, string pollutant, string message);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Debug, Message = "Alert {Kind} {State} for {Mn} {Pollutant} (again within the summary interval): {Message}")]
    private static partial void LogRepeated(ILogger logger, string kind, string state, string mn, string pollutant, string message);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "Alerts raised again within the last {Minutes:0} min (flapping conditions or replayed history): {Raised} raised, {Closed} acknowledged or cleared")]
    private static partial void LogRepeatedSummary(ILogger logger, long raised, long closed, double minutes);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Real-time warnings: {Raised} raised and {Cleared} cleared in the last {Minutes:0} min; {Open} open")]
    private static partial void LogWarningSummary(ILogger logger, long raised, long cleared, int open, double minutes);
}
