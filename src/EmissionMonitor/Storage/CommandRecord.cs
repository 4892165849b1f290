namespace EmissionMonitor.Storage;

/// <summary>
/// A host→terminal command's current state as the store keeps it: its id, MN, state and request
/// time (the keys a store needs) and the command itself as a JSON document the store does not read
/// (Commands/CommandJson writes and reads it), like <see cref="AlertRecord"/>.
/// </summary>
public sealed record CommandRecord(string Id, string Mn, string State, DateTimeOffset RequestedAt, string Json);
