using EmissionMonitor.Compliance.Summaries;

namespace EmissionMonitor.Storage;

/// <summary>
/// The summaries half of the store contract: day facts kept up to date at each commit (when the
/// store is given <see cref="FactMaintenance"/>), summed on the server side, read in detail for the
/// few days a report needs hour by hour, and replaced whole when an outlet's rules change (its
/// fingerprint). Days are local midnights, hours local hour starts; [from, to) everywhere.
/// </summary>
public interface IFactStore
{
    /// <summary>
    /// True when this store keeps day facts (SQLite in its commits; InfluxDB on the server, rebuilt
    /// from the server's readings by <see cref="SettleFactsAsync"/>); false for a buffer, which keeps none.
    /// </summary>
    bool KeepsFacts { get; }

    /// <summary>
    /// A number that changes whenever the kept facts may have changed (a commit with hourly or daily
    /// records, a rebuild, pruning): what is computed from the facts alone stays right while it is
    /// the same. Null when the facts may change at any time without this instance knowing (another
    /// instance writes them): nothing computed from them may be kept. Reading it changes nothing.
    /// </summary>
    long? FactsVersion { get; }

    /// <summary>Keeps day facts up to date at each commit from now on, with these rules and this registry.</summary>
    void MaintainFacts(FactMaintenance maintenance);

    /// <summary>The sums of the day facts of each outlet and pollutant over [fromDay, toDay).</summary>
    Task<IReadOnlyList<FactSums>> SumFactsAsync(DateTime fromDay, DateTime toDay, string? mn, CancellationToken cancellationToken);

    /// <summary>The day facts of [fromDay, toDay), in day order.</summary>
    Task<IReadOnlyList<DayFact>> QueryDayFactsAsync(DateTime fromDay, DateTime toDay, string? mn, CancellationToken cancellationToken);

    /// <summary>The day facts of [fromDay, toDay) of the outlets <paramref name="mns"/> names and the <paramref name="pollutants"/>, in one read (a report's chunk of outlets).</summary>
    Task<IReadOnlyList<DayFact>> QueryDayFactsOfAsync(DateTime fromDay, DateTime toDay, IReadOnlyCollection<string> mns, IReadOnlyCollection<string> pollutants, CancellationToken cancellationToken);

    /// <summary>The first local day with a day fact (a record of a kept pollutant) of each of the outlets <paramref name="mns"/> names; outlets without one are absent.</summary>
    Task<IReadOnlyDictionary<string, DateTime>> FirstFactDaysAsync(IReadOnlyCollection<string> mns, CancellationToken cancellationToken);

    /// <summary>The day facts of [fromDay, toDay) judged exceeding on the water daily basis, in day order; of the outlets <paramref name="mns"/> names (null: all).</summary>
    Task<IReadOnlyList<DayFact>> QueryExceedingDaysAsync(DateTime fromDay, DateTime toDay, IReadOnlyCollection<string>? mns, CancellationToken cancellationToken);

    /// <summary>The hours beyond an hourly limit in [from, to), each outlet's in hour order; of the outlets <paramref name="mns"/> names (null: all).</summary>
    Task<IReadOnlyList<ExceedHour>> QueryExceedHoursAsync(DateTime from, DateTime to, IReadOnlyCollection<string>? mns, CancellationToken cancellationToken);

    /// <summary>
    /// The hours beyond an hourly limit in [from, to), counted per outlet, pollutant and local day; of
    /// the outlets <paramref name="mns"/> names (null: all). By default counted from the hours read; a
    /// store counts them where it keeps them (SQLite: one grouped query, no row per hour brought out).
    /// </summary>
    async Task<IReadOnlyList<Compliance.Summaries.ExceedDayCount>> CountExceedHoursByDayAsync(DateTime from, DateTime to, IReadOnlyCollection<string>? mns, CancellationToken cancellationToken) =>
        Compliance.Summaries.ExceedDayCount.Of(await QueryExceedHoursAsync(from, to, mns, cancellationToken)).ToList();

    /// <summary>
    /// Where each of <paramref name="mns"/> lies in the store's own order (reading outlets in this
    /// order reads neighbouring rows together), or null when the order does not matter to the store.
    /// </summary>
    IReadOnlyDictionary<string, long>? ReadingKeys(IReadOnlyCollection<string> mns) => null;

    /// <summary>
    /// The hours beyond an hourly limit in [from, to) summed per local day over the pairs
    /// <paramref name="counted"/> admits (outlet, pollutant), with the outlets that had one. By
    /// default from <see cref="CountExceedHoursByDayAsync"/>; a store sums them where it keeps them
    /// (SQLite: one pass over the exceed masks' index, nothing kept per row).
    /// </summary>
    async Task<IReadOnlyList<Compliance.Summaries.ExceedDayTotal>> SumExceedHoursByDayAsync(DateTime from, DateTime to, IReadOnlyCollection<string>? mns,
        Func<string, string, bool> counted, CancellationToken cancellationToken) =>
        Compliance.Summaries.ExceedDayTotal.Of((await CountExceedHoursByDayAsync(from, to, mns, cancellationToken)).Where(c => counted(c.Mn, c.Pollutant))).OrderBy(t => t.Day).ToList();

    /// <summary>
    /// The number of exceedance episodes of each outlet and pollutant overlapping [from, to), from
    /// the kept exceeding hours and days (<see cref="Compliance.Exceedance.EpisodeCounts"/>); of the
    /// outlets <paramref name="mns"/> names (null: all). By default counted from those hours and days
    /// read; a store may count them where it keeps them.
    /// </summary>
    async Task<Compliance.Exceedance.EpisodeCounts> CountEpisodesAsync(DateTime from, DateTime to, IReadOnlyCollection<string>? mns, CancellationToken cancellationToken) =>
        Compliance.Exceedance.EpisodeCounts.Of(
            await QueryExceedHoursAsync(Compliance.Exceedance.EpisodeCounts.FirstHour(from), LocalSpans.CeilHour(to), mns, cancellationToken),
            await QueryExceedingDaysAsync(Compliance.Exceedance.EpisodeCounts.FirstDay(from), LocalSpans.CeilDay(to), mns, cancellationToken), from);

    /// <summary>
    /// Outlets whose kept facts may not yet hold all their stored readings of [fromDay, toDay):
    /// reports compute them from their readings meanwhile. Empty where facts are written in the
    /// commit itself (SQLite); InfluxDB: days forwarded but not yet rebuilt, and readings still in the buffer.
    /// </summary>
    Task<IReadOnlyCollection<string>> UnsettledAsync(DateTime fromDay, DateTime toDay, CancellationToken cancellationToken);

    /// <summary>Brings the kept facts up to date with what was stored since they were made; returns the days rebuilt (none where commits do it).</summary>
    Task<int> SettleFactsAsync(CancellationToken cancellationToken);

    /// <summary>The fingerprint of the rules each outlet's facts were built with.</summary>
    Task<IReadOnlyDictionary<string, string>> FactFingerprintsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Rebuilds an outlet's facts from its stored readings with the rules in force, a month per
    /// transaction (commits go on between them, and keep the days they touch right), then stores the
    /// fingerprint of the outlet's rules with them. Returns the days rebuilt.
    /// </summary>
    Task<int> RebuildFactsAsync(string mn, CancellationToken cancellationToken);
}

/// <summary>What a store needs to keep facts at commit: the rules and the outlet of an MN in the registry in force.</summary>
public sealed record FactMaintenance(FactRules Rules, Func<string, Registry.Outlet?> Outlet);
