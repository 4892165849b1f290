using EmissionMonitor.Hj212.Framing;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Hj212.Replies;
using EmissionMonitor.Intake;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Journaling;

namespace EmissionMonitor.Ingestion;

/// <summary>
/// The one entry point every transport calls for a frame: intake, then the journal's group commit;
/// only after the commit is the reply the frame asks for (9014/9013) produced, as a packet and as
/// the bytes to send. Rejected frames get no reply; committed duplicates do. A failed commit throws
/// <see cref="StoreUnavailableException"/>: no acknowledgement. The intake step runs before the
/// returned task first waits, so a transport that does not await at once (the TCP gateway's
/// pipeline) still takes its frames in order.
/// </summary>
public sealed class FrameIngestor(IntakeProcessor intake, Journal journal, SplitPacketTracker splits)
{
    /// <summary>The intake limits in force (frame sizes, garbage kept).</summary>
    public IntakeOptions Limits => intake.Options;

    /// <summary>The framing limits for stream transports.</summary>
    public FramingOptions Framing => intake.Framing;

    /// <summary>A whole frame (an MQTT payload).</summary>
    public Task<IngestOutcome> IngestAsync(ReceivedFrame frame, CancellationToken cancellationToken) =>
        CommitAsync(intake.Process(frame), cancellationToken);

    /// <summary>A chunk a framer cut from a stream: a frame, or an error run with its reason.</summary>
    public Task<IngestOutcome> IngestAsync(ReceivedFrame frame, in ScanResult scan, CancellationToken cancellationToken) =>
        CommitAsync(intake.Process(frame, scan), cancellationToken);

    /// <summary>A payload of <paramref name="length"/> bytes past the frame limit, of which <paramref name="head"/> was kept.</summary>
    public Task<IngestOutcome> IngestTooLargeAsync(ReceivedFrame head, long length, CancellationToken cancellationToken) =>
        CommitAsync(intake.TooLarge(head, length), cancellationToken);

    /// <summary>A rejection made by the transport itself (a run of garbage taken together).</summary>
    public Task<IngestOutcome> IngestAsync(IntakeResult rejected, CancellationToken cancellationToken) => CommitAsync(rejected, cancellationToken);

    private async Task<IngestOutcome> CommitAsync(IntakeResult result, CancellationToken cancellationToken)
    {
        var stored = await journal.SubmitAsync(result, cancellationToken);
        if (result.IsAccepted && result.Packet is { IsSplit: true } packet)
        {
            splits.Record(packet);
        }

        Hj212Packet? reply = result.IsAccepted && result.Packet is not null ? Hj212Replies.ReplyFor(result.Packet) : null;
        return new IngestOutcome(result, stored, reply, reply is null ? null : Hj212Encoder.Encode(reply));
    }
}

/// <summary>What ingesting one frame did, and the reply due (packet and bytes), if any.</summary>
public sealed record IngestOutcome(IntakeResult Result, StoredOutcome Stored, Hj212Packet? Reply, byte[]? ReplyBytes);
