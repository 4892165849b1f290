namespace EmissionMonitor.Hj212;

/// <summary>The protocol version, from the Flag version bits or, without a Flag, from the codes used.</summary>
public enum Hj212Version
{
    /// <summary>HJ/T 212-2005 (version bits 000000).</summary>
    V2005,

    /// <summary>HJ 212-2017 (version bits 000001, Flag 4–7).</summary>
    V2017,

    /// <summary>HJ 212-2025 (version bits 000010, Flag 8–11).</summary>
    V2025,
}

/// <summary>Helpers for <see cref="Hj212Version"/> and the Flag field.</summary>
public static class Hj212Versions
{
    /// <summary>The version's name as the decode output writes it.</summary>
    public static string Name(this Hj212Version version) => version switch
    {
        Hj212Version.V2005 => "2005",
        Hj212Version.V2017 => "2017",
        _ => "2025",
    };

    /// <summary>The Flag value of a version with the given A (reply) and D (split) bits.</summary>
    public static int Flag(this Hj212Version version, bool needsReply = false, bool split = false)
    {
        int v = version switch
        {
            Hj212Version.V2005 => 0,
            Hj212Version.V2017 => 1,
            _ => 2,
        };
        return (v << 2) | (split ? 2 : 0) | (needsReply ? 1 : 0);
    }

    /// <summary>The version named by Flag's version bits, or null for bits no version uses.</summary>
    public static Hj212Version? FromFlag(int flag) => ((flag >> 2) & 0x3F) switch
    {
        0 => Hj212Version.V2005,
        1 => Hj212Version.V2017,
        2 => Hj212Version.V2025,
        _ => null,
    };
}
