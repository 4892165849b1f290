using System.Runtime.CompilerServices;
using EmissionMonitor.Compliance.Results;

namespace EmissionMonitor.Reports;

/// <summary>
/// The last exceedance episode lists computed from a store's facts, so that paging through a
/// province's episodes, or the dashboard reloading them, does not compute them all again: kept per
/// store, keyed by everything the list depends on — the facts' version (any commit of hourly or
/// daily records, a rebuild or pruning changes it), the registry in force, the request, and the hour
/// (an episode's <c>ongoing</c> flag follows the clock). Two lists at most are kept, and no more than
/// <see cref="MaxEpisodes"/> episodes in all: a larger list (a country's quarter) is made for each
/// request as before, so the cache never holds memory that grows with the store.
/// </summary>
public static class ExceedanceCache
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

    private static readonly ConditionalWeakTable<Storage.IStore, List<(object Key, IReadOnlyList<ExceedanceResult> List)>> Entries = [];

    public static async Task<IReadOnlyList<ExceedanceResult>> GetOrAddAsync(Storage.IStore store, object key, Func<Task<IReadOnlyList<ExceedanceResult>>> compute)
    {
        var entries = Entries.GetOrCreateValue(store);
        lock (entries)
        {
            foreach (var (k, list) in entries)
            {
                if (k.Equals(key))
                {
                    return list;
                }
            }
        }

        var computed = await compute();
        if (computed.Count > MaxEpisodes)
        {
            return computed;
        }

        lock (entries)
        {
            entries.Insert(0, (key, computed));
            while (entries.Count > Capacity || entries.Sum(e => e.List.Count) > MaxEpisodes)
            {
                entries.RemoveAt(entries.Count - 1);
            }
        }

        return computed;
    }
}
