using System.Globalization;

namespace EmissionMonitor.Alerts.Rules;

/// <summary>The small helpers every rule writes its alerts with.</summary>
internal static class AlertText
{
    /// <summary>An alert's parameters (its values as text) by name.</summary>
    public static Dictionary<string, string?> Params(params (string Key, string? Value)[] items) => items.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <summary>A number as an alert shows it: at most three decimals, invariant.</summary>
    public static string N(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A local wall time of the desk's zone as an instant.</summary>
    public static DateTimeOffset Local(this IAlertDesk desk, DateTime t) => new(t, desk.Zone.GetUtcOffset(t));

    /// <summary>An instant as a local time of the desk's zone, in <paramref name="format"/>.</summary>
    public static string LocalText(this IAlertDesk desk, DateTimeOffset t, string format) => TimeZoneInfo.ConvertTime(t, desk.Zone).ToString(format, CultureInfo.InvariantCulture);
}
