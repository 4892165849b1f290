using System.Globalization;
using System.Text.Json;
using EmissionMonitor.Compliance.Cards;
using EmissionMonitor.Compliance.Marks;

namespace EmissionMonitor.Storage.Influx;

/// <summary>Operator records: kept in the local buffer, forwarded into their own measurements, read from both.</summary>
public sealed partial class InfluxStore
{
    public async Task AddMarkAsync(Mark mark, CancellationToken cancellationToken)
    {
        await _buffer.AddMarkAsync(mark, cancellationToken);
        _wake.Release();
    }

    public async Task<IReadOnlyList<Mark>> QueryMarksAsync(DateTime from, DateTime to, string? mn, CancellationToken cancellationToken)
    {
        var pending = await PendingRecordsAsync(cancellationToken);
        string filter = mn is null ? string.Empty : $" WHERE \"mn\" = {InfluxSchema.Literal(mn)}";
        // A point the buffer is still writing may come back with only some of its fields, or the old
        // ones of an earlier version (InfluxDB does not apply a point's fields at once): the buffer's
        // record is the one that counts.
        var writing = pending.Marks.Where(m => m.CreatedAt is not null).Select(m => (m.Key, LineProtocol.Nanoseconds(m.CreatedAt!.Value))).ToHashSet();
        var marks = (await ServerRowsAsync($"SELECT * FROM \"{InfluxSchema.Marks}\"{filter}", row =>
            {
                var comment = row.Str("comment");
                var mark = RecordMeta.Apply(new Mark(row.Req("mn"), row.Req("kind"), DateTime.Parse(row.Req("from"), CultureInfo.InvariantCulture),
                    DateTime.Parse(row.Req("to"), CultureInfo.InvariantCulture), string.IsNullOrEmpty(comment) ? null : comment), row.Str("meta"));
                return writing.Contains((mark.Key, row.Long("time"))) ? null : mark;
            }, cancellationToken)).ToHashSet();
        marks.UnionWith(pending.Marks.Select(m => m with { Comment = string.IsNullOrEmpty(m.Comment) ? null : m.Comment }));
        return Mark.Latest(marks.Where(m => m.To > from && m.From < to && (mn is null || m.Mn == mn)));
    }

    public async Task AddCardLiftAsync(CardLift lift, CancellationToken cancellationToken)
    {
        await _buffer.AddCardLiftAsync(lift, cancellationToken);
        _wake.Release();
    }

    public async Task<IReadOnlyList<CardLift>> QueryCardLiftsAsync(CancellationToken cancellationToken)
    {
        var pending = await PendingRecordsAsync(cancellationToken);
        var writing = pending.Lifts.Select(l => (l.Enterprise, l.Quarter, LineProtocol.Nanoseconds(l.At))).ToHashSet(); // as for marks
        var lifts = (await ServerRowsAsync($"SELECT * FROM \"{InfluxSchema.Lifts}\"", row =>
            {
                if (writing.Contains((row.Req("enterprise"), row.Req("quarter"), row.Long("time"))))
                {
                    return null;
                }

                var comment = row.Str("comment");
                return RecordMeta.Apply(new CardLift(row.Req("enterprise"), row.Req("quarter"), row.At("at"), row.Req("by"),
                    string.IsNullOrEmpty(comment) ? null : comment), row.Str("meta"));
            }, cancellationToken)).ToHashSet();
        lifts.UnionWith(pending.Lifts.Select(l => l with { Comment = string.IsNullOrEmpty(l.Comment) ? null : l.Comment }));
        return CardLift.Latest(lifts);
    }

    public async Task AddCardDecisionAsync(CardDecision decision, CancellationToken cancellationToken)
    {
        await _buffer.AddCardDecisionAsync(decision, cancellationToken);
        _wake.Release();
    }

    public async Task<IReadOnlyList<CardDecision>> QueryCardDecisionsAsync(CancellationToken cancellationToken)
    {
        var pending = await PendingRecordsAsync(cancellationToken);
        var writing = pending.Decisions.Select(d => (d.Enterprise, d.Quarter, LineProtocol.Nanoseconds(d.At))).ToHashSet(); // as for marks
        var decisions = (await ServerRowsAsync($"SELECT * FROM \"{InfluxSchema.Decisions}\"",
            row => writing.Contains((row.Req("enterprise"), row.Req("quarter"), row.Long("time"))) ? null
                : new CardDecision(row.Req("enterprise"), row.Req("quarter"), row.Req("decision"), row.At("at"),
                    row.Req("by"), string.IsNullOrEmpty(row.Str("comment")) ? null : row.Str("comment"), row.Req("colour"),
                    string.IsNullOrEmpty(row.Str("reasons")) ? [] : row.Str("reasons")!.Split('\n')) { VisibleToEnterprise = row.Str("visible") == "1" }, cancellationToken)).ToHashSet();
        decisions.UnionWith(pending.Decisions.Select(d => d with { Comment = string.IsNullOrEmpty(d.Comment) ? null : d.Comment }));
        return decisions.OrderBy(d => d.At).ToList();
    }

