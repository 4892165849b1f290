using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EmissionMonitor.Storage.Sqlite;

/// <summary>Operator records: marks, card lifts and alerts (each a row appended; revocations are rows too).</summary>
public sealed partial class SqliteStore
{
    /// <summary>Appends a mark row: a new mark, or the revocation of one (the same mark with <see cref="Compliance.Marks.Mark.Revoked"/>).</summary>
    public Task AddMarkAsync(Compliance.Marks.Mark mark, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT INTO marks (mn, kind, from_time, to_time, comment, meta) VALUES ($mn, $kind, $from, $to, $comment, $meta);" + QueueRecord("mark"),
            [("$mn", mark.Mn), ("$kind", mark.Kind), ("$from", Time(mark.From)), ("$to", Time(mark.To)), ("$comment", mark.Comment), ("$meta", RecordMeta.Of(mark)), ("$queued", Now())],
            cancellationToken);

    public async Task<IReadOnlyList<Compliance.Marks.Mark>> QueryMarksAsync(DateTime from, DateTime to, string? mn, CancellationToken cancellationToken) =>
        Compliance.Marks.Mark.Latest(await QueryAsync(
            $"SELECT {MarkColumns} FROM marks WHERE {(mn is null ? "" : "mn = $mn AND ")}to_time > $from AND from_time < $to ORDER BY mn, from_time, id",
            [("$from", Time(from)), ("$to", Time(to)), ("$mn", mn)], MapMark, cancellationToken));

    /// <summary>Appends a card-lift row: a lift, or its revocation (the same lift with <see cref="Compliance.Cards.CardLift.Revoked"/>).</summary>
    public Task AddCardLiftAsync(Compliance.Cards.CardLift lift, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT INTO card_lifts (enterprise, quarter, lifted_at, lifted_by, comment, meta) VALUES ($e, $q, $at, $by, $c, $meta);" + QueueRecord("lift"),
            [("$e", lift.Enterprise), ("$q", lift.Quarter), ("$at", lift.At.ToString("O", CultureInfo.InvariantCulture)), ("$by", lift.By), ("$c", lift.Comment),
                ("$meta", RecordMeta.Of(lift)), ("$queued", Now())],
            cancellationToken);

    public async Task<IReadOnlyList<Compliance.Cards.CardLift>> QueryCardLiftsAsync(CancellationToken cancellationToken) =>
        Compliance.Cards.CardLift.Latest(await QueryAsync($"SELECT {LiftColumns} FROM card_lifts ORDER BY id", [], MapLift, cancellationToken));

    public Task AddCardDecisionAsync(Compliance.Cards.CardDecision decision, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT INTO card_decisions (enterprise, quarter, decision, decided_at, decided_by, comment, colour, reasons, visible) VALUES ($e, $q, $d, $at, $by, $c, $colour, $reasons, $visible);"
            + QueueRecord("decision"),
            [("$e", decision.Enterprise), ("$q", decision.Quarter), ("$d", decision.Decision), ("$at", decision.At.ToString("O", CultureInfo.InvariantCulture)), ("$by", decision.By),
                ("$c", decision.Comment), ("$colour", decision.Colour), ("$reasons", string.Join('\n', decision.Reasons)), ("$visible", decision.VisibleToEnterprise ? 1 : 0), ("$queued", Now())],
            cancellationToken);

    public async Task<IReadOnlyList<Compliance.Cards.CardDecision>> QueryCardDecisionsAsync(CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {DecisionColumns} FROM card_decisions ORDER BY id", [], MapDecision, cancellationToken);

    public Task SaveDocumentAsync(DocumentRecord document, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT OR REPLACE INTO documents (kind, id, mn, state, at, json) VALUES ($kind, $id, $mn, $state, $at, $json);" + QueueRecord("document"),
            [("$kind", document.Kind), ("$id", document.Id), ("$mn", document.Mn), ("$state", document.State),
                ("$at", document.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)), ("$json", document.Json), ("$queued", Now())],
            cancellationToken);

    public async Task<IReadOnlyList<DocumentRecord>> QueryDocumentsAsync(string kind, string? mn, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {DocumentColumns} FROM documents WHERE kind = $kind {(mn is null ? "" : "AND mn = $mn ")}ORDER BY at DESC, id DESC",
            [("$kind", kind), ("$mn", mn)], MapDocument, cancellationToken);

    private const string DocumentColumns = "kind, id, mn, state, at, json";

