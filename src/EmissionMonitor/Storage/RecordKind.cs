using System.Text.Json;

namespace EmissionMonitor.Storage;

/// <summary>
/// A kind of keyed record the store keeps without knowing its type: the kind's name and how to read
/// a record's keys (id, MN, state, time). Both backends keep every kind in one place — SQLite's
/// <c>documents</c> table, InfluxDB's <c>documents</c> measurement and its local buffer — so a new
/// kind of record is its type plus one <see cref="RecordKind{T}"/>, and nothing written per backend.
/// Saving a record of the same kind and id replaces it; its history lives inside the record.
/// </summary>
/// <typeparam name="T">The record's type, serialised as JSON (web defaults).</typeparam>
public sealed class RecordKind<T>(string name, Func<T, string> id, Func<T, string> mn, Func<T, string> state, Func<T, DateTimeOffset> at)
    where T : class
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The kind's name in the store (e.g. <c>order</c>); never changed once records exist.</summary>
    public string Name { get; } = name;

    /// <summary>The document the store keeps for <paramref name="record"/>.</summary>
    public DocumentRecord ToDocument(T record) => new(Name, id(record), mn(record), state(record), at(record), JsonSerializer.Serialize(record, Json));

    /// <summary>The record a stored document holds.</summary>
    public T FromDocument(DocumentRecord document) =>
        document.Kind == Name
            ? JsonSerializer.Deserialize<T>(document.Json, Json) ?? throw new InvalidDataException($"an empty {Name} record {document.Id}")
            : throw new ArgumentException($"a {document.Kind} record is not a {Name}", nameof(document));
}

/// <summary>Typed reads and writes of keyed records over <see cref="IRecordStore"/>'s documents.</summary>
public static class KeyedRecords
{
    /// <summary>Stores <paramref name="record"/>'s current state (insert or replace by kind and id).</summary>
    public static Task SaveAsync<T>(this IRecordStore store, RecordKind<T> kind, T record, CancellationToken cancellationToken)
        where T : class =>
        store.SaveDocumentAsync(kind.ToDocument(record), cancellationToken);

    /// <summary>Every record of <paramref name="kind"/>, newest first; with <paramref name="mn"/>, only that outlet's.</summary>
    public static async Task<IReadOnlyList<T>> QueryAsync<T>(this IRecordStore store, RecordKind<T> kind, string? mn, CancellationToken cancellationToken)
        where T : class =>
        (await store.QueryDocumentsAsync(kind.Name, mn, cancellationToken)).Select(kind.FromDocument).ToList();
}
