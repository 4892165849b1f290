using EmissionMonitor.Hj212;
using EmissionMonitor.Hj212.Decoding;
using EmissionMonitor.Hj212.Framing;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Intake;

/// <summary>
/// Turns a received frame into readings or a rejection: decode → authenticate (MN registered, PW
/// matches, MQTT topic MN agrees) → validate (required fields, DataTime) → normalised readings.
/// Pure apart from the clock: no I/O, no exceptions for bad input.
/// </summary>
public sealed class IntakeProcessor(Func<StationRegistry> registry, IntakeOptions options, TimeZoneInfo timeZone, TimeProvider clock)
{
    private static readonly HashSet<string> ReadingCns = new(["2011", "2051", "2061", "2031"], StringComparer.Ordinal);
    private static readonly HashSet<string> StateCns = new(["2021", "2041"], StringComparer.Ordinal);
    private readonly PhysicalRanges _ranges = new(options.Ranges);

    /// <summary>Decodes and checks one frame.</summary>
    public IntakeResult Process(ReceivedFrame frame)
    {
        var decoded = Hj212Decoder.Decode(frame.Raw.Span);
        if (!decoded.IsOk)
        {
            return IntakeResult.Reject(frame, decoded.Error!, decoded.Detail!);
        }

        return Check(frame, decoded.Packet!);
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

        var decoded = Hj212Decoder.DecodeFrame(frame.Raw.Span, scan);
        return decoded.IsOk ? Check(frame, decoded.Packet!) : IntakeResult.Reject(frame, decoded.Error!, decoded.Detail!);
    }

    /// <summary>Checks a frame already decoded.</summary>
    public IntakeResult Check(ReceivedFrame frame, Hj212Packet packet)
    {
        if (string.IsNullOrEmpty(packet.Mn))
        {
            return IntakeResult.Reject(frame, Reasons.MissingField, "no MN", packet);
        }

        var outlet = registry().FindOutlet(packet.Mn);
        if (outlet is null)
        {
            return IntakeResult.Reject(frame, Reasons.UnknownMn, $"MN {packet.Mn} is not in the registry", packet);
        }

        if (!string.Equals(packet.Pw, outlet.Password, StringComparison.Ordinal))
        {
            return IntakeResult.Reject(frame, Reasons.BadPassword, $"PW does not match the registry for MN {packet.Mn}", packet);
        }

        if (frame.Transport == Transport.Mqtt
            && (!string.Equals(frame.TopicMn, packet.Mn, StringComparison.Ordinal)
                || (frame.UserName is not null && !string.Equals(frame.UserName, frame.TopicMn, StringComparison.Ordinal))))
        {
            return IntakeResult.Reject(frame, Reasons.TopicMismatch,
                $"terminal {frame.UserName ?? "?"} published MN {packet.Mn} to the topic of {frame.TopicMn ?? "?"}", packet);
        }

        if (string.IsNullOrEmpty(packet.Cn))
        {
            return IntakeResult.Reject(frame, Reasons.MissingField, "no CN", packet);
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

    private List<Reading> ToReadings(Hj212Packet packet, Outlet outlet)
    {
        var local = packet.DataTime!.Value;
        var period = packet.Cn switch
        {
            "2061" => new DateTime(local.Year, local.Month, local.Day, local.Hour, 0, 0),
            "2031" => local.Date,
            _ => local,
        };
        var byCode = new Dictionary<string, Reading>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var v in packet.Values)
        {
            if (!byCode.TryGetValue(v.Code, out var r))
            {
                r = new Reading(outlet.Mn, packet.Cn!, period, v.Code);
                order.Add(v.Code);
            }

            byCode[v.Code] = Apply(r, v);
        }

        return order.Select(c => byCode[c]).Where(r => (r.Rtd ?? r.Avg ?? r.Min ?? r.Max ?? r.Cou ?? r.ZsAvg ?? r.ZsRtd) is not null || r.Flag is not null).ToList();
    }

    private Reading Apply(Reading r, Hj212Value v)
    {
        if (v.Suffix == Suffixes.Flag)
        {
            return r with { Flag = v.Text };
        }

        if (v.Number is not { } number)
        {
            return r; // text in a numeric field: not a value; the raw frame keeps it
        }

        double d = (double)number;
        string? invalid = _ranges.Check(v.Code, v.Suffix, d);
        var withValue = v.Suffix switch
        {
            Suffixes.Rtd => r with { Rtd = d },
            Suffixes.Avg => r with { Avg = d },
            Suffixes.Min => r with { Min = d },
            Suffixes.Max => r with { Max = d },
            Suffixes.Cou => r with { Cou = d },
            Suffixes.ZsRtd => r with { ZsRtd = d },
            Suffixes.ZsAvg => r with { ZsAvg = d },
            _ => r,
        };
        return invalid is not null && withValue.Invalid is null && !ReferenceEquals(withValue, r)
            ? withValue with { Invalid = $"{v.Suffix} {invalid}" }
            : withValue;
    }
}
