using EmissionMonitor.Compliance.Totals;

namespace EmissionMonitor.Compliance.Results;

/// <summary>
/// The emissions of a scope over a period; at enterprise level compared with the enterprise's
/// permitted annual total, at province level with the province cap, both year to date;
/// <see cref="MonitoringUsable"/> is false when the share of non-exempt hours without a valid value
/// is above Totals:MaxMissingShare (the 25 % rule: the monitoring cannot stand as the actual emissions).
/// </summary>
public sealed record TotalResult(Scope Scope, ReportPeriod Period, EmissionTotal Total, AllowanceComparison? Permit = null, AllowanceComparison? Cap = null,
    bool MonitoringUsable = true);

/// <summary>Year-to-date kilograms against an allowance (a permit or a cap; null when none is set), and whether it is exceeded.</summary>
public sealed record AllowanceComparison(double? AllowanceKg, double YtdKg)
{
    public bool Over => AllowanceKg is { } a && YtdKg > a;
}
