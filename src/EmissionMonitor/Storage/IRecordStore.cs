namespace EmissionMonitor.Storage;

/// <summary>
/// The operator-records half of the store contract: marks, card lifts (each with its revocations,
/// never deleted) and alert states. Every backend implements it beside <see cref="IReadingStore"/>
/// (<see cref="IStore"/>), so every instance of a scale-out sees the same records.
/// </summary>
public interface IRecordStore
{
    /// <summary>Records an operator mark (shutdown, force-majeure, maintenance, calibration).</summary>
    Task AddMarkAsync(Compliance.Marks.Mark mark, CancellationToken cancellationToken);

    /// <summary>Marks overlapping [from, to), optionally of one outlet.</summary>
    Task<IReadOnlyList<Compliance.Marks.Mark>> QueryMarksAsync(DateTime from, DateTime to, string? mn, CancellationToken cancellationToken);

    /// <summary>Records the lifting of a card (never deleted).</summary>
    Task AddCardLiftAsync(Compliance.Cards.CardLift lift, CancellationToken cancellationToken);

    /// <summary>Every card lift recorded.</summary>
    Task<IReadOnlyList<Compliance.Cards.CardLift>> QueryCardLiftsAsync(CancellationToken cancellationToken);

    /// <summary>Records an operator's decision on a card (confirm or dismiss; never deleted).</summary>
    Task AddCardDecisionAsync(Compliance.Cards.CardDecision decision, CancellationToken cancellationToken);

    /// <summary>Every card decision recorded, oldest first.</summary>
    Task<IReadOnlyList<Compliance.Cards.CardDecision>> QueryCardDecisionsAsync(CancellationToken cancellationToken);

    /// <summary>Stores a notification message's current state (insert or replace by id).</summary>
    Task SaveNotificationRecordAsync(NotificationRecord notification, CancellationToken cancellationToken);

    /// <summary>Notification messages, newest first: all (a page) or, with <paramref name="openOnly"/>, every one not sent yet.</summary>
    Task<IReadOnlyList<NotificationRecord>> QueryNotificationRecordsAsync(bool openOnly, int limit, int offset, CancellationToken cancellationToken);

    /// <summary>Stores a document's current state (insert or replace by kind and id).</summary>
    Task SaveDocumentAsync(DocumentRecord document, CancellationToken cancellationToken);

    /// <summary>Every document of a kind, newest first; with <paramref name="mn"/>, only that outlet's (read by key, not by scanning the kind).</summary>
    Task<IReadOnlyList<DocumentRecord>> QueryDocumentsAsync(string kind, string? mn, CancellationToken cancellationToken);

    /// <summary>Records a publication (never changed, never deleted).</summary>
    Task AddPublicationAsync(PublicationRecord publication, CancellationToken cancellationToken);

    /// <summary>Every publication, oldest first.</summary>
    Task<IReadOnlyList<PublicationRecord>> QueryPublicationsAsync(CancellationToken cancellationToken);

    /// <summary>Stores an alert's current state (insert or replace by id).</summary>
    Task SaveAlertRecordAsync(AlertRecord alert, CancellationToken cancellationToken);

    /// <summary>Every stored alert.</summary>
    Task<IReadOnlyList<AlertRecord>> QueryAlertRecordsAsync(CancellationToken cancellationToken);

    /// <summary>The alerts raised from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), oldest raised first.</summary>
    Task<IReadOnlyList<AlertRecord>> QueryAlertRecordsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Removes the alerts cleared before <paramref name="clearedBefore"/> (Retention:Alerts); returns how many.</summary>
    Task<long> PruneAlertRecordsAsync(DateTimeOffset clearedBefore, CancellationToken cancellationToken);

    /// <summary>Records a terminal's SM4 key (never deleted; the newest of an MN is its current key).</summary>
    Task AddTerminalKeyAsync(TerminalKey key, CancellationToken cancellationToken);

    /// <summary>Every terminal key recorded, oldest first.</summary>
    Task<IReadOnlyList<TerminalKey>> QueryTerminalKeysAsync(CancellationToken cancellationToken);

    /// <summary>Records a terminal's hardware identity (CN 1001), when first seen or changed; never deleted.</summary>
    Task AddTerminalIdentityAsync(TerminalIdentity identity, CancellationToken cancellationToken);

    /// <summary>Every hardware identity recorded, oldest first.</summary>
    Task<IReadOnlyList<TerminalIdentity>> QueryTerminalIdentitiesAsync(CancellationToken cancellationToken);

    /// <summary>Stores a host→terminal command's current state (insert or replace by id).</summary>
    Task SaveCommandRecordAsync(CommandRecord command, CancellationToken cancellationToken);

    /// <summary>Commands, newest requested first, optionally of one MN: a page of <paramref name="limit"/> from <paramref name="offset"/>.</summary>
    Task<IReadOnlyList<CommandRecord>> QueryCommandRecordsAsync(string? mn, int limit, int offset, CancellationToken cancellationToken);

    /// <summary>One command by id, or null.</summary>
    Task<CommandRecord?> GetCommandRecordAsync(string id, CancellationToken cancellationToken);
}

/// <summary>Operator and terminal records waiting in the InfluxDB backend's local buffer.</summary>
public sealed record PendingRecords(
    IReadOnlyList<Compliance.Marks.Mark> Marks,
    IReadOnlyList<Compliance.Cards.CardLift> Lifts,
    IReadOnlyList<AlertRecord> Alerts,
    IReadOnlyList<TerminalKey> Keys,
    IReadOnlyList<TerminalIdentity> Identities,
    IReadOnlyList<CommandRecord> Commands,
    IReadOnlyList<Compliance.Cards.CardDecision> Decisions,
    IReadOnlyList<PublicationRecord> Publications,
    IReadOnlyList<NotificationRecord> Notifications,
    IReadOnlyList<DocumentRecord> Documents);

/// <summary>A backend: readings and frames, operator records and the summaries.</summary>
public interface IStore : IReadingStore, IRecordStore, IFactStore;
