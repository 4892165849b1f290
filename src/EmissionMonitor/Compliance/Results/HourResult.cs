using EmissionMonitor.Compliance.Rates;

namespace EmissionMonitor.Compliance.Results;

/// <summary>
/// One assessed hour of an outlet and pollutant, with its state: the why behind a rate; and
/// whether a data anomaly of the hourly records covers it (<see cref="Suspect"/>; the rate is unchanged).
/// </summary>
public sealed record HourResult(Scope Scope, HourState Hour, bool Suspect = false);
