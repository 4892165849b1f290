using EmissionMonitor.Hj212;
using EmissionMonitor.Hj212.Replies;
using EmissionMonitor.Intake;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Ingestion;

/// <summary>
/// The path every live frame takes: intake, then the journal's group commit; only after the commit
/// is the reply the frame asks for (9014/9013) produced. Rejected frames get no reply; committed
/// duplicates do. A failed commit throws <see cref="StoreUnavailableException"/>: no acknowledgement.
/// </summary>
public sealed class FrameIngestor(IntakeProcessor intake, Journal journal, SplitPacketTracker splits)
{
    /// <summary>Takes in one frame and returns the intake result, the stored outcome and the reply due (or null).</summary>
    public async Task<IngestOutcome> IngestAsync(ReceivedFrame frame, CancellationToken cancellationToken)
    {
        var result = intake.Process(frame);
        return await CommitAsync(result, cancellationToken);
    }

    /// <summary>Commits an intake result made elsewhere (the gateway decodes while framing).</summary>
    public async Task<IngestOutcome> CommitAsync(IntakeResult result, CancellationToken cancellationToken)
    {
        var stored = await journal.SubmitAsync(result, cancellationToken);
        if (result.IsAccepted && result.Packet is { IsSplit: true } packet)
        {
            splits.Record(packet);
        }

        Hj212Packet? reply = result.IsAccepted && result.Packet is not null ? Hj212Replies.ReplyFor(result.Packet) : null;
        return new IngestOutcome(result, stored, reply);
    }

    /// <summary>The intake step alone.</summary>
    public IntakeProcessor Intake => intake;
}

/// <summary>What ingesting one frame did.</summary>
public sealed record IngestOutcome(IntakeResult Result, StoredOutcome Stored, Hj212Packet? Reply);
