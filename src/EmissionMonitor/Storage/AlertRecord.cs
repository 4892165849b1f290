namespace EmissionMonitor.Storage;

/// <summary>
/// An alert's current state as the store keeps it: its id, state and raising time (the keys a store
/// needs) and the alert itself as a JSON document the store does not read (Alerts/AlertRecords
/// writes and reads it), so storage knows nothing of the alert model.
/// </summary>
public sealed record AlertRecord(string Id, string State, DateTimeOffset RaisedAt, string Json);
