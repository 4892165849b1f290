namespace EmissionMonitor.Storage;

/// <summary>A row of the local buffer waiting to be forwarded to the main store: a reading (by key) or a frame (by id).</summary>
public sealed record OutboxEntry(long Seq, string Kind, string Ref, DateTimeOffset QueuedAt);
