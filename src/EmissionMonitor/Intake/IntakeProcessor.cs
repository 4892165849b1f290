using EmissionMonitor.Hj212;
using EmissionMonitor.Hj212.Crypto;
using EmissionMonitor.Hj212.Framing;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Intake;

/// <summary>
/// Turns a received frame into readings or a rejection: decode → authenticate (MN registered, PW
/// matches, MQTT topic MN agrees) → validate (required fields, DataTime) → normalised readings.
/// Pure apart from the clock: no I/O, no exceptions for bad input.
/// </summary>
public sealed partial class IntakeProcessor(Func<StationRegistry> registry, IntakeOptions options, TimeZoneInfo timeZone, TimeProvider clock, LoginThrottle? throttle = null,
    Sm4KeyLookup? keys = null)
{
    private static readonly HashSet<string> ReadingCns = new([Cns.RealTime, Cns.Minute, Cns.Hourly, Cns.Daily, Cns.RawData, Cns.FurnaceTemperature], StringComparer.Ordinal);
    private static readonly HashSet<string> StateCns = new([Cns.RunningState, Cns.RunningTime], StringComparer.Ordinal);
    private readonly PhysicalRanges _ranges = new(options.Ranges);
    private DecodeOptions? _decode;

    /// <summary>
    /// How frames are decoded: the SM4 keys of a registered terminal whose encryption is not
    /// <c>off</c> (the store's keys when a key lookup is given, else the registry's).
    /// </summary>
    public DecodeOptions Decoding => _decode ??= new DecodeOptions { Keys = KeysOf };

    private IReadOnlyList<Sm4Key> KeysOf(string mn)
    {
        if (registry().FindOutlet(mn) is not { } outlet)
        {
            return [];
        }

        var found = TerminalKeys(outlet);
        return outlet.EffectiveEncryption(found.Count > 0) == EncryptionMode.Off ? [] : found;
    }

    /// <summary>A terminal's keys: the store's (through the key lookup) when given, else the registry's.</summary>
    private IReadOnlyList<Sm4Key> TerminalKeys(Outlet outlet) =>
        keys is not null ? keys(outlet.Mn) : outlet.Sm4Key is { } key ? [key] : [];

    /// <summary>
    /// The CNs HJ 212-2025 says a terminal must send encrypted (field → host): 2000–2999, 1014, 3020.
    /// Asked of every plain frame, so it allocates nothing.
    /// </summary>
    public static bool MustBeEncrypted(string cn) =>
        cn is "1014" or "3020" || (cn.Length == 4 && cn[0] == '2' && char.IsAsciiDigit(cn[1]) && char.IsAsciiDigit(cn[2]) && char.IsAsciiDigit(cn[3]));

    /// <summary>The intake limits and checks in force.</summary>
    public IntakeOptions Options => options;

    /// <summary>The framing limits that follow from them (the largest segment a frame of <see cref="IntakeOptions.MaxFrameBytes"/> holds).</summary>
    public FramingOptions Framing { get; } = new() { MaxSegmentLength = Math.Min(9999, options.MaxFrameBytes - 12) };

    /// <summary>Decodes and checks one frame.</summary>
    public IntakeResult Process(ReceivedFrame frame)
    {
        if (frame.Raw.Length > options.MaxFrameBytes)
        {
            return TooLarge(frame, frame.Raw.Length);
        }

        var decoded = Hj212Decoder.Decode(frame.Raw, Decoding);
        if (!decoded.IsOk)
        {
            return IntakeResult.Reject(frame, decoded.Error!, decoded.Detail!);
        }

        return Check(frame, decoded.Packet!);
    }

    /// <summary>
    /// A frame of <paramref name="length"/> bytes, more than <see cref="IntakeOptions.MaxFrameBytes"/>:
    /// rejected as <c>too-large</c> and archived as its first <see cref="IntakeOptions.MaxArchivedGarbage"/> bytes.
    /// </summary>
    public IntakeResult TooLarge(ReceivedFrame frame, long length)
    {
        int keep = Math.Min(frame.Raw.Length, options.MaxArchivedGarbage);
        return IntakeResult.Reject(frame with { Raw = frame.Raw[..keep] }, Reasons.TooLarge,
            $"{length} bytes exceed Intake:MaxFrameBytes ({options.MaxFrameBytes}); the first {keep} are kept");
    }

    /// <summary>
    /// A chunk the framer cut from a stream (the TCP gateway, an imported file): a framing error is
    /// rejected with its reason, a frame is decoded and checked.
    /// </summary>
    public IntakeResult Process(ReceivedFrame frame, in ScanResult scan)
    {
        if (scan.Kind != ScanKind.Frame)
        {
            return IntakeResult.Reject(frame, scan.Error!, scan.Detail!);
        }

        var decoded = Hj212Decoder.DecodeFrame(frame.Raw, scan, Decoding);
        return decoded.IsOk ? Check(frame, decoded.Packet!) : IntakeResult.Reject(frame, decoded.Error!, decoded.Detail!);
    }

    /// <summary>Checks a frame already decoded.</summary>
    public IntakeResult Check(ReceivedFrame frame, Hj212Packet packet)
    {
        if (Authenticate(frame, packet, out var outlet) is { } refused)
        {
            return refused;
        }

        if (string.IsNullOrEmpty(packet.Cn))
        {
            return IntakeResult.Reject(frame, Reasons.MissingField, "no CN", packet);
        }

        if (!packet.WasEncrypted && (MustBeEncrypted(packet.Cn) || packet.Cn == Cns.HardwareIdentity)
            && outlet.Encryption == EncryptionMode.Required) // only an explicit registry setting requires it; then the identity report too (its anti-fraud signal must be the terminal's)
        {
            return IntakeResult.Reject(frame, Reasons.NotEncrypted, $"CN={packet.Cn} from MN {packet.Mn} must be SM4-encrypted (its encryption is required)", packet);
        }

        bool isReading = ReadingCns.Contains(packet.Cn);
        bool isState = StateCns.Contains(packet.Cn);
        if (!isReading && !isState)
        {
            return new IntakeResult(frame, FrameKind.Event, packet, outlet, [], null, null);
        }

        if (CheckTime(frame, packet) is { } rejection)
        {
            return rejection;
        }

        var readings = isReading ? ToReadings(packet, outlet) : [];
        return new IntakeResult(frame, isReading ? FrameKind.Reading : FrameKind.State, packet, outlet, readings, null, null);
    }

    /// <summary>
    /// Who sent the frame: its MN an outlet of the registry, published to that outlet's topic (MQTT), its PW the outlet's and
    /// the sender not locked out for failed logins; the rejection, or null with the outlet.
    /// </summary>
    private IntakeResult? Authenticate(ReceivedFrame frame, Hj212Packet packet, out Outlet outlet)
    {
        outlet = null!;
        if (string.IsNullOrEmpty(packet.Mn))
        {
            return IntakeResult.Reject(frame, Reasons.MissingField, "no MN", packet);
        }

        if (registry().FindOutlet(packet.Mn) is not { } found)
        {
            return IntakeResult.Reject(frame, Reasons.UnknownMn, $"MN {packet.Mn} is not in the registry", packet);
        }

        // On MQTT the connection is already authenticated: a frame for another MN is refused before
        // its PW is looked at, so a logged-in terminal cannot guess another outlet's password.
        if (frame.Transport == Transport.Mqtt
            && (!string.Equals(frame.TopicMn, packet.Mn, StringComparison.Ordinal)
                || (frame.UserName is not null && !string.Equals(frame.UserName, frame.TopicMn, StringComparison.Ordinal))))
        {
            return IntakeResult.Reject(frame, Reasons.TopicMismatch,
                $"terminal {frame.UserName ?? "?"} published MN {packet.Mn} to the topic of {frame.TopicMn ?? "?"}", packet);
        }

        var guard = frame.IsLive ? throttle : null;
        if (guard is not null && guard.IsLocked(frame.Peer, packet.Mn))
        {
            return IntakeResult.Reject(frame, Reasons.Throttled,
                $"too many failed logins of MN {packet.Mn} from {LoginThrottle.AddressOf(frame.Peer)}: locked out for up to {options.LoginLockout.TotalSeconds:F0} s", packet);
        }

        if (!string.Equals(packet.Pw, found.Password, StringComparison.Ordinal))
        {
            guard?.Fail(frame.Peer, packet.Mn);
            return IntakeResult.Reject(frame, Reasons.BadPassword, $"PW does not match the registry for MN {packet.Mn}", packet);
        }

        guard?.Succeed(frame.Peer, packet.Mn);
        outlet = found;
        return null;
    }

    private IntakeResult? CheckTime(ReceivedFrame frame, Hj212Packet packet)
    {
        if (packet.DataTimeText is null)
        {
            return IntakeResult.Reject(frame, Reasons.MissingField, $"CN={packet.Cn} needs a DataTime", packet);
        }

        if (packet.DataTime is not { } local)
        {
            return IntakeResult.Reject(frame, Reasons.BadDataTime, $"DataTime '{packet.DataTimeText}' is not a valid 14- or 17-digit time", packet);
        }

        if (!frame.IsLive)
        {
            return null;
        }

        var instant = new DateTimeOffset(local, timeZone.GetUtcOffset(local));
        var now = clock.GetUtcNow();
        if (instant - now > options.MaxFutureSkew)
        {
            return IntakeResult.Reject(frame, Reasons.FutureDataTime, $"DataTime {local:yyyy-MM-dd HH:mm:ss} is {(instant - now).TotalMinutes:F0} min ahead of the clock", packet);
        }

        if (now - instant > options.MaxAge)
        {
            return IntakeResult.Reject(frame, Reasons.TooOld, $"DataTime {local:yyyy-MM-dd HH:mm:ss} is older than {options.MaxAge.TotalDays:F0} days", packet);
        }

        return null;
    }

}
