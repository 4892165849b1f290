namespace EmissionMonitor.Hj212.Framing;

/// <summary>Limits of the frame scanner.</summary>
public sealed record FramingOptions
{
    /// <summary>The default options.</summary>
    public static FramingOptions Default { get; } = new();

    /// <summary>
    /// The longest run of bytes before a header reported as one <c>no-header</c> error; a longer run
    /// is reported in pieces of this size, so garbage never grows a buffer without bound.
    /// </summary>
    public int MaxGarbageRun { get; init; } = 16 * 1024;

    /// <summary>
    /// The largest data segment accepted (the length field allows 9999; the standard says 1024, and
    /// real devices exceed it). A larger declared length is a <c>length-mismatch</c>.
    /// </summary>
    public int MaxSegmentLength { get; init; } = 9999;
}
