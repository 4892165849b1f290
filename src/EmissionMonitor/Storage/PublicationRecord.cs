namespace EmissionMonitor.Storage;

/// <summary>
/// A published quarterly list (immutable once stored): its id, quarter, city (null for the
/// province), version, when and by whom, and the snapshot as JSON the store does not read
/// (Reports/PublicationService writes and reads it).
/// </summary>
public sealed record PublicationRecord(string Id, string Quarter, string? City, int Version, DateTimeOffset PublishedAt, string By, string Json);
