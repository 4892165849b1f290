using EmissionMonitor.Compliance.Rates;

namespace EmissionMonitor.Compliance.Results;

/// <summary>The transmission-rate counts of a scope over a period, and whether its effective rate is below the threshold.</summary>
public sealed record RateResult(Scope Scope, ReportPeriod Period, RateCounts Counts, bool BelowThreshold);
