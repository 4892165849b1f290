namespace EmissionMonitor.Hj212.Framing;

/// <summary>A frame or an error run cut from a stream, with its bytes (owned by the chunk).</summary>
public readonly record struct FrameChunk(ScanResult Scan, ReadOnlyMemory<byte> Bytes)
{
    /// <summary>True for a frame (its CRC is checked by the decoder).</summary>
    public bool IsFrame => Scan.Kind == ScanKind.Frame;
}
