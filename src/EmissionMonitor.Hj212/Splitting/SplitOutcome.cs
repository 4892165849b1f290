using EmissionMonitor.Hj212.Packets;

namespace EmissionMonitor.Hj212.Splitting;

/// <summary>What taking in one packet did.</summary>
public enum SplitStatus
{
    /// <summary>Not a split packet.</summary>
    NotSplit,

    /// <summary>A new part; the set is still incomplete.</summary>
    Partial,

    /// <summary>A part already held.</summary>
    Duplicate,

    /// <summary>The last missing part: <see cref="SplitOutcome.Set"/> holds the whole set.</summary>
    Completed,
}

/// <summary>The status of an added packet and, when it completed one, the set.</summary>
public sealed record SplitOutcome(SplitStatus Status, SplitSet? Set);

/// <summary>A set of sub-packets of one (MN, CN, DataTime), in PNO order.</summary>
public sealed record SplitSet(string Mn, string Cn, string DataTime, int Total, IReadOnlyList<Hj212Packet> Parts, bool Complete);
