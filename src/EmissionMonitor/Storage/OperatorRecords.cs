using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using EmissionMonitor.Compliance.Cards;
using EmissionMonitor.Compliance.Marks;

namespace EmissionMonitor.Storage;

/// <summary>
/// The operator and terminal records as kinds of keyed record (<see cref="RecordKind{T}"/>): marks,
/// card lifts and decisions, publications, notifications, commands, terminal keys and identities.
/// Records never changed in place (a mark's versions, a lift's revocation, keys, identities) give each
/// version an id of its own and are read back newest version per record, as they always were;
/// notifications and commands are replaced by id. The methods read and write them by their old names,
/// so the store contract has no member per kind.
/// </summary>
public static class OperatorRecords
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Marks: a document per version (id, revision, revoked), owned by the outlet, at its creation (or its start, for marks without one).</summary>
    public static readonly RecordKind<Mark> Marks = new("mark",
        m => new DocumentRecord("mark", $"{m.Key}#{m.Rev.ToString(CultureInfo.InvariantCulture)}{(m.Revoked is null ? "" : "r")}", m.Mn, m.State,
            m.CreatedAt ?? new DateTimeOffset(m.From, TimeSpan.Zero), JsonSerializer.Serialize(StoredMark.Of(m), Json)),
        d => (JsonSerializer.Deserialize<StoredMark>(d.Json, Json) ?? throw new InvalidDataException($"an empty mark {d.Id}")).ToMark());

    /// <summary>Card lifts: a document per lift (enterprise, quarter, time) and one more for its revocation.</summary>
    public static readonly RecordKind<CardLift> Lifts = new("lift",
        l => $"{l.Enterprise}|{l.Quarter}|{Stamp(l.At)}{(l.Revoked is null ? "" : "|r")}", _ => string.Empty, l => l.Revoked is null ? "standing" : "revoked", l => l.At);

    /// <summary>Card decisions: a document per decision (enterprise, quarter, time).</summary>
    public static readonly RecordKind<CardDecision> Decisions = new("decision",
        d => $"{d.Enterprise}|{d.Quarter}|{Stamp(d.At)}|{Digest(d.Decision, d.By, d.Colour)}", _ => string.Empty, d => d.Decision, d => d.At);

    /// <summary>Terminal SM4 keys: a document per key given (MN, time), owned by the outlet.</summary>
    public static readonly RecordKind<TerminalKey> Keys = new("key", k => $"{k.Mn}|{Stamp(k.CreatedAt)}|{Digest(k.Key)}", k => k.Mn, k => k.Source, k => k.CreatedAt);

    /// <summary>Terminal hardware identities: a document per report kept (MN, time), owned by the outlet.</summary>
    public static readonly RecordKind<TerminalIdentity> Identities = new("identity", i => $"{i.Mn}|{Stamp(i.ReportedAt)}|{Digest(i.LoggerId, i.CpuId, i.Macs)}", i => i.Mn, _ => "reported", i => i.ReportedAt);

    /// <summary>Publications: by id, their snapshot JSON the document's; quarter, city, version and author beside it.</summary>
    public static readonly RecordKind<PublicationRecord> Publications = new("publication",
        p => new DocumentRecord("publication", p.Id, string.Empty, "published", p.PublishedAt, JsonSerializer.Serialize(new StoredPublication(p.Quarter, p.City, p.Version, p.By, p.Json), Json)),
        d => JsonSerializer.Deserialize<StoredPublication>(d.Json, Json) is { } p
            ? new PublicationRecord(d.Id, p.Quarter, p.City, p.Version, d.At, p.By, p.Json)
            : throw new InvalidDataException($"an empty publication {d.Id}"));

    /// <summary>Notifications: by id, owned by the contact, their message JSON the document's.</summary>
    public static readonly RecordKind<NotificationRecord> Notifications = new("notification",
        n => new DocumentRecord("notification", n.Id, n.Contact, n.State, n.CreatedAt, n.Json), d => new NotificationRecord(d.Id, d.Mn, d.State, d.At, d.Json));

    /// <summary>Host→terminal commands: by id, owned by the outlet, their JSON the document's.</summary>
    public static readonly RecordKind<CommandRecord> TerminalCommands = new("command",
        c => new DocumentRecord("command", c.Id, c.Mn, c.State, c.RequestedAt, c.Json), d => new CommandRecord(d.Id, d.Mn, d.State, d.At, d.Json));

    /// <summary>Records an operator mark, or a later version of one (its decision, evidence, revocation).</summary>
    public static Task AddMarkAsync(this IRecordStore store, Mark mark, CancellationToken cancellationToken) => store.SaveAsync(Marks, mark, cancellationToken);

    /// <summary>The marks (the newest version of each) overlapping [from, to), optionally of one outlet.</summary>
    public static async Task<IReadOnlyList<Mark>> QueryMarksAsync(this IRecordStore store, DateTime from, DateTime to, string? mn, CancellationToken cancellationToken) =>
        Mark.Latest((await store.QueryAsync(Marks, mn, cancellationToken)).Where(m => m.To > from && m.From < to));

    /// <summary>Records the lifting of a card, or its revocation (never deleted).</summary>
    public static Task AddCardLiftAsync(this IRecordStore store, CardLift lift, CancellationToken cancellationToken) => store.SaveAsync(Lifts, lift, cancellationToken);

    /// <summary>Every card lift (a revoked one as revoked), oldest first.</summary>
    public static async Task<IReadOnlyList<CardLift>> QueryCardLiftsAsync(this IRecordStore store, CancellationToken cancellationToken) =>
        CardLift.Latest(await store.QueryAsync(Lifts, null, cancellationToken));

    /// <summary>Records an operator's decision on a card (never deleted).</summary>
    public static Task AddCardDecisionAsync(this IRecordStore store, CardDecision decision, CancellationToken cancellationToken) =>
        store.SaveAsync(Decisions, decision, cancellationToken);

    /// <summary>Every card decision, oldest first.</summary>
    public static async Task<IReadOnlyList<CardDecision>> QueryCardDecisionsAsync(this IRecordStore store, CancellationToken cancellationToken) =>
        Oldest(await store.QueryAsync(Decisions, null, cancellationToken));

    /// <summary>Records a terminal's SM4 key (never deleted; the newest of an MN is its current key).</summary>
    public static Task AddTerminalKeyAsync(this IRecordStore store, TerminalKey key, CancellationToken cancellationToken) => store.SaveAsync(Keys, key, cancellationToken);

    /// <summary>Every terminal key, oldest first.</summary>
    public static async Task<IReadOnlyList<TerminalKey>> QueryTerminalKeysAsync(this IRecordStore store, CancellationToken cancellationToken) =>
        Oldest(await store.QueryAsync(Keys, null, cancellationToken));

    /// <summary>Records a terminal's hardware identity (CN 1001) when first seen or changed; never deleted.</summary>
    public static Task AddTerminalIdentityAsync(this IRecordStore store, TerminalIdentity identity, CancellationToken cancellationToken) =>
        store.SaveAsync(Identities, identity, cancellationToken);

    /// <summary>Every hardware identity, oldest first.</summary>
    public static async Task<IReadOnlyList<TerminalIdentity>> QueryTerminalIdentitiesAsync(this IRecordStore store, CancellationToken cancellationToken) =>
        Oldest(await store.QueryAsync(Identities, null, cancellationToken));

    /// <summary>Records a publication (never changed, never deleted).</summary>
    public static Task AddPublicationAsync(this IRecordStore store, PublicationRecord publication, CancellationToken cancellationToken) =>
        store.SaveAsync(Publications, publication, cancellationToken);

    /// <summary>Every publication, oldest first.</summary>
    public static async Task<IReadOnlyList<PublicationRecord>> QueryPublicationsAsync(this IRecordStore store, CancellationToken cancellationToken) =>
        Oldest(await store.QueryAsync(Publications, null, cancellationToken));

    /// <summary>Stores a notification message's current state (insert or replace by id).</summary>
    public static Task SaveNotificationRecordAsync(this IRecordStore store, NotificationRecord notification, CancellationToken cancellationToken) =>
        store.SaveAsync(Notifications, notification, cancellationToken);

    /// <summary>Notification messages, newest first: a page of all or, with <paramref name="openOnly"/>, of those not sent yet.</summary>
    public static Task<IReadOnlyList<NotificationRecord>> QueryNotificationRecordsAsync(this IRecordStore store, bool openOnly, int limit, int offset, CancellationToken cancellationToken) =>
        store.FindAsync(Notifications, new DocumentQuery(Notifications.Name) { ExceptState = openOnly ? "sent" : null, Limit = limit, Offset = offset }, cancellationToken);

    /// <summary>Stores a command's current state (insert or replace by id).</summary>
    public static Task SaveCommandRecordAsync(this IRecordStore store, CommandRecord command, CancellationToken cancellationToken) =>
        store.SaveAsync(TerminalCommands, command, cancellationToken);

    /// <summary>Commands, newest requested first, optionally of one MN: a page of <paramref name="limit"/> from <paramref name="offset"/>.</summary>
    public static Task<IReadOnlyList<CommandRecord>> QueryCommandRecordsAsync(this IRecordStore store, string? mn, int limit, int offset, CancellationToken cancellationToken) =>
        store.FindAsync(TerminalCommands, new DocumentQuery(TerminalCommands.Name) { Mn = mn, Limit = limit, Offset = offset }, cancellationToken);

    /// <summary>One command by id, or null.</summary>
    public static async Task<CommandRecord?> GetCommandRecordAsync(this IRecordStore store, string id, CancellationToken cancellationToken) =>
        await store.FindAsync(TerminalCommands, new DocumentQuery(TerminalCommands.Name) { Id = id, Limit = 1 }, cancellationToken) is [var found] ? found : null;

    /// <summary>
    /// A short digest of what tells two records of the same owner and instant apart (two keys given
    /// within one clock tick are two keys), so neither replaces the other; never the content itself.
    /// </summary>
    private static string Digest(params string?[] parts) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\u001f', parts))))[..12];

    /// <summary>A time as it is written into ids: UTC, to the tick.</summary>
    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Records read newest first, put oldest first (the order the readers of these kinds expect).</summary>
    private static List<T> Oldest<T>(IReadOnlyList<T> newestFirst)
    {
        var list = new List<T>(newestFirst.Count);
        for (int i = newestFirst.Count - 1; i >= 0; i--)
        {
            list.Add(newestFirst[i]);
        }

        return list;
    }

    /// <summary>A mark as stored: its fields, without those it does not have (an empty evidence list reads back as the mark's own empty list).</summary>
    private sealed record StoredMark(string Mn, string Kind, DateTime From, DateTime To, string? Comment)
    {
        public string? Id { get; init; }

        public string? By { get; init; }

        public DateTimeOffset? CreatedAt { get; init; }

        public Revocation? Revoked { get; init; }

        public string? Decision { get; init; }

        public string? DecidedBy { get; init; }

        public DateTimeOffset? DecidedAt { get; init; }

        public string? DecisionComment { get; init; }

        public string? Enterprise { get; init; }

        public IReadOnlyList<EvidenceFile>? Evidence { get; init; }

        public int Rev { get; init; }

        public static StoredMark Of(Mark m) => new(m.Mn, m.Kind, m.From, m.To, m.Comment)
        {
            Id = m.Id, By = m.By, CreatedAt = m.CreatedAt, Revoked = m.Revoked, Decision = m.Decision, DecidedBy = m.DecidedBy, DecidedAt = m.DecidedAt,
            DecisionComment = m.DecisionComment, Enterprise = m.Enterprise, Evidence = m.Evidence.Count == 0 ? null : m.Evidence, Rev = m.Rev,
        };

        public Mark ToMark() => new(Mn, Kind, From, To, Comment)
        {
            Id = Id, By = By, CreatedAt = CreatedAt, Revoked = Revoked, Decision = Decision, DecidedBy = DecidedBy, DecidedAt = DecidedAt,
            DecisionComment = DecisionComment, Enterprise = Enterprise, Evidence = Evidence ?? [], Rev = Rev,
        };
    }

    /// <summary>What a publication keeps beside its time and id.</summary>
    private sealed record StoredPublication(string Quarter, string? City, int Version, string By, string Json);
}
