using System.Collections.Concurrent;
using EmissionMonitor.Intake;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Diagnostics;

/// <summary>Counters of ingestion: received, accepted, rejected by reason, duplicates, commit latency.</summary>
public sealed class IngestMetrics : Storage.Journaling.IJournalObserver
{
    private readonly ConcurrentDictionary<string, long> _byStatus = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _byReason = new(StringComparer.Ordinal);
    private long _frames;
    private long _readings;
    private long _commits;
    private long _commitFailures;
    private long _unarchived;
    private long _commitTicks;
    private long _maxCommitTicks;
    private long _backfilled;
    private long _encrypted;

    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>HJ 212-2025: accepted frames marked <c>RF=1</c> (back-filled).</summary>
    public long Backfilled => Interlocked.Read(ref _backfilled);

    /// <summary>HJ 212-2025: accepted frames whose data segment came SM4-encrypted.</summary>
    public long Encrypted => Interlocked.Read(ref _encrypted);

    public long Readings => Interlocked.Read(ref _readings);

    public long Commits => Interlocked.Read(ref _commits);

    public long CommitFailures => Interlocked.Read(ref _commitFailures);

    /// <summary>Garbage frames not archived because the disk was low (Storage:MinFreeMB).</summary>
    public long UnarchivedFrames => Interlocked.Read(ref _unarchived);

    public void Unarchived(int count) => Interlocked.Add(ref _unarchived, count);

    public TimeSpan MeanCommit => Commits == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Interlocked.Read(ref _commitTicks) / Commits);

    public TimeSpan MaxCommit => TimeSpan.FromTicks(Interlocked.Read(ref _maxCommitTicks));

    public IReadOnlyDictionary<string, long> ByStatus => _byStatus;

    public IReadOnlyDictionary<string, long> ByReason => _byReason;

    public long Status(string status) => _byStatus.GetValueOrDefault(status);

    public void Committed(IReadOnlyList<IntakeResult> items, IReadOnlyList<StoredOutcome> outcomes, TimeSpan latency)
    {
        Interlocked.Add(ref _frames, items.Count);
        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _commitTicks, latency.Ticks);
        long max;
        while (latency.Ticks > (max = Interlocked.Read(ref _maxCommitTicks)) && Interlocked.CompareExchange(ref _maxCommitTicks, latency.Ticks, max) != max)
        {
        }

        foreach (var item in items)
        {
            if (item.IsAccepted && item.Packet is { } p)
            {
                if (p.IsBackfill)
                {
                    Interlocked.Increment(ref _backfilled);
                }

                if (p.WasEncrypted)
                {
                    Interlocked.Increment(ref _encrypted);
                }
            }
        }

        foreach (var o in outcomes)
        {
            _byStatus.AddOrUpdate(o.Status, 1, (_, n) => n + 1);
            Interlocked.Add(ref _readings, o.NewReadings);
            if (o.Reason is not null)
            {
                _byReason.AddOrUpdate(o.Reason, 1, (_, n) => n + 1);
            }
        }
    }

    public void CommitFailed(int count)
    {
        Interlocked.Increment(ref _commitFailures);
        _byReason.AddOrUpdate("commit-failed", count, (_, n) => n + count);
    }

    public override string ToString()
    {
        string reasons = string.Join(", ", _byReason.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value}"));
        return $"frames {Frames} (accepted {Status(StoredOutcome.Accepted)}, duplicates {Status(Reasons.Duplicate) + Status(Reasons.DuplicateConflict)}, rejected {Status(StoredOutcome.Rejected)}), readings {Readings}"
            + (reasons.Length > 0 ? $"; by reason: {reasons}" : string.Empty);
    }
}
