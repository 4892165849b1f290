using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Compliance;

/// <summary>Compliance rules (configuration section <c>Compliance</c>).</summary>
public sealed class ComplianceOptions
{
    public const string Section = "Compliance";

    /// <summary>The time zone of HJ 212 local times and of report periods. Default Asia/Shanghai.</summary>
    [Required(ErrorMessage = "Compliance:TimeZone is required")]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Resolves <see cref="TimeZone"/>; China Standard Time (UTC+8, no DST since 1991) when the system lacks tzdata.</summary>
    public TimeZoneInfo ResolveTimeZone()
    {
        if (TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone))
        {
            return zone;
        }

        if (TimeZone is "Asia/Shanghai" or "China Standard Time")
        {
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Shanghai", TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");
        }

        throw new ConfigurationException($"Compliance:TimeZone: unknown time zone '{TimeZone}'");
    }
}
