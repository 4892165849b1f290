namespace EmissionMonitor.Storage;

/// <summary>
/// A notification message's current state as the store keeps it (its durable outbox): id, contact,
/// state, creation time, and the message as JSON the store does not read (Notify/NotificationService
/// writes and reads it).
/// </summary>
public sealed record NotificationRecord(string Id, string Contact, string State, DateTimeOffset CreatedAt, string Json);
