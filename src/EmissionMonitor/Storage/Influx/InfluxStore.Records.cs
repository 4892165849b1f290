using System.Globalization;
using System.Text.Json;

namespace EmissionMonitor.Storage.Influx;

/// <summary>Operator records: keyed documents (every kind) and alerts — kept in the local buffer, forwarded into their measurements, read from both.</summary>
public sealed partial class InfluxStore
{
    public async Task SaveDocumentAsync(DocumentRecord document, CancellationToken cancellationToken)
    {
        await _buffer.SaveDocumentAsync(document, cancellationToken);
        _wake.Release();
    }

    /// <summary>
    /// The documents a query asks for: the server's (of the kind, by the point's tags; a page asks the
    /// server for the newest offset + limit by time, which is each document's own) merged with those
    /// still in the buffer — the local change is the newer one, and a point the buffer is still writing
    /// may come back with only some of its fields or an earlier version's.
    /// </summary>
    public async Task<IReadOnlyList<DocumentRecord>> QueryDocumentsAsync(DocumentQuery query, CancellationToken cancellationToken)
    {
        var pending = await PendingRecordsAsync(cancellationToken);
        var where = new List<string> { $"\"kind\" = {InfluxSchema.Literal(query.Kind)}" };
        if (query.Mn is not null)
        {
            where.Add($"\"mn\" = {InfluxSchema.Literal(query.Mn)}");
        }

        if (query.Id is not null)
        {
            where.Add($"\"id\" = {InfluxSchema.Literal(query.Id)}");
        }

        if (query.ExceptState is not null)
        {
            where.Add($"\"state\" <> {InfluxSchema.Literal(query.ExceptState)}");
        }

        long take = (long)query.Offset + query.Limit;
        string limit = take >= int.MaxValue ? string.Empty : $" LIMIT {take}";
        var byId = new Dictionary<string, DocumentRecord>(StringComparer.Ordinal);
        foreach (var d in await ServerRowsAsync($"SELECT * FROM \"{InfluxSchema.Documents}\" WHERE {string.Join(" AND ", where)} ORDER BY time DESC{limit}",
            row => new DocumentRecord(query.Kind, row.Req("id"), row.Str("mn") ?? string.Empty, row.Req("state"), row.At("at"), row.Req("json")), cancellationToken))
        {
            byId[d.Id] = d;
        }

        foreach (var d in pending.Documents.Where(d => d.Kind == query.Kind))
        {
            byId[d.Id] = d; // the local change is the newer one (and may no longer match the query: Page filters again)
        }

        return query.Page(byId.Values);
    }

    public async Task SaveAlertRecordAsync(AlertRecord alert, CancellationToken cancellationToken)
    {
        await _buffer.SaveAlertRecordAsync(alert, cancellationToken);
        _wake.Release();
    }

    public async Task<IReadOnlyList<AlertRecord>> QueryAlertRecordsAsync(CancellationToken cancellationToken)
    {
        var pending = await PendingRecordsAsync(cancellationToken);
        var byId = new Dictionary<string, AlertRecord>(StringComparer.Ordinal);
        foreach (var alert in await ServerRowsAsync($"SELECT * FROM \"{InfluxSchema.Alerts}\"", AlertRow, cancellationToken))
        {
            byId[alert.Id] = alert;
        }

        foreach (var alert in pending.Alerts)
        {
            byId[alert.Id] = alert; // the local change is the newer one
        }

        return byId.Values.OrderBy(a => a.RaisedAt).ToList();
    }

    public async Task<IReadOnlyList<AlertRecord>> QueryAlertRecordsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var pending = await PendingRecordsAsync(cancellationToken);
        var byId = new Dictionary<string, AlertRecord>(StringComparer.Ordinal);
        foreach (var alert in await ServerRowsAsync(
            $"SELECT * FROM \"{InfluxSchema.Alerts}\" WHERE time >= {LineProtocol.Nanoseconds(from)} AND time < {LineProtocol.Nanoseconds(to)}", AlertRow, cancellationToken))
        {
            byId[alert.Id] = alert;
        }

        foreach (var alert in pending.Alerts.Where(a => a.RaisedAt >= from && a.RaisedAt < to))
        {
            byId[alert.Id] = alert; // the local change is the newer one
        }

        return byId.Values.OrderBy(a => a.RaisedAt).ToList();
    }

    public async Task<long> PruneAlertRecordsAsync(DateTimeOffset clearedBefore, CancellationToken cancellationToken)
    {
        // An alert is one point at its raising time; it may have been cleared long after, so the
        // clearing time is read from the record before a point is deleted by its id.
        var ids = await ServerRowsAsync($"SELECT \"id\", \"json\" FROM \"{InfluxSchema.Alerts}\" WHERE \"state\" = 'cleared' AND time < {LineProtocol.Nanoseconds(clearedBefore)}", row =>
            JsonDocument.Parse(row.Req("json")).RootElement.TryGetProperty("clearedAt", out var at) && at.ValueKind == JsonValueKind.String
                && DateTimeOffset.Parse(at.GetString()!, CultureInfo.InvariantCulture) < clearedBefore ? row.Req("id") : null, cancellationToken);
        var old = ids.OfType<string>().ToList();
        foreach (var chunk in old.Chunk(200))
        {
            await ExecuteServerAsync(string.Join(";", chunk.Select(id => $"DELETE FROM \"{InfluxSchema.Alerts}\" WHERE \"id\" = {InfluxSchema.Literal(id)}")), cancellationToken);
        }

        return old.Count;
    }

    /// <summary>An alert point (its raising time from the JSON for points written before it was a field).</summary>
    private static AlertRecord AlertRow(InfluxRow row)
    {
        string json = row.Req("json");
        string raised = row.Str("raised_at") ?? JsonDocument.Parse(json).RootElement.GetProperty("raisedAt").GetString()!;
        return new AlertRecord(row.Req("id"), row.Req("state"), DateTimeOffset.Parse(raised, CultureInfo.InvariantCulture), json);
    }

    /// <summary>
    /// The rows an InfluxQL query answers, each mapped, without those <paramref name="map"/> leaves
    /// out (null) and those of points still being written (<see cref="CompleteRows"/>); the answer's
    /// document is released before returning.
    /// </summary>
    private async Task<List<T>> ServerRowsAsync<T>(string query, Func<InfluxRow, T?> map, CancellationToken cancellationToken)
        where T : class
    {
        using var doc = await QueryServerAsync(query, cancellationToken);
        return CompleteRows(doc, map).ToList();
    }

    private Task<PendingRecords> PendingRecordsAsync(CancellationToken ct) => _buffer.PendingRecordsAsync(ct);
}
