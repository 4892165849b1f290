using EmissionMonitor.Intake;

namespace EmissionMonitor.Compliance.Validity;

/// <summary>
/// When a reading's value counts (DOMAIN.md section 0): flag N — a value sent without a flag counts
/// as <c>Compliance:MissingFlagAs</c> — a value present and none out of its physical range; an exempt
/// flag (<c>Compliance:ExemptFlags</c>, F by default) exempts its period. Every rule that reads
/// values (rates, exceedances, totals, warnings) asks here.
/// </summary>
public sealed class ReadingValidity(ComplianceOptions options)
{
    /// <summary>True when an hourly or daily reading's value counts as valid.</summary>
    public bool IsValid(Reading r) =>
        string.Equals(EffectiveFlag(r), "N", StringComparison.Ordinal) && r.Invalid is null && (r.Avg ?? r.ZsAvg) is not null;

    /// <summary>The flag a reading counts with: as sent, or Compliance:MissingFlagAs when none was sent.</summary>
    public string EffectiveFlag(Reading r) => r.Flag ?? options.MissingFlagAs;

    /// <summary>True when the reading's flag exempts its period (F by default).</summary>
    public bool IsExemptFlag(Reading r) => options.EffectiveExemptFlags.Contains(EffectiveFlag(r), StringComparer.Ordinal);

    /// <summary>A real-time reading's value when it counts (flag N, in range): its ZsRtd, else its Rtd; null otherwise.</summary>
    public double? RealTimeValue(Reading r) =>
        string.Equals(EffectiveFlag(r), "N", StringComparison.Ordinal) && r.Invalid is null ? r.ZsRtd ?? r.Rtd : null;
}
