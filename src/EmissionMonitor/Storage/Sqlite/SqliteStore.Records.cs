using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EmissionMonitor.Storage.Sqlite;

/// <summary>Operator records: keyed documents (every kind, <see cref="OperatorRecords"/>) and alerts.</summary>
public sealed partial class SqliteStore
{
    public Task SaveDocumentAsync(DocumentRecord document, CancellationToken cancellationToken) =>
        ExecuteAsync(InsertDocument + QueueRecord("document"), [.. DocumentParameters(document), ("$queued", Now())], cancellationToken);

    /// <summary>The documents a query asks for, by the kind's key (<c>kind, id</c>) or its indexes (<c>kind, mn, at</c> and <c>kind, at</c>), newest first.</summary>
    public async Task<IReadOnlyList<DocumentRecord>> QueryDocumentsAsync(DocumentQuery query, CancellationToken cancellationToken) =>
        await QueryAsync($"""
            SELECT {DocumentColumns} FROM documents WHERE kind = $kind{(query.Mn is null ? "" : " AND mn = $mn")}{(query.Id is null ? "" : " AND id = $id")}{(query.ExceptState is null ? "" : " AND state <> $except")}
            ORDER BY at DESC, id DESC LIMIT $limit OFFSET $offset
            """,
            [("$kind", query.Kind), ("$mn", query.Mn), ("$id", query.Id), ("$except", query.ExceptState), ("$limit", query.Limit), ("$offset", query.Offset)], MapDocument, cancellationToken);

    private const string InsertDocument = "INSERT OR REPLACE INTO documents (kind, id, mn, state, at, json) VALUES ($kind, $id, $mn, $state, $at, $json);";

    private static (string, object?)[] DocumentParameters(DocumentRecord document) =>
        [("$kind", document.Kind), ("$id", document.Id), ("$mn", document.Mn), ("$state", document.State),
            ("$at", document.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)), ("$json", document.Json)];

    private const string DocumentColumns = "kind, id, mn, state, at, json";

    private static DocumentRecord MapDocument(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), DateTimeOffset.Parse(r.GetString(4), CultureInfo.InvariantCulture), r.GetString(5));

    public Task SaveAlertRecordAsync(AlertRecord alert, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT OR REPLACE INTO alerts (id, state, raised_at, json) VALUES ($id, $state, $raised, $json);" + QueueRecord("alert"),
            [("$id", alert.Id), ("$state", alert.State), ("$raised", alert.RaisedAt.ToString("O", CultureInfo.InvariantCulture)), ("$json", alert.Json), ("$queued", Now())],
            cancellationToken);

    public async Task<IReadOnlyList<AlertRecord>> QueryAlertRecordsAsync(CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {AlertColumns} FROM alerts ORDER BY raised_at", [], MapAlert, cancellationToken);

    public async Task<IReadOnlyList<AlertRecord>> QueryAlertRecordsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {AlertColumns} FROM alerts WHERE raised_at >= $from AND raised_at < $to ORDER BY raised_at",
            [("$from", from.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)), ("$to", to.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture))], MapAlert, cancellationToken);

    private const string AlertColumns = "id, state, raised_at, json";

    public async Task<long> PruneAlertRecordsAsync(DateTimeOffset clearedBefore, CancellationToken cancellationToken) =>
        await ExecuteAsync("DELETE FROM alerts WHERE state = 'cleared' AND julianday(json_extract(json, '$.clearedAt')) < julianday($before)",
            [("$before", clearedBefore.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture))], cancellationToken);

    private static AlertRecord MapAlert(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), DateTimeOffset.Parse(r.GetString(2), CultureInfo.InvariantCulture), r.GetString(3));
}
