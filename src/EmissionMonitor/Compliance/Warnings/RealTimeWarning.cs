using EmissionMonitor.Registry;

namespace EmissionMonitor.Compliance.Warnings;

/// <summary>
/// The real-time warning of DOMAIN.md section 0: a valid real-time value (CN=2011) beyond the
/// outlet's limit for the pollutant — above its maximum or below its minimum — is a warning, not an
/// exceedance (exceedance is judged on hourly or daily means).
/// </summary>
public static class RealTimeWarning
{
    /// <summary>The bound <paramref name="value"/> crosses, or null when it is within the limit.</summary>
    public static double? Crossed(double value, Limit limit) => value > limit.Max ? limit.Max : value < limit.Min ? limit.Min : null;
}
