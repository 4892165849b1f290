using EmissionMonitor.Intake;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Journaling;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmissionMonitor.Tests.Storage;

/// <summary>The group commit on its own, over an in-memory committer: batches, acknowledgements only after the commit, failures, isolated subscribers.</summary>
public sealed class JournalTests
{
    private static IntakeResult Frame(int i)
    {
        var registry = Some.Registry();
        var packet = Some.Hourly(at: new DateTime(2025, 7, 1, 0, 0, 0).AddHours(i)).Value("a21026", "ZsAvg", 10m).Value("a21026", "Flag", "N").Build();
        return new IntakeProcessor(() => registry, new IntakeOptions { MaxAge = TimeSpan.FromDays(3650) }, TimeZoneInfo.Utc, TimeProvider.System).Process(Some.Received(packet));
    }

    [Fact]
    public async Task SubmittedFrames_AreCommittedInBatches_AndEachIsAnsweredWithItsOutcome()
    {
        var committer = new MemoryCommitter();
        await using var journal = new Journal(committer, new StorageOptions { CommitBatch = 10 }, new Observer(), NullLogger<Journal>.Instance);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 35).Select(i => journal.SubmitAsync(Frame(i))));
        Assert.Equal(35, committer.Batches.Sum(b => b.Count));
        Assert.All(committer.Batches, b => Assert.InRange(b.Count, 1, 10));
        Assert.Equal(Enumerable.Range(1, 35).Select(i => (long)i).Order(), outcomes.Select(o => o.FrameId).Order());
    }

    [Fact]
    public async Task AFailedCommit_FailsItsFrames_NothingAcknowledged_AndTheNextBatchIsCommitted()
    {
        var committer = new MemoryCommitter { FailNext = 1 };
        var observer = new Observer();
        await using var journal = new Journal(committer, new StorageOptions { CommitBatch = 100 }, observer, NullLogger<Journal>.Instance);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => journal.SubmitAsync(Frame(0)));
        Assert.Equal(1, observer.Failed);
        var outcome = await journal.SubmitAsync(Frame(1));
        Assert.Equal(StoredOutcome.Accepted, outcome.Status);
    }

    [Fact]
    public async Task ASubscriberThatThrowsOnEveryBatch_NeitherStopsCommitsNorTheOtherSubscribers()
    {
        var committer = new MemoryCommitter();
        await using var journal = new Journal(committer, new StorageOptions { CommitBatch = 5 }, new Observer(), NullLogger<Journal>.Instance);
        int seen = 0;
        journal.Committed += (_, _) => throw new InvalidOperationException("broken");
        journal.Committed += (items, _) => Interlocked.Add(ref seen, items.Count);
        for (int round = 0; round < 4; round++)
        {
            await Task.WhenAll(Enumerable.Range(round * 5, 5).Select(i => journal.SubmitAsync(Frame(i))));
        }

        Assert.Equal(20, committer.Batches.Sum(b => b.Count));
        Assert.Equal(20, seen);
        Assert.True(journal.SubscriberFailures >= 4);
    }
}
