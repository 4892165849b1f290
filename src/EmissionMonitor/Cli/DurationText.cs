using System.Globalization;

namespace EmissionMonitor.Cli;

/// <summary>Durations written as <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>2h</c>, <c>1d</c> or a TimeSpan (<c>00:10:00</c>).</summary>
public static class DurationText
{
    /// <summary>Parses a duration; false when malformed.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        (string unit, double scale)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)];
        foreach (var (unit, scale) in units)
        {
            if (text.EndsWith(unit, StringComparison.Ordinal)
                && double.TryParse(text.AsSpan(0, text.Length - unit.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out double n)
                && double.IsFinite(n) && n >= 0)
            {
                duration = TimeSpan.FromSeconds(n * scale);
                return true;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
    }
}
