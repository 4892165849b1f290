using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Compliance.Anomalies;

/// <summary>One pollutant's own anomaly thresholds (<c>Anomalies:Pollutants:{code}</c>); unset values take the defaults.</summary>
public sealed class PollutantAnomalyOptions
{
    public int? ConstantHours { get; set; }

    public int? ConstantRealTimeMinutes { get; set; }

    public int? ZeroHours { get; set; }

    /// <summary>False turns the anomaly rules off for this pollutant.</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>
/// Data-anomaly rules (configuration section <c>Anomalies</c>; DOMAIN.md §3.4 and the vendors'
/// practice — there is no national numeric rule, so every threshold is configuration):
/// the same hourly value for <see cref="ConstantHours"/> hours or the same real-time value for
/// <see cref="ConstantRealTimeMinutes"/> minutes (恒值); zero for <see cref="ZeroHours"/> hours while
/// the flow is positive (零值); negative values (负值); values above the analyser's range
/// (registry <c>rangeMax</c>, 超量程); no flow while concentrations are reported (无流量); gas O2 at or
/// above <see cref="AirOxygen"/> % (air, not flue gas).
/// </summary>
public sealed class AnomalyOptions : IValidatableObject
{
    public const string Section = "Anomalies";

    [Range(2, 24 * 31, ErrorMessage = "Anomalies:ConstantHours must be between 2 and 744")]
    public int ConstantHours { get; set; } = 6;

    [Range(1, 24 * 60, ErrorMessage = "Anomalies:ConstantRealTimeMinutes must be between 1 and 1440")]
    public int ConstantRealTimeMinutes { get; set; } = 60;

    [Range(1, 24 * 31, ErrorMessage = "Anomalies:ZeroHours must be between 1 and 744")]
    public int ZeroHours { get; set; } = 6;

    [Range(0.0, 100.0, ErrorMessage = "Anomalies:AirOxygen must be between 0 and 100")]
    public double AirOxygen { get; set; } = 19.0;

    /// <summary>
    /// True: hours marked <c>suspect</c> (an hourly anomaly episode covers them) count as invalid in
    /// the effective transmission rate. Default false: suspect hours are shown, the rate is unchanged.
    /// </summary>
    public bool InvalidateSuspect { get; set; }

    public Dictionary<string, PollutantAnomalyOptions> Pollutants { get; set; } = new(StringComparer.Ordinal);

    public int ConstantHoursOf(string code) => Pollutants.GetValueOrDefault(code)?.ConstantHours ?? ConstantHours;

    public int ConstantMinutesOf(string code) => Pollutants.GetValueOrDefault(code)?.ConstantRealTimeMinutes ?? ConstantRealTimeMinutes;

    public int ZeroHoursOf(string code) => Pollutants.GetValueOrDefault(code)?.ZeroHours ?? ZeroHours;

    public bool Watches(string code) => Pollutants.GetValueOrDefault(code)?.Enabled ?? true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (code, p) in Pollutants)
        {
            if (p.ConstantHours is < 2 || p.ConstantRealTimeMinutes is < 1 || p.ZeroHours is < 1)
            {
                yield return new ValidationResult($"Anomalies:Pollutants:{code}: thresholds must be positive (ConstantHours at least 2)");
            }
        }
    }
}
