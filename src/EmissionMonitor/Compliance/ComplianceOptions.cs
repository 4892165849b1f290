using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Compliance;

/// <summary>Compliance rules (configuration section <c>Compliance</c>).</summary>
public sealed class ComplianceOptions
{
    public const string Section = "Compliance";

    /// <summary>The time zone of HJ 212 local times and of report periods. Default Asia/Shanghai.</summary>
    [Required(ErrorMessage = "Compliance:TimeZone is required")]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Effective rates below this are flagged (0.90), compared unrounded.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Compliance:RateThreshold must be between 0 and 1")]
    public double RateThreshold { get; set; } = 0.90;

    /// <summary>The flag a value sent without one counts as (N). The stored reading keeps it absent.</summary>
    [Required(ErrorMessage = "Compliance:MissingFlagAs is required")]
    public string MissingFlagAs { get; set; } = "N";

    /// <summary>Flags that exempt the hour instead of making it invalid; null means the default ["F"] (source stopped).</summary>
    public List<string>? ExemptFlags { get; set; }

    /// <summary>The exempt flags in force (configuration lists replace the default instead of adding to it).</summary>
    public IReadOnlyList<string> EffectiveExemptFlags => ExemptFlags is { Count: > 0 } flags ? flags : ["F"];

    /// <summary>Valid hours a water day needs when its daily mean is computed from hourly means (18).</summary>
    [Range(1, 24, ErrorMessage = "Compliance:WaterDailyMinHours must be between 1 and 24")]
    public int WaterDailyMinHours { get; set; } = 18;

    /// <summary>Province caps in tonnes: <c>Compliance:ProvinceCaps:{year}:{code}</c>; the latest year not after the period's applies.</summary>
    public Dictionary<string, Dictionary<string, double>> ProvinceCaps { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The cap in kg of a pollutant for a year, or null.</summary>
    public double? CapKg(int year, string pollutant)
    {
        var applicable = ProvinceCaps
            .Select(p => (Year: int.TryParse(p.Key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int y) ? y : int.MaxValue, Caps: p.Value))
            .Where(p => p.Year <= year && p.Caps.ContainsKey(pollutant))
            .OrderByDescending(p => p.Year)
            .FirstOrDefault();
        return applicable.Caps is null ? null : applicable.Caps[pollutant] * 1000;
    }

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
