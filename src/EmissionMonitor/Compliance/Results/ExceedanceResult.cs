using EmissionMonitor.Compliance.Exceedance;

namespace EmissionMonitor.Compliance.Results;

/// <summary>An exceedance episode of an outlet and pollutant.</summary>
public sealed record ExceedanceResult(Scope Scope, Episode Episode);
