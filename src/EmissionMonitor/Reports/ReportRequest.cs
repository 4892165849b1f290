using EmissionMonitor.Compliance;

namespace EmissionMonitor.Reports;

/// <summary>What a report asks for: its kind, period (local), filters (city, enterprise, MN, pollutant, permit number, outlet code), grouping and, for means, the unit of time (day, month, quarter, year).</summary>
public sealed record ReportRequest(
    string Kind,
    ReportPeriod Period,
    string? City = null,
    string? Enterprise = null,
    string? Mn = null,
    string? Pollutant = null,
    string? By = null,
    string? Permit = null,
    string? Code = null,
    string? Unit = null)
{
    public static IReadOnlyList<string> Kinds { get; } = ["rates", "exceedances", "totals", "cards", "hours", "anomalies", "trend", "means"];

    public static IReadOnlyList<string> Groupings { get; } = ["pollutant", "outlet", "enterprise", "city", "province"];
}
