using EmissionMonitor.Intake;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Journaling;

namespace EmissionMonitor.Tests.Storage;

/// <summary>Keeps what it commits; fails the batches it is told to.</summary>
internal sealed class MemoryCommitter : IBatchCommitter
{
    public List<IReadOnlyList<IntakeResult>> Batches { get; } = [];

    public int FailNext { get; set; }

    public Task<IReadOnlyList<StoredOutcome>> CommitAsync(IReadOnlyList<IntakeResult> batch, CancellationToken cancellationToken)
    {
        lock (Batches)
        {
            if (FailNext > 0)
            {
                FailNext--;
                throw new IOException("disk gone");
            }

            Batches.Add(batch.ToList());
            long seq = Batches.Sum(b => b.Count);
            return Task.FromResult<IReadOnlyList<StoredOutcome>>(batch.Select((_, i) => new StoredOutcome(seq - batch.Count + i + 1, StoredOutcome.Accepted, null, 0)).ToList());
        }
    }
}

/// <summary>Counts the journal's failed commits.</summary>
internal sealed class Observer : IJournalObserver
{
    public int Failed;

    public void Committed(IReadOnlyList<IntakeResult> items, IReadOnlyList<StoredOutcome> outcomes, TimeSpan latency)
    {
    }

    public void CommitFailed(int count) => Failed += count;

    public void Unarchived(int count)
    {
    }

    public long UnarchivedFrames => 0;
}
