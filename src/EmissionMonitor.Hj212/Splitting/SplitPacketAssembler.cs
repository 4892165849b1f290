using EmissionMonitor.Hj212.Packets;

namespace EmissionMonitor.Hj212.Splitting;

/// <summary>
/// Reassembles split packets (PNUM/PNO) per (MN, CN, DataTime) — never per QN, since each
/// sub-packet has its own. Duplicated parts are tolerated; a set still incomplete after the timeout
/// is given up and reported by <see cref="Expire"/>. Not thread-safe: one owner at a time.
/// </summary>
public sealed class SplitPacketAssembler(TimeSpan timeout)
{
    private readonly Dictionary<(string Mn, string Cn, string DataTime), Pending> _pending = [];

    /// <summary>Sets waiting for parts.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Takes in one packet at <paramref name="now"/>.</summary>
    public SplitOutcome Add(Hj212Packet packet, DateTimeOffset now)
    {
        if (!packet.IsSplit || packet.Pnum is not { } total || packet.Pno is not { } number)
        {
            return new SplitOutcome(SplitStatus.NotSplit, null);
        }

        var key = (packet.Mn ?? string.Empty, packet.Cn ?? string.Empty, packet.DataTimeText ?? string.Empty);
        if (!_pending.TryGetValue(key, out var pending))
        {
            pending = new Pending(total, now);
            _pending[key] = pending;
        }

        if (!pending.Parts.TryAdd(number, packet))
        {
            return new SplitOutcome(SplitStatus.Duplicate, null);
        }

        if (pending.Parts.Count < pending.Total)
        {
            return new SplitOutcome(SplitStatus.Partial, null);
        }

        _pending.Remove(key);
        return new SplitOutcome(SplitStatus.Completed, ToSet(key, pending, complete: true));
    }

    /// <summary>Removes and returns the sets whose first part is older than the timeout.</summary>
    public IReadOnlyList<SplitSet> Expire(DateTimeOffset now)
    {
        List<SplitSet>? expired = null;
        foreach (var (key, pending) in _pending)
        {
            if (now - pending.FirstSeen >= timeout)
            {
                (expired ??= []).Add(ToSet(key, pending, complete: false));
            }
        }

        foreach (var set in expired ?? [])
        {
            _pending.Remove((set.Mn, set.Cn, set.DataTime));
        }

        return (IReadOnlyList<SplitSet>?)expired ?? [];
    }

    private static SplitSet ToSet((string Mn, string Cn, string DataTime) key, Pending pending, bool complete) =>
        new(key.Mn, key.Cn, key.DataTime, pending.Total, [.. pending.Parts.OrderBy(p => p.Key).Select(p => p.Value)], complete);

    private sealed class Pending(int total, DateTimeOffset firstSeen)
    {
        public int Total { get; } = total;

        public DateTimeOffset FirstSeen { get; } = firstSeen;

        public Dictionary<int, Hj212Packet> Parts { get; } = [];
    }
}
