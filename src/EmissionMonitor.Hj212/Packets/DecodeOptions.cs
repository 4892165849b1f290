namespace EmissionMonitor.Hj212.Packets;

/// <summary>Options of <see cref="Hj212Decoder"/>.</summary>
public sealed record DecodeOptions
{
    /// <summary>The defaults: the standard's CRC only.</summary>
    public static DecodeOptions Default { get; } = new();

    /// <summary>
    /// Accept a byte-swapped CRC-16/MODBUS in place of the HJ 212 CRC (some devices send it). Off by
    /// default; enable it per terminal.
    /// </summary>
    public bool AcceptModbusCrc { get; init; }

    /// <summary>
    /// HJ 212-2025: the SM4 keys to try for an encrypted segment, by the MN of its plain header (the
    /// current key first, then any still in their grace period); empty or null means no key, and such a
    /// frame fails as <c>no-key</c>.
    /// </summary>
    public Crypto.Sm4KeyLookup? Keys { get; init; }
}
