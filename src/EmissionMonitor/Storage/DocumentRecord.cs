namespace EmissionMonitor.Storage;

/// <summary>
/// A record of some <see cref="Kind"/> (e.g. <c>order</c>) whose current state the store keeps as
/// a JSON document it does not read, with the keys it filters and orders by: id, MN, state, time.
/// Saving the same kind and id replaces it (its history is inside the document).
/// </summary>
public sealed record DocumentRecord(string Kind, string Id, string Mn, string State, DateTimeOffset At, string Json);

/// <summary>Domain records kept as documents.</summary>
public static class DocumentRecords
{
    /// <summary>An anomaly episode as the document the store keeps.</summary>
    public static DocumentRecord ToRecord(this Compliance.Anomalies.AnomalyEpisode e) =>
        new(Compliance.Anomalies.AnomalyEpisode.Kind, e.Id, e.Mn, e.End is null ? "ongoing" : "ended", e.RaisedAt, e.ToJson());
}
