using EmissionMonitor.Ingestion;
using EmissionMonitor.Intake;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Journaling;
using EmissionMonitor.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmissionMonitor.Tests.Ingestion;

/// <summary>The one entry point of every transport, over an in-memory committer: the reply only after the commit, none for a rejection.</summary>
public sealed class FrameIngestorTests
{
    private static (FrameIngestor Ingestor, Journal Journal) Make(MemoryCommitter committer)
    {
        var registry = Some.Registry();
        var intake = new IntakeProcessor(() => registry, new IntakeOptions { MaxAge = TimeSpan.FromDays(3650) }, TimeZoneInfo.Utc, TimeProvider.System);
        var journal = new Journal(committer, new StorageOptions { CommitBatch = 10 }, new Observer(), NullLogger<Journal>.Instance);
        var splits = new SplitPacketTracker(TimeSpan.FromMinutes(5), TimeProvider.System, NullLogger<SplitPacketTracker>.Instance);
        return (new FrameIngestor(intake, journal, splits), journal);
    }

    private static ReceivedFrame Hourly(string pw = "123456", int flag = 5) =>
        Some.Received(Some.Hourly(pw: pw, flag: flag).Value("a21026", "ZsAvg", 10m).Value("a21026", "Flag", "N").Build());

    [Fact]
    public async Task AnAcceptedFrame_IsCommitted_ThenAnsweredWithItsReply()
    {
        var committer = new MemoryCommitter();
        var (ingestor, journal) = Make(committer);
        await using var _ = journal;
        var outcome = await ingestor.IngestAsync(Hourly(), CancellationToken.None);
        Assert.True(outcome.Result.IsAccepted);
        Assert.Single(committer.Batches);
        Assert.Equal("9014", outcome.Reply!.Cn); // Flag=5: version 2017 (4) and a reply asked for (1)
        Assert.NotNull(outcome.ReplyBytes);
        Assert.Null((await ingestor.IngestAsync(Hourly(flag: 4), CancellationToken.None)).Reply); // none asked for, none sent
    }

    [Fact]
    public async Task ARejectedFrame_IsStoredWithItsReason_AndGetsNoReply()
    {
        var committer = new MemoryCommitter();
        var (ingestor, journal) = Make(committer);
        await using var _ = journal;
        var outcome = await ingestor.IngestAsync(Hourly(pw: "wrong"), CancellationToken.None);
        Assert.False(outcome.Result.IsAccepted);
        Assert.Single(committer.Batches); // archived with its rejection reason
        Assert.Null(outcome.Reply);
    }

    [Fact]
    public async Task AFailedCommit_Throws_SoNothingIsAcknowledged()
    {
        var committer = new MemoryCommitter { FailNext = 1 };
        var (ingestor, journal) = Make(committer);
        await using var _ = journal;
        await Assert.ThrowsAsync<StoreUnavailableException>(() => ingestor.IngestAsync(Hourly(), CancellationToken.None));
    }
}
