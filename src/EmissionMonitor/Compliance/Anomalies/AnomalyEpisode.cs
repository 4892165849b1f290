
namespace EmissionMonitor.Compliance.Anomalies;

/// <summary>
/// One data anomaly of an outlet and pollutant from its first record (local time) to the record
/// that ended it (null while it holds), as raised by its <c>anomaly</c> alert (same id); kept in
/// the store (documents of kind <c>anomaly</c>) for <c>report anomalies</c> and the suspect hours.
/// </summary>
public sealed record AnomalyEpisode(string Id, string Mn, string? Enterprise, string? City, string Pollutant, string SubKind, string Basis, DateTime Start, DateTime? End, double? Value,
    DateTimeOffset RaisedAt)
{
    /// <summary>True when the episode covers the hour starting at <paramref name="hour"/>.</summary>
    public bool Covers(DateTime hour) => Start < hour.AddHours(1) && (End is null || End > hour);
}
