using EmissionMonitor.Compliance.Cards;

namespace EmissionMonitor.Compliance.Results;

/// <summary>A card of an enterprise in a quarter.</summary>
public sealed record CardResult(Scope Scope, Card Card);
