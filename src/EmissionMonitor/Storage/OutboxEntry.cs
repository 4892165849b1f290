using EmissionMonitor.Intake;

namespace EmissionMonitor.Storage;

/// <summary>
/// What the local buffer holds for forwarding, up to outbox sequence <see cref="LastSeq"/>: stored
/// readings, archived frames, and operator records (kind and row id).
/// </summary>
public sealed record OutboxBatch(long LastSeq, IReadOnlyList<Reading> Readings, IReadOnlyList<ArchivedFrame> Frames, IReadOnlyList<(string Kind, long Id)> Records)
{
    public bool IsEmpty => LastSeq == 0;

    public int Count => Readings.Count + Frames.Count + Records.Count;
}
