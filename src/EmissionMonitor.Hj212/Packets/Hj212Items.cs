using EmissionMonitor.Hj212.Codes;

namespace EmissionMonitor.Hj212.Packets;

/// <summary>
/// The one normaliser of CP items, over the tokens' bytes: the 2017 code of a code as sent (2005
/// codes translated), the standard's spelling of a suffix, and a value's number. The packet API
/// (<see cref="Hj212Packet.Values"/>) and the service's intake both read items through it.
/// </summary>
public static class Hj212Items
{
    /// <summary>The 2017 code of <paramref name="sentCode"/> in a frame of <paramref name="version"/> (Latin-1 text when the frame is).</summary>
    public static string Code(ReadOnlySpan<byte> sentCode, Hj212Version version, bool latin1) => CodeCatalogue.Normalise(sentCode, version, latin1);

    /// <summary>The standard's spelling of <paramref name="sentSuffix"/>; unknown suffixes as sent.</summary>
    public static string Suffix(ReadOnlySpan<byte> sentSuffix, bool latin1) => Suffixes.Normalise(sentSuffix, latin1);

    /// <summary>A value's number (invariant; the same bits as <c>decimal.TryParse</c>), or null when it is not one.</summary>
    public static decimal? Number(ReadOnlySpan<byte> text) => Hj212Number.TryParse(text, out decimal d) ? d : null;
}