    private static DocumentRecord MapDocument(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), DateTimeOffset.Parse(r.GetString(4), CultureInfo.InvariantCulture), r.GetString(5));

    public Task SaveNotificationRecordAsync(NotificationRecord notification, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT OR REPLACE INTO notifications (id, contact, state, created_at, json) VALUES ($id, $contact, $state, $at, $json);" + QueueRecord("notification"),
            [("$id", notification.Id), ("$contact", notification.Contact), ("$state", notification.State),
                ("$at", notification.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)), ("$json", notification.Json), ("$queued", Now())],
            cancellationToken);

    public async Task<IReadOnlyList<NotificationRecord>> QueryNotificationRecordsAsync(bool openOnly, int limit, int offset, CancellationToken cancellationToken) =>
        await QueryAsync(
            $"SELECT {NotificationColumns} FROM notifications {(openOnly ? "WHERE state <> 'sent' " : "")}ORDER BY created_at DESC, id DESC LIMIT $limit OFFSET $offset",
            [("$limit", limit), ("$offset", offset)], MapNotification, cancellationToken);

    private const string NotificationColumns = "id, contact, state, created_at, json";

    private static NotificationRecord MapNotification(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture), r.GetString(4));

    public Task AddPublicationAsync(PublicationRecord publication, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT INTO publications (id, quarter, city, version, published_at, published_by, json) VALUES ($id, $q, $city, $v, $at, $by, $json);" + QueueRecord("publication"),
            [("$id", publication.Id), ("$q", publication.Quarter), ("$city", publication.City), ("$v", publication.Version),
                ("$at", publication.PublishedAt.ToString("O", CultureInfo.InvariantCulture)), ("$by", publication.By), ("$json", publication.Json), ("$queued", Now())],
            cancellationToken);

    public async Task<IReadOnlyList<PublicationRecord>> QueryPublicationsAsync(CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {PublicationColumns} FROM publications ORDER BY rowid", [], MapPublication, cancellationToken);

    private const string PublicationColumns = "id, quarter, city, version, published_at, published_by, json";

    private static PublicationRecord MapPublication(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), Str(r, 2), r.GetInt32(3), DateTimeOffset.Parse(r.GetString(4), CultureInfo.InvariantCulture), r.GetString(5), r.GetString(6));

    private const string DecisionColumns = "enterprise, quarter, decision, decided_at, decided_by, comment, colour, reasons, visible";

    private static Compliance.Cards.CardDecision MapDecision(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture), r.GetString(4), Str(r, 5), r.GetString(6),
            r.GetString(7).Length == 0 ? [] : r.GetString(7).Split('\n')) { VisibleToEnterprise = !r.IsDBNull(8) && r.GetInt64(8) == 1 };

    private const string MarkColumns = "mn, kind, from_time, to_time, comment, meta";

    private const string LiftColumns = "enterprise, quarter, lifted_at, lifted_by, comment, meta";

    private static Compliance.Marks.Mark MapMark(SqliteDataReader r) =>
        RecordMeta.Apply(new Compliance.Marks.Mark(r.GetString(0), r.GetString(1), ParseTime(r.GetString(2)), ParseTime(r.GetString(3)), Str(r, 4)), Str(r, 5));

    private static Compliance.Cards.CardLift MapLift(SqliteDataReader r) =>
        RecordMeta.Apply(new Compliance.Cards.CardLift(r.GetString(0), r.GetString(1), DateTimeOffset.Parse(r.GetString(2), CultureInfo.InvariantCulture), r.GetString(3), Str(r, 4)), Str(r, 5));

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

    public Task AddTerminalKeyAsync(TerminalKey key, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT INTO terminal_keys (mn, key, created_at, source) VALUES ($mn, $key, $at, $source);" + QueueRecord("key"),
            [("$mn", key.Mn), ("$key", key.Key), ("$at", key.CreatedAt.ToString("O", CultureInfo.InvariantCulture)), ("$source", key.Source), ("$queued", Now())],
            cancellationToken);

    public async Task<IReadOnlyList<TerminalKey>> QueryTerminalKeysAsync(CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {KeyColumns} FROM terminal_keys ORDER BY id", [], MapKey, cancellationToken);

    private const string KeyColumns = "mn, key, created_at, source";

    private static TerminalKey MapKey(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), DateTimeOffset.Parse(r.GetString(2), CultureInfo.InvariantCulture), r.GetString(3));

    public Task AddTerminalIdentityAsync(TerminalIdentity identity, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT INTO terminal_identities (mn, logger_id, cpu_id, macs, reported_at) VALUES ($mn, $logger, $cpu, $macs, $at);" + QueueRecord("identity"),
            [("$mn", identity.Mn), ("$logger", identity.LoggerId), ("$cpu", identity.CpuId), ("$macs", identity.Macs),
                ("$at", identity.ReportedAt.ToString("O", CultureInfo.InvariantCulture)), ("$queued", Now())],
            cancellationToken);

    public async Task<IReadOnlyList<TerminalIdentity>> QueryTerminalIdentitiesAsync(CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {IdentityColumns} FROM terminal_identities ORDER BY id", [], MapIdentity, cancellationToken);

    private const string IdentityColumns = "mn, logger_id, cpu_id, macs, reported_at";

    private static TerminalIdentity MapIdentity(SqliteDataReader r) =>
        new(r.GetString(0), Str(r, 1), Str(r, 2), Str(r, 3), DateTimeOffset.Parse(r.GetString(4), CultureInfo.InvariantCulture));

    public Task SaveCommandRecordAsync(CommandRecord command, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT OR REPLACE INTO commands (id, mn, state, requested_at, json) VALUES ($id, $mn, $state, $at, $json);" + QueueRecord("command"),
            [("$id", command.Id), ("$mn", command.Mn), ("$state", command.State), ("$at", command.RequestedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
                ("$json", command.Json), ("$queued", Now())],
            cancellationToken);

    public async Task<IReadOnlyList<CommandRecord>> QueryCommandRecordsAsync(string? mn, int limit, int offset, CancellationToken cancellationToken) =>
        await QueryAsync(
            $"SELECT {CommandColumns} FROM commands {(mn is null ? "" : "WHERE mn = $mn ")}ORDER BY requested_at DESC, id DESC LIMIT $limit OFFSET $offset",
            [("$mn", mn), ("$limit", limit), ("$offset", offset)], MapCommand, cancellationToken);

    public async Task<CommandRecord?> GetCommandRecordAsync(string id, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {CommandColumns} FROM commands WHERE id = $id", [("$id", id)], MapCommand, cancellationToken)).FirstOrDefault();

    private const string CommandColumns = "id, mn, state, requested_at, json";

    private static CommandRecord MapCommand(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture), r.GetString(4));

    private static AlertRecord MapAlert(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), DateTimeOffset.Parse(r.GetString(2), CultureInfo.InvariantCulture), r.GetString(3));
}
