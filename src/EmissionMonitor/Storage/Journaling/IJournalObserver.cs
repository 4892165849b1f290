using EmissionMonitor.Intake;

namespace EmissionMonitor.Storage.Journaling;

/// <summary>What the journal reports about its commits (the metrics implement it; the journal knows nothing of them).</summary>
public interface IJournalObserver
{
    /// <summary>A batch was committed, with its outcomes and how long the commit took.</summary>
    void Committed(IReadOnlyList<IntakeResult> items, IReadOnlyList<StoredOutcome> outcomes, TimeSpan latency);

    /// <summary>A batch of <paramref name="count"/> frames failed to commit.</summary>
    void CommitFailed(int count);

    /// <summary>Garbage frames counted but not archived (low disk).</summary>
    void Unarchived(int count);

    /// <summary>Garbage frames not archived so far.</summary>
    long UnarchivedFrames { get; }
}
