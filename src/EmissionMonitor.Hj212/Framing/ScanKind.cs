namespace EmissionMonitor.Hj212.Framing;

/// <summary>What the scanner found at the start of its input.</summary>
public enum ScanKind
{
    /// <summary>Not enough bytes yet to decide; read more and scan again.</summary>
    NeedMore,

    /// <summary>Bytes to drop silently (line ends or blanks between frames).</summary>
    Skip,

    /// <summary>A frame whose header, length and line end are in place (CRC not yet checked).</summary>
    Frame,

    /// <summary>Bytes that are not a frame; <see cref="ScanResult.Error"/> says why.</summary>
    Error,
}
