using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Intake;

/// <summary>What a frame is once accepted: data readings, equipment state, or another event.</summary>
public enum FrameKind
{
    Reading,
    State,
    Event,
    Rejected,
}

/// <summary>
/// The outcome of intake for one frame: either readings (possibly none, for events) from an
/// authenticated, valid frame, or a rejection reason with a detail. Every result is archived.
/// </summary>
public sealed record IntakeResult(
    ReceivedFrame Frame,
    FrameKind Kind,
    Hj212Packet? Packet,
    Outlet? Outlet,
    IReadOnlyList<Reading> Readings,
    string? Rejection,
    string? Detail)
{
    public bool IsAccepted => Rejection is null;

    /// <summary>
    /// True when the frame's data is about the time it arrived — sent live: not back-filled (RF=1) and
    /// its DataTime, if it has one, within <paramref name="window"/> of its arrival. Only such data
    /// raises live alerts and tells the terminal's clock.
    /// </summary>
    public bool IsAboutArrival(TimeZoneInfo zone, TimeSpan window) =>
        Packet is not { IsBackfill: true }
        && (Packet?.DataTime is not { } local || (Frame.ReceivedAt - new DateTimeOffset(local, zone.GetUtcOffset(local))).Duration() <= window);

    public static IntakeResult Reject(ReceivedFrame frame, string reason, string detail, Hj212Packet? packet = null) =>
        new(frame, FrameKind.Rejected, packet, null, [], reason, detail);
}
