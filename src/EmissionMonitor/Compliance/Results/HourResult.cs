using EmissionMonitor.Compliance.Rates;

namespace EmissionMonitor.Compliance.Results;

/// <summary>One assessed hour of an outlet and pollutant, with its state: the why behind a rate.</summary>
public sealed record HourResult(Scope Scope, HourState Hour);
