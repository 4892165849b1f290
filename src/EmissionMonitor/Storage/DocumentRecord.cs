namespace EmissionMonitor.Storage;

/// <summary>
/// A record of some <see cref="Kind"/> (e.g. <c>order</c>) whose current state the store keeps as
/// a JSON document it does not read, with the keys it filters and orders by: id, MN, state, time.
/// Saving the same kind and id replaces it (its history is inside the document).
/// </summary>
public sealed record DocumentRecord(string Kind, string Id, string Mn, string State, DateTimeOffset At, string Json);
