using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Alerts;

/// <summary>Alerts (configuration section <c>Alerts</c>).</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>An outlet with no accepted frame for this long raises a <c>silent</c> alert (1 h).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "Alerts:SilentAfter must be between 1 s and 30 days")]
    public TimeSpan SilentAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Real-time warnings (kind <c>warning</c>) come and go by the thousand: each is logged at Debug,
    /// and one Information line every this long says how many were raised and cleared (5 min).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Alerts:LogSummaryInterval must be between 1 s and 1 day")]
    public TimeSpan LogSummaryInterval { get; set; } = TimeSpan.FromMinutes(5);
}
