namespace EmissionMonitor.Storage;

/// <summary>
/// The operator-records half of the store contract: keyed documents (every kind of operator and
/// terminal record: marks, lifts, decisions, publications, orders, commands, notifications, keys,
/// identities, …) and alert states (kept apart: read by time and pruned by age). Every backend implements it beside <see cref="IReadingStore"/>
/// (<see cref="IStore"/>), so every instance of a scale-out sees the same records.
/// </summary>
public interface IRecordStore
{
    /// <summary>Stores a document's current state (insert or replace by kind and id): every keyed record kind (<see cref="RecordKind{T}"/>, <see cref="OperatorRecords"/>).</summary>
    Task SaveDocumentAsync(DocumentRecord document, CancellationToken cancellationToken);

    /// <summary>The documents <paramref name="query"/> asks for, newest first (read by key and index, not by scanning other kinds).</summary>
    Task<IReadOnlyList<DocumentRecord>> QueryDocumentsAsync(DocumentQuery query, CancellationToken cancellationToken);

    /// <summary>Stores an alert's current state (insert or replace by id).</summary>
    Task SaveAlertRecordAsync(AlertRecord alert, CancellationToken cancellationToken);

    /// <summary>Every stored alert.</summary>
    Task<IReadOnlyList<AlertRecord>> QueryAlertRecordsAsync(CancellationToken cancellationToken);

    /// <summary>The alerts raised from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), oldest raised first.</summary>
    Task<IReadOnlyList<AlertRecord>> QueryAlertRecordsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Removes the alerts cleared before <paramref name="clearedBefore"/> (Retention:Alerts); returns how many.</summary>
    Task<long> PruneAlertRecordsAsync(DateTimeOffset clearedBefore, CancellationToken cancellationToken);
}

/// <summary>Operator and terminal records waiting in the InfluxDB backend's local buffer: alerts, and every other kind as its document.</summary>
public sealed record PendingRecords(IReadOnlyList<AlertRecord> Alerts, IReadOnlyList<DocumentRecord> Documents);

/// <summary>A backend: readings and frames, operator records and the summaries.</summary>
public interface IStore : IReadingStore, IRecordStore, IFactStore;
