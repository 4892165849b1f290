using System.Runtime.CompilerServices;
using EmissionMonitor.Compliance.Results;

namespace EmissionMonitor.Reports;

/// <summary>
/// The last exceedance episode lists computed from a store's facts, so that paging through a
/// province's episodes, or the dashboard reloading them, does not compute them all again: one
/// cache per store, made by the composition root beside it (the CLI's run makes its own), keyed by everything the list depends on — the facts' version (any commit of hourly or
/// daily records, a rebuild or pruning changes it), the registry in force, the request, and the hour
/// (an episode's <c>ongoing</c> flag follows the clock). Two lists at most are kept, and no more than
/// <see cref="MaxEpisodes"/> episodes in all: a larger list (a country's quarter) is made for each
/// request as before, so the cache never holds memory that grows with the store.
/// </summary>
public sealed class ExceedanceCache
{
    private const int Capacity = 2;

    /// <summary>The most episodes kept (≈ 60 MB): a province's quarter fits, a country's does not.</summary>
    public const int MaxEpisodes = 300_000;

    /// <summary>An object compared by reference (the registry in force: a reload makes a new one).</summary>
    public readonly record struct Same(object Value)
    {
        public bool Equals(Same other) => ReferenceEquals(Value, other.Value);

        public override int GetHashCode() => RuntimeHelpers.GetHashCode(Value);
    }

    private readonly List<(object Key, IReadOnlyList<ExceedanceResult> List)> _entries = [];

    public async Task<IReadOnlyList<ExceedanceResult>> GetOrAddAsync(object key, Func<Task<IReadOnlyList<ExceedanceResult>>> compute)
    {
        if (TryGet(key, out var cached))
        {
            return cached;
        }

        var computed = await compute();
        Add(key, computed);
        return computed;
    }

    /// <summary>The last episode counts per outlet and pollutant (small: a count per outlet and pollutant), by the same keys.</summary>
    private readonly StrongBox<(object Key, Compliance.Exceedance.EpisodeCounts Counts)?> _lastCounts = new();

    /// <summary>The counts kept for <paramref name="key"/>, else counted and kept (one set per store: paging through one list).</summary>
    public async Task<Compliance.Exceedance.EpisodeCounts> CountsAsync(object key, Func<Task<Compliance.Exceedance.EpisodeCounts>> count)
    {
        var box = _lastCounts;
        lock (box)
        {
            if (box.Value is { } last && last.Key.Equals(key))
            {
                return last.Counts;
            }
        }

        var counts = await count();
        lock (box)
        {
            box.Value = (key, counts);
        }

        return counts;
    }

    /// <summary>Forgets every list and count kept (tests of the paths around the cache).</summary>
    internal void Clear()
    {
        var entries = _entries;
        lock (entries)
        {
            entries.Clear();
        }

        var box = _lastCounts;
        lock (box)
        {
            box.Value = null;
        }
    }

    /// <summary>The list kept for <paramref name="key"/>, if any.</summary>
    public bool TryGet(object key, out IReadOnlyList<ExceedanceResult> list)
    {
        var entries = _entries;
        lock (entries)
        {
            foreach (var (k, l) in entries)
            {
                if (k.Equals(key))
                {
                    list = l;
                    return true;
                }
            }
        }

        list = [];
        return false;
    }

    /// <summary>Keeps <paramref name="list"/> for <paramref name="key"/> unless it is beyond <see cref="MaxEpisodes"/>, dropping the oldest lists beyond the bounds.</summary>
    public void Add(object key, IReadOnlyList<ExceedanceResult> list)
    {
        if (list.Count > MaxEpisodes)
        {
            return;
        }

        var entries = _entries;
        lock (entries)
        {
            entries.Insert(0, (key, list));
            while (entries.Count > Capacity || entries.Sum(e => e.List.Count) > MaxEpisodes)
            {
                entries.RemoveAt(entries.Count - 1);
            }
        }
    }
}
