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
        var marks = new HashSet<Mark>();
        // A point the buffer is still writing may come back with only some of its fields (InfluxDB
        // does not apply a point's fields at once): the buffer's record is the one that counts.
        var writing = pending.Marks.Where(m => m.CreatedAt is not null).Select(m => (m.Key, LineProtocol.Nanoseconds(m.CreatedAt!.Value))).ToHashSet();
        using (var doc = await QueryServerAsync($"SELECT * FROM \"{InfluxSchema.Marks}\"{filter}", cancellationToken))
        {
            foreach (var row in Rows(doc))
            {
                var comment = row.Str("comment");
                var mark = RecordMeta.Apply(new Mark(row.Str("mn")!, row.Str("kind")!, DateTime.Parse(row.Str("from")!, CultureInfo.InvariantCulture),
                    DateTime.Parse(row.Str("to")!, CultureInfo.InvariantCulture), string.IsNullOrEmpty(comment) ? null : comment), row.Str("meta"));
                if (!writing.Contains((mark.Key, row.Long("time"))))
                {
                    marks.Add(mark);
                }
            }
        }

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
        var lifts = new HashSet<CardLift>();
        var writing = pending.Lifts.Select(l => (l.Enterprise, l.Quarter, LineProtocol.Nanoseconds(l.At))).ToHashSet(); // as for marks
        using (var doc = await QueryServerAsync($"SELECT * FROM \"{InfluxSchema.Lifts}\"", cancellationToken))
        {
            foreach (var row in Rows(doc).Where(row => !writing.Contains((row.Str("enterprise")!, row.Str("quarter")!, row.Long("time")))))
            {
                var comment = row.Str("comment");
                lifts.Add(RecordMeta.Apply(new CardLift(row.Str("enterprise")!, row.Str("quarter")!, DateTimeOffset.Parse(row.Str("at")!, CultureInfo.InvariantCulture), row.Str("by")!,
                    string.IsNullOrEmpty(comment) ? null : comment), row.Str("meta")));
            }
        }

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
            row => writing.Contains((row.Str("enterprise")!, row.Str("quarter")!, row.Long("time"))) ? null
                : new CardDecision(row.Str("enterprise")!, row.Str("quarter")!, row.Str("decision")!, DateTimeOffset.Parse(row.Str("at")!, CultureInfo.InvariantCulture),
                    row.Str("by")!, string.IsNullOrEmpty(row.Str("comment")) ? null : row.Str("comment"), row.Str("colour")!,
                    string.IsNullOrEmpty(row.Str("reasons")) ? [] : row.Str("reasons")!.Split('\n')), cancellationToken)).OfType<CardDecision>().ToHashSet();
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
                row => row.Str("json") is null || row.Str("state") is null || row.Str("at") is null ? null
                    : new DocumentRecord(kind, row.Str("id")!, row.Str("mn") ?? string.Empty, row.Str("state")!, DateTimeOffset.Parse(row.Str("at")!, CultureInfo.InvariantCulture), row.Str("json")!),
                cancellationToken))
            .OfType<DocumentRecord>().ToDictionary(d => d.Id, StringComparer.Ordinal);
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
        var byId = (await ServerRowsAsync($"SELECT * FROM \"{InfluxSchema.Notifications}\"", row => row.Str("json") is null || row.Str("state") is null ? null
                : new NotificationRecord(row.Str("id")!, row.Str("contact")!, row.Str("state")!, DateTimeOffset.Parse(row.Str("created_at")!, CultureInfo.InvariantCulture), row.Str("json")!),
                cancellationToken))
            .OfType<NotificationRecord>().ToDictionary(n => n.Id, StringComparer.Ordinal);
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
        var byId = (await ServerRowsAsync($"SELECT * FROM \"{InfluxSchema.Publications}\"", row => row.Str("json") is null || row.Str("quarter") is null || row.Str("published_at") is null || row.Str("by") is null ? null
                : new PublicationRecord(row.Str("id")!, row.Str("quarter")!, string.IsNullOrEmpty(row.Str("city")) ? null : row.Str("city"), (int)row.Long("version"),
                    DateTimeOffset.Parse(row.Str("published_at")!, CultureInfo.InvariantCulture), row.Str("by")!, row.Str("json")!), cancellationToken))
            .OfType<PublicationRecord>().ToDictionary(p => p.Id, StringComparer.Ordinal);
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
        using (var doc = await QueryServerAsync($"SELECT * FROM \"{InfluxSchema.Alerts}\"", cancellationToken))
        {
            foreach (var row in Rows(doc))
            {
                string json = row.Str("json")!;
                // Points written before raised_at was a field of its own carry it only inside the JSON.
                string raised = row.Str("raised_at") ?? JsonDocument.Parse(json).RootElement.GetProperty("raisedAt").GetString()!;
                var alert = new AlertRecord(row.Str("id")!, row.Str("state")!, DateTimeOffset.Parse(raised, CultureInfo.InvariantCulture), json);
                byId[alert.Id] = alert;
            }
        }

        foreach (var alert in pending.Alerts)
        {
            byId[alert.Id] = alert; // the local change is the newer one
        }

        return byId.Values.OrderBy(a => a.RaisedAt).ToList();
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
            row => writing.Contains((row.Str("mn")!, row.Long("time"))) ? null
                : new TerminalKey(row.Str("mn")!, row.Str("key")!, DateTimeOffset.Parse(row.Str("created_at")!, CultureInfo.InvariantCulture), row.Str("source")!), cancellationToken))
            .OfType<TerminalKey>().ToHashSet();
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
            row => writing.Contains((row.Str("mn")!, row.Long("time"))) ? null
                : new TerminalIdentity(row.Str("mn")!, Field(row.Str("logger_id")), Field(row.Str("cpu_id")), Field(row.Str("macs")),
                    DateTimeOffset.Parse(row.Str("reported_at")!, CultureInfo.InvariantCulture)), cancellationToken)).OfType<TerminalIdentity>().ToHashSet();
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

    private static CommandRecord MapCommand(InfluxRow row) =>
        new(row.Str("id")!, row.Str("mn")!, row.Str("state")!, DateTimeOffset.Parse(row.Str("requested_at")!, CultureInfo.InvariantCulture), row.Str("json")!);

    /// <summary>The rows an InfluxQL query answers, each mapped (the answer's document is released before returning).</summary>
    private async Task<List<T>> ServerRowsAsync<T>(string query, Func<InfluxRow, T> map, CancellationToken cancellationToken)
    {
        using var doc = await QueryServerAsync(query, cancellationToken);
        return Rows(doc).Select(map).ToList();
    }

    private Task<PendingRecords> PendingRecordsAsync(CancellationToken ct) => _buffer.PendingRecordsAsync(ct);
}
