namespace EmissionMonitor.Storage;

/// <summary>
/// A record of some <see cref="Kind"/> (e.g. <c>order</c>) whose current state the store keeps as
/// a JSON document it does not read, with the keys it filters and orders by: id, MN, state, time.
/// Saving the same kind and id replaces it (its history is inside the document).
/// </summary>
public sealed record DocumentRecord(string Kind, string Id, string Mn, string State, DateTimeOffset At, string Json);

/// <summary>Kinds of domain records of folders below the store (kinds of folders above it declare their own).</summary>
public static class DocumentRecords
{
    /// <summary>Anomaly episodes: by alert id, with their outlet, <c>ongoing</c> or <c>ended</c>, and the time raised.</summary>
    public static readonly RecordKind<Compliance.Anomalies.AnomalyEpisode> AnomalyEpisodes =
        new("anomaly", e => e.Id, e => e.Mn, e => e.End is null ? "ongoing" : "ended", e => e.RaisedAt);

    /// <summary>Manual monitoring samples: by id, with their outlet, state and the time filed.</summary>
    public static readonly RecordKind<Compliance.Manual.ManualSample> ManualData =
        new("manual-data", s => s.Id, s => s.Mn, s => s.State, s => s.CreatedAt);
}
