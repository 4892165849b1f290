using EmissionMonitor.Intake;

namespace EmissionMonitor.Storage;

/// <summary>
/// The data half of the store contract: commit a batch of intake results atomically (readings unique
/// per MN, CN, period and pollutant, first wins; every frame archived with its status), then query
/// what was stored. Every backend implements it and the conformance tests check it.
/// </summary>
public interface IReadingStore : IBatchCommitter, IAsyncDisposable
{
    /// <summary>Creates what the store needs (schema, folders). Idempotent.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Readings of a CN in [from, to) (local periods), optionally of one outlet and pollutant.</summary>
    Task<IReadOnlyList<Reading>> QueryReadingsAsync(ReadingQuery query, CancellationToken cancellationToken);

    /// <summary>How many readings <see cref="QueryReadingsAsync"/> would give, without holding them (see <see cref="ReadingWindows"/>).</summary>
    Task<long> CountReadingsAsync(ReadingQuery query, CancellationToken cancellationToken);

    /// <summary>Archived frames, newest last, optionally filtered.</summary>
    Task<IReadOnlyList<ArchivedFrame>> QueryFramesAsync(FrameQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Removes what <paramref name="options"/> no longer keeps at <paramref name="now"/> (the running
    /// service's background pruning), a chunk per transaction; <paramref name="mns"/> are the outlets
    /// whose readings are pruned.
    /// </summary>
    Task<PruneResult> PruneAsync(RetentionOptions options, DateTimeOffset now, TimeZoneInfo zone, IReadOnlyCollection<string> mns, CancellationToken cancellationToken);

    /// <summary>Counts of readings and of archived frames by status and reason.</summary>
    Task<StoreCounts> CountAsync(CancellationToken cancellationToken);
}

/// <summary>What a commit did with one frame: its archive id and status (accepted, rejected, duplicate, duplicate-conflict).</summary>
public sealed record StoredOutcome(long FrameId, string Status, string? Reason, int NewReadings)
{
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
}

/// <summary>A readings query; null filters match everything.</summary>
public sealed record ReadingQuery(string Cn, DateTime From, DateTime To, string? Mn = null, string? Pollutant = null);

/// <summary>An archive query.</summary>
public sealed record FrameQuery(string? Mn = null, string? Status = null, int Limit = 1000);

/// <summary>A frame from the raw archive.</summary>
public sealed record ArchivedFrame(long Id, DateTimeOffset ReceivedAt, string Transport, string? Peer, string? Mn, string? Cn, string? DataTime, string Status, string? Reason, string? Detail, byte[] Raw);

/// <summary>Totals in the store.</summary>
public sealed record StoreCounts(long Readings, long Frames, IReadOnlyDictionary<string, long> FramesByStatus, IReadOnlyDictionary<string, long> FramesByReason);

/// <summary>What the journal needs of a store: one batch committed atomically, an outcome per item in order.</summary>
public interface IBatchCommitter
{
    /// <summary>Durably stores a batch; returns one outcome per item, in order. Throws when nothing was stored.</summary>
    Task<IReadOnlyList<StoredOutcome>> CommitAsync(IReadOnlyList<IntakeResult> batch, CancellationToken cancellationToken);
}
