namespace EmissionMonitor.Hj212.Framing;

/// <summary>
/// One step of <see cref="FrameScanner"/>: <see cref="Consumed"/> bytes from the start of the input
/// are a frame, an error run or bytes to skip. For a frame, the segment and CRC positions are given.
/// An encrypted frame (HJ 212-2025, a CP beginning <c>{0x</c>) is cut by its structure, not by its
/// length field: <see cref="Encrypted"/> is set, <see cref="SegmentLength"/> is the sent segment's,
/// and the length is checked after decryption.
/// </summary>
public readonly record struct ScanResult(
    ScanKind Kind,
    int Consumed,
    string? Error = null,
    string? Detail = null,
    int SegmentLength = 0,
    bool LengthCountsCharacters = false,
    bool Encrypted = false)
{
    internal static ScanResult NeedMore => new(ScanKind.NeedMore, 0);

    internal static ScanResult Fail(int consumed, string error, string detail) => new(ScanKind.Error, consumed, error, detail);
}
