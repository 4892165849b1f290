using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Alerts;

/// <summary>Alerts (configuration section <c>Alerts</c>).</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>An outlet with no accepted frame for this long raises a <c>silent</c> alert (1 h).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "Alerts:SilentAfter must be between 1 s and 30 days")]
    public TimeSpan SilentAfter { get; set; } = TimeSpan.FromHours(1);
}