    public async Task SaveDocumentAsync(DocumentRecord document, CancellationToken cancellationToken)
    {
        await _buffer.SaveDocumentAsync(document, cancellationToken);
        _wake.Release();
    }

    public async Task<IReadOnlyList<DocumentRecord>> QueryDocumentsAsync(string kind, string? mn, CancellationToken cancellationToken)
    {
        var pending = await PendingRecordsAsync(cancellationToken);
        string byMn = mn is null ? string.Empty : $" AND \"mn\" = {InfluxSchema.Literal(mn)}";
        var byId = (await ServerRowsAsync($"SELECT * FROM \"{InfluxSchema.Documents}\" WHERE \"kind\" = {InfluxSchema.Literal(kind)}{byMn}",
                row => new DocumentRecord(kind, row.Req("id"), row.Str("mn") ?? string.Empty, row.Req("state"), row.At("at"), row.Req("json")), cancellationToken))
            .ToDictionary(d => d.Id, StringComparer.Ordinal);
        foreach (var d in pending.Documents.Where(d => d.Kind == kind && (mn is null || d.Mn == mn)))
        {
            byId[d.Id] = d; // the local change is the newer one
        }

        return byId.Values.OrderByDescending(d => d.At).ThenByDescending(d => d.Id, StringComparer.Ordinal).ToList();
    }

    public async Task SaveNotificationRecordAsync(NotificationRecord notification, CancellationToken cancellationToken)
    {
        await _buffer.SaveNotificationRecordAsync(notification, cancellationToken);
        _wake.Release();
    }

