using EmissionMonitor.Hj212;
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
/// HJ 212-2025: a terminal's CN 1014 new-key request, encrypted with its current key, is answered, after the commit, with CN 1014
/// carrying <c>SKCreateTime</c> and <c>NewSK</c> — the one reply sent encrypted, with the key the
/// terminal has now (the new key is recorded first; the old one keeps its grace period).
public sealed partial class FrameIngestor(IntakeProcessor intake, Journal journal, SplitPacketTracker splits,
    Security.KeyRing? keys = null, Security.SecurityOptions? security = null, TimeZoneInfo? zone = null, ILogger<FrameIngestor>? logger = null,
    ITimeCalibration? calibrations = null)
{
    /// <summary>The CN of a terminal's time-calibration request (a notification, answered 9013 and then with a 1012).</summary>
    public const string TimeCalibrationCn = "1013";

    /// <summary>The CN of a terminal's new-key request and of the host's answer.</summary>
    public const string NewKeyCn = "1014";

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

        if (result.IsAccepted && result.Packet is { Cn: NewKeyCn } request && keys is not null && security is { AnswerKeyRequests: true }
            && await AnswerKeyRequestAsync(request, cancellationToken) is { } answer)
        {
            return new IngestOutcome(result, stored, answer.Packet, answer.Bytes);
        }

        Hj212Packet? reply = result.IsAccepted && result.Packet is not null ? Hj212Replies.ReplyFor(result.Packet) : null;
        byte[]? followUp = null;
        if (result.IsAccepted && result.Frame.IsLive && result.Packet is { Cn: TimeCalibrationCn } calibration && result.Outlet is { } outlet && calibrations is not null
            && calibrations.Answer(outlet, calibration, result.Frame.Transport) is { } setTime)
        {
            followUp = Hj212Encoder.Encode(setTime); // HJ 212: 9013 to the notification, then the host's clock
        }

        return new IngestOutcome(result, stored, reply, reply is null ? null : Hj212Encoder.Encode(reply), followUp);
    }

    /// <summary>
    /// A fresh random key for the terminal, recorded, then sent as CN 1014 encrypted with its current
    /// key; null (the ordinary reply follows) when the terminal has no key to encrypt the answer with —
    /// a new key is never sent in plain text.
    /// </summary>
    private async Task<(Hj212Packet Packet, byte[] Bytes)?> AnswerKeyRequestAsync(Hj212Packet request, CancellationToken cancellationToken)
    {
        string mn = request.Mn!;
        if (!request.WasEncrypted || request.DecryptedWith is null)
        {
            if (logger is not null)
            {
                LogPlainKeyRequest(logger, mn);
            }

            return null;
        }

        if (await keys!.RotateAsync(mn, request.DecryptedWith, cancellationToken) is not { } rotation)
        {
            if (logger is not null)
            {
                LogNoKeyToAnswer(logger, mn);
            }

            return null;
        }

        var local = TimeZoneInfo.ConvertTime(rotation.CreatedAt, zone ?? TimeZoneInfo.Local).DateTime;
        var answer = new Hj212.Encoders.Hj212Builder
        {
            Qn = request.Qn,
            St = request.St,
            Cn = NewKeyCn,
            Pw = request.Pw,
            Mn = mn,
            Flag = request.Version.Flag(),
        }.Param("SKCreateTime", Hj212.Hj212Time.FormatQn(local)).Param("NewSK", rotation.NewKey.Reveal()).Build();
        return (answer, Hj212.Crypto.Hj212Cipher.Encrypt(Hj212Encoder.Encode(answer), rotation.EncryptWith));
    }

    [LoggerMessage(EventId = 7013, Level = LogLevel.Warning, Message = "CN 1014 new-key request from {Mn} in plain text: a key is rotated only on a request encrypted with the outlet's current key; answered as an ordinary upload")]
    private static partial void LogPlainKeyRequest(ILogger logger, string mn);

    [LoggerMessage(EventId = 7010, Level = LogLevel.Warning, Message = "CN 1014 new-key request from {Mn} not encrypted with its current key (or it has none): nothing rotated, a new key is never sent in plain text; answered as an ordinary upload")]
    private static partial void LogNoKeyToAnswer(ILogger logger, string mn);
}

/// <summary>
/// What ingesting one frame did, and the reply due (packet and bytes), if any; then a frame to send
/// right after the reply (the 1012 answering a terminal's 1013 time-calibration request).
/// </summary>
public sealed record IngestOutcome(IntakeResult Result, StoredOutcome Stored, Hj212Packet? Reply, byte[]? ReplyBytes, byte[]? FollowUpBytes = null);
