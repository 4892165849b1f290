using EmissionMonitor.Storage;

namespace EmissionMonitor.Tests.Storage;

/// <summary>
/// The record half of the store contract in memory, for unit tests of what reads and writes records
/// (rules, services): documents replaced by kind and id and read by a <see cref="DocumentQuery"/>
/// exactly as the backends page them, alerts by id. Six members: every kind of record goes through them.
/// </summary>
public sealed class MemoryRecordStore : IRecordStore
{
    private readonly Dictionary<(string Kind, string Id), DocumentRecord> _documents = [];
    private readonly Dictionary<string, AlertRecord> _alerts = new(StringComparer.Ordinal);

    public Task SaveDocumentAsync(DocumentRecord document, CancellationToken cancellationToken)
    {
        _documents[(document.Kind, document.Id)] = document;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DocumentRecord>> QueryDocumentsAsync(DocumentQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DocumentRecord>>(query.Page(_documents.Values));

    public Task SaveAlertRecordAsync(AlertRecord alert, CancellationToken cancellationToken)
    {
        _alerts[alert.Id] = alert;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AlertRecord>> QueryAlertRecordsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AlertRecord>>(_alerts.Values.OrderBy(a => a.RaisedAt).ToList());

    public Task<IReadOnlyList<AlertRecord>> QueryAlertRecordsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AlertRecord>>(_alerts.Values.Where(a => a.RaisedAt >= from && a.RaisedAt < to).OrderBy(a => a.RaisedAt).ToList());

    public Task<long> PruneAlertRecordsAsync(DateTimeOffset clearedBefore, CancellationToken cancellationToken) => Task.FromResult(0L);
}
