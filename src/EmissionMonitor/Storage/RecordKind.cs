using System.Text.Json;

namespace EmissionMonitor.Storage;

/// <summary>
/// A kind of keyed record the store keeps without knowing its type: the kind's name and how a record
/// becomes the document the store keeps (id, owner, state, time and JSON) and back. Both backends keep
/// every kind in one place — SQLite's <c>documents</c> table, InfluxDB's <c>documents</c> measurement
/// and its local buffer — so a new kind of record is its type plus one <see cref="RecordKind{T}"/>,
/// and nothing written per backend. Saving a record of the same kind and id replaces it; a kind whose
/// records are never changed gives each version an id of its own.
/// </summary>
/// <typeparam name="T">The record's type.</typeparam>
public sealed class RecordKind<T>
    where T : class
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Func<T, DocumentRecord> _toDocument;
    private readonly Func<DocumentRecord, T> _fromDocument;

    /// <summary>A kind whose records are serialised whole as JSON (web defaults).</summary>
    public RecordKind(string name, Func<T, string> id, Func<T, string> mn, Func<T, string> state, Func<T, DateTimeOffset> at)
        : this(name, r => new DocumentRecord(name, id(r), mn(r), state(r), at(r), JsonSerializer.Serialize(r, Json)),
            d => JsonSerializer.Deserialize<T>(d.Json, Json) ?? throw new InvalidDataException($"an empty {name} record {d.Id}"))
    {
    }

    /// <summary>A kind that maps its records to documents itself (records that carry their own JSON, or a stored form of their own).</summary>
    public RecordKind(string name, Func<T, DocumentRecord> toDocument, Func<DocumentRecord, T> fromDocument)
    {
        Name = name;
        _toDocument = toDocument;
        _fromDocument = fromDocument;
    }

    /// <summary>The kind's name in the store (e.g. <c>order</c>); never changed once records exist.</summary>
    public string Name { get; }

    /// <summary>The document the store keeps for <paramref name="record"/>.</summary>
    public DocumentRecord ToDocument(T record) =>
        _toDocument(record) is { } d && d.Kind == Name ? d : throw new InvalidOperationException($"a {Name} record mapped to a document of another kind");

    /// <summary>The record a stored document holds.</summary>
    public T FromDocument(DocumentRecord document) =>
        document.Kind == Name ? _fromDocument(document) : throw new ArgumentException($"a {document.Kind} record is not a {Name}", nameof(document));
}

/// <summary>Typed reads and writes of keyed records over <see cref="IRecordStore"/>'s documents.</summary>
public static class KeyedRecords
{
    /// <summary>Stores <paramref name="record"/>'s current state (insert or replace by kind and id).</summary>
    public static Task SaveAsync<T>(this IRecordStore store, RecordKind<T> kind, T record, CancellationToken cancellationToken)
        where T : class =>
        store.SaveDocumentAsync(kind.ToDocument(record), cancellationToken);

    /// <summary>Every record of <paramref name="kind"/>, newest first; with <paramref name="mn"/>, only that outlet's.</summary>
    public static Task<IReadOnlyList<T>> QueryAsync<T>(this IRecordStore store, RecordKind<T> kind, string? mn, CancellationToken cancellationToken)
        where T : class =>
        store.FindAsync(kind, new DocumentQuery(kind.Name) { Mn = mn }, cancellationToken);

    /// <summary>The records of <paramref name="kind"/> that <paramref name="query"/> asks for, newest first.</summary>
    public static async Task<IReadOnlyList<T>> FindAsync<T>(this IRecordStore store, RecordKind<T> kind, DocumentQuery query, CancellationToken cancellationToken)
        where T : class =>
        (await store.QueryDocumentsAsync(query with { Kind = kind.Name }, cancellationToken)).Select(kind.FromDocument).ToList();

    /// <summary>Every document of a kind, newest first; with <paramref name="mn"/>, only that outlet's.</summary>
    public static Task<IReadOnlyList<DocumentRecord>> QueryDocumentsAsync(this IRecordStore store, string kind, string? mn, CancellationToken cancellationToken) =>
        store.QueryDocumentsAsync(new DocumentQuery(kind) { Mn = mn }, cancellationToken);
}