    /// <summary>Notifications: the server's, with those still in the buffer winning (the local change is the newer one).</summary>
    public async Task<IReadOnlyList<NotificationRecord>> QueryNotificationRecordsAsync(bool openOnly, int limit, int offset, CancellationToken cancellationToken)
    {
        var pending = await PendingRecordsAsync(cancellationToken);
        var byId = (await ServerRowsAsync($"SELECT * FROM \"{InfluxSchema.Notifications}\"",
                row => new NotificationRecord(row.Req("id"), row.Req("contact"), row.Req("state"), row.At("created_at"), row.Req("json")), cancellationToken))
            .ToDictionary(n => n.Id, StringComparer.Ordinal);
        foreach (var n in pending.Notifications)
        {
            byId[n.Id] = n;
        }

        return byId.Values.Where(n => !openOnly || n.State != "sent").OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id, StringComparer.Ordinal)
            .Skip(offset).Take(limit).ToList();
    }

    public async Task AddPublicationAsync(PublicationRecord publication, CancellationToken cancellationToken)
    {
        await _buffer.AddPublicationAsync(publication, cancellationToken);
        _wake.Release();
    }

    public async Task<IReadOnlyList<PublicationRecord>> QueryPublicationsAsync(CancellationToken cancellationToken)
    {
        var pending = await PendingRecordsAsync(cancellationToken);
        var byId = (await ServerRowsAsync($"SELECT * FROM \"{InfluxSchema.Publications}\"",
                row => new PublicationRecord(row.Req("id"), row.Req("quarter"), string.IsNullOrEmpty(row.Str("city")) ? null : row.Str("city"), (int)row.Long("version"),
                    row.At("published_at"), row.Req("by"), row.Req("json")), cancellationToken))
            .ToDictionary(p => p.Id, StringComparer.Ordinal);
        foreach (var p in pending.Publications)
        {
            byId[p.Id] = p; // a point still being written may lack fields: the buffer's record counts
        }

        return byId.Values.OrderBy(p => p.PublishedAt).ToList();
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

    public async Task AddTerminalKeyAsync(TerminalKey key, CancellationToken cancellationToken)
    {
        await _buffer.AddTerminalKeyAsync(key, cancellationToken);
        _wake.Release();
    }

    public async Task<IReadOnlyList<TerminalKey>> QueryTerminalKeysAsync(CancellationToken cancellationToken)
    {
        var pending = await PendingRecordsAsync(cancellationToken);
        var writing = pending.Keys.Select(k => (k.Mn, LineProtocol.Nanoseconds(k.CreatedAt))).ToHashSet(); // as for marks
        var keys = (await ServerRowsAsync($"SELECT * FROM \"{InfluxSchema.TerminalKeys}\"",
            row => writing.Contains((row.Req("mn"), row.Long("time"))) ? null
                : new TerminalKey(row.Req("mn"), row.Req("key"), row.At("created_at"), row.Req("source")), cancellationToken))
            .ToHashSet();
        keys.UnionWith(pending.Keys);
        return keys.OrderBy(k => k.CreatedAt).ToList();
    }

    public async Task AddTerminalIdentityAsync(TerminalIdentity identity, CancellationToken cancellationToken)
    {
        await _buffer.AddTerminalIdentityAsync(identity, cancellationToken);
        _wake.Release();
    }

    public async Task<IReadOnlyList<TerminalIdentity>> QueryTerminalIdentitiesAsync(CancellationToken cancellationToken)
    {
        var pending = await PendingRecordsAsync(cancellationToken);
        static string? Field(string? s) => string.IsNullOrEmpty(s) ? null : s;
        var writing = pending.Identities.Select(i => (i.Mn, LineProtocol.Nanoseconds(i.ReportedAt))).ToHashSet(); // as for marks
        var identities = (await ServerRowsAsync($"SELECT * FROM \"{InfluxSchema.TerminalIdentities}\"",
            row => writing.Contains((row.Req("mn"), row.Long("time"))) ? null
                : new TerminalIdentity(row.Req("mn"), Field(row.Str("logger_id")), Field(row.Str("cpu_id")), Field(row.Str("macs")), row.At("reported_at")),
            cancellationToken)).ToHashSet();
        identities.UnionWith(pending.Identities);
        return identities.OrderBy(i => i.ReportedAt).ToList();
    }

    public async Task SaveCommandRecordAsync(CommandRecord command, CancellationToken cancellationToken)
    {
        await _buffer.SaveCommandRecordAsync(command, cancellationToken);
        _wake.Release();
    }

    /// <summary>
    /// A page of commands: the server's newest <paramref name="offset"/> + <paramref name="limit"/>
    /// (ordered by request time on the server) merged with those still in the buffer (the local
    /// change is the newer one).
    /// </summary>
    public async Task<IReadOnlyList<CommandRecord>> QueryCommandRecordsAsync(string? mn, int limit, int offset, CancellationToken cancellationToken)
    {
        var pending = await PendingRecordsAsync(cancellationToken);
        string where = mn is null ? string.Empty : $" WHERE \"mn\" = {InfluxSchema.Literal(mn)}";
        long take = Math.Min((long)offset + limit, 1_000_000);
        var byId = (await ServerRowsAsync($"SELECT * FROM \"{InfluxSchema.Commands}\"{where} ORDER BY time DESC LIMIT {take}", MapCommand, cancellationToken))
            .ToDictionary(c => c.Id, StringComparer.Ordinal);
        foreach (var c in pending.Commands.Where(c => mn is null || c.Mn == mn))
        {
            byId[c.Id] = c;
        }

        return byId.Values.OrderByDescending(c => c.RequestedAt).ThenByDescending(c => c.Id, StringComparer.Ordinal).Skip(offset).Take(limit).ToList();
    }

    public async Task<CommandRecord?> GetCommandRecordAsync(string id, CancellationToken cancellationToken)
    {
        var pending = await PendingRecordsAsync(cancellationToken);
        if (pending.Commands.LastOrDefault(c => c.Id == id) is { } local)
        {
            return local;
        }

        return (await ServerRowsAsync($"SELECT * FROM \"{InfluxSchema.Commands}\" WHERE \"id\" = {InfluxSchema.Literal(id)}", MapCommand, cancellationToken)).LastOrDefault();
    }

    private static CommandRecord MapCommand(InfluxRow row) => new(row.Req("id"), row.Req("mn"), row.Req("state"), row.At("requested_at"), row.Req("json"));

    /// <summary>
    /// The rows an InfluxQL query answers, each mapped, without those <paramref name="map"/> leaves
    /// out (null) and those of points still being written (<see cref="CompleteRows"/>); the answer's
    /// document is released before returning.
    /// </summary>
    private static AlertRecord AlertRow(InfluxRow row)
    {
        string json = row.Req("json");
        // Points written before raised_at was a field of its own carry it only inside the JSON.
        string raised = row.Str("raised_at") ?? JsonDocument.Parse(json).RootElement.GetProperty("raisedAt").GetString()!;
        return new AlertRecord(row.Req("id"), row.Req("state"), DateTimeOffset.Parse(raised, CultureInfo.InvariantCulture), json);
    }

    private async Task<List<T>> ServerRowsAsync<T>(string query, Func<InfluxRow, T?> map, CancellationToken cancellationToken)
        where T : class
    {
        using var doc = await QueryServerAsync(query, cancellationToken);
        return CompleteRows(doc, map).ToList();
    }

    private Task<PendingRecords> PendingRecordsAsync(CancellationToken ct) => _buffer.PendingRecordsAsync(ct);
}
