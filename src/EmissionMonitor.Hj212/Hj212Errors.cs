namespace EmissionMonitor.Hj212;

/// <summary>
/// Error codes of framing and decoding, in their order of precedence (DESIGN.md, decode output).
/// </summary>
public static class Hj212Errors
{
    /// <summary>Bytes before a <c>##</c> header; each run is reported once.</summary>
    public const string NoHeader = "no-header";

    /// <summary>The four length characters are not digits.</summary>
    public const string BadLength = "bad-length";

    /// <summary>The input ends before the frame does.</summary>
    public const string Truncated = "truncated";

    /// <summary>
    /// HJ 212-2025: the data segment is SM4-encrypted (its CP begins <c>{0x</c>) and no key is known
    /// for its MN; checked before any length or CRC check of such a frame.
    /// </summary>
    public const string NoKey = "no-key";

    /// <summary>HJ 212-2025: the cipher text is malformed (braces, <c>0xHH</c> items, whole 16-byte blocks).</summary>
    public const string BadCipher = "bad-cipher";

    /// <summary>The CRC and line end are not where the length field says.</summary>
    public const string LengthMismatch = "length-mismatch";

    /// <summary>The CRC does not match the data segment.</summary>
    public const string CrcMismatch = "crc-mismatch";

    /// <summary>The CRC is right but the header or the CP data area is unusable.</summary>
    public const string BadField = "bad-field";

    /// <summary>All codes in order of precedence.</summary>
    public static IReadOnlyList<string> All { get; } = [NoHeader, BadLength, Truncated, NoKey, BadCipher, LengthMismatch, CrcMismatch, BadField];
}
