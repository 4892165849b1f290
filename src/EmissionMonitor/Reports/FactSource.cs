using EmissionMonitor.Compliance.Summaries;
using EmissionMonitor.Hj212;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Reports;

/// <summary>
/// The day facts one report reads: from the store's maintained summaries for every outlet whose
/// facts were built with the rules in force, and computed here from its readings for an outlet
/// whose fingerprint differs (registry or configuration changed, rebuild not yet done) — so a
/// report is right while a rebuild runs. Bounded by the report's outlets and span, never the store.
/// </summary>
internal sealed class FactSource
{
    private readonly IStore _store;
    private readonly FactRules _rules;
    private readonly string? _mn;
    private readonly Dictionary<string, (List<DayFact> Days, List<ExceedHour> Exceeding)> _computed;

    private FactSource(IStore store, FactRules rules, string? mn, Dictionary<string, (List<DayFact>, List<ExceedHour>)> computed, Compliance.Manual.ManualHours manual)
    {
        _store = store;
        _rules = rules;
        _mn = mn;
        _computed = computed;
        Manual = manual;
    }

    /// <summary>The hours approved manual samples stand for (read with the facts: the store's manual-data records, a few per outage).</summary>
    public Compliance.Manual.ManualHours Manual { get; }

    /// <summary>Opens the facts of <paramref name="outlets"/> over [fromDay, toDay) (optionally one MN, as the report's filter).</summary>
    /// <summary>True when some outlet's facts are computed from its readings (stale, or a store without facts).</summary>
    public bool ComputesAny => _computed.Count > 0;

    public static async Task<FactSource> OpenAsync(IStore store, FactRules rules, IReadOnlyCollection<Outlet> outlets, DateTime fromDay, DateTime toDay, string? mn,
        CancellationToken ct)
    {
        var fingerprints = await store.FactFingerprintsAsync(ct);
        var unsettled = await store.UnsettledAsync(fromDay, toDay, ct);
        var computed = new Dictionary<string, (List<DayFact>, List<ExceedHour>)>(StringComparer.Ordinal);
        foreach (var outlet in outlets.Where(o => mn is null || o.Mn == mn))
        {
            if (fingerprints.GetValueOrDefault(outlet.Mn) != rules.Fingerprint(outlet) || unsettled.Contains(outlet.Mn))
            {
                computed[outlet.Mn] = await ComputeAsync(store, rules, outlet, fromDay, toDay, ct);
            }
        }

        var manual = Compliance.Manual.ManualHours.Of(await store.QueryAsync(DocumentRecords.ManualData, mn, ct));
        return new FactSource(store, rules, mn, computed, manual);
    }

    /// <summary>An outlet's facts over [fromDay, toDay) computed from its stored readings.</summary>
    public static async Task<(List<DayFact> Days, List<ExceedHour> Exceeding)> ComputeAsync(IReadingStore store, FactRules rules, Outlet outlet,
        DateTime fromDay, DateTime toDay, CancellationToken ct)
    {
        var hourly = await store.QueryReadingsAsync(new ReadingQuery(Cns.Hourly, fromDay, toDay, outlet.Mn), ct);
        var daily = await store.QueryReadingsAsync(new ReadingQuery(Cns.Daily, fromDay, toDay, outlet.Mn), ct);
        var minutes = rules.ReadsMinutes ? await store.QueryReadingsAsync(new ReadingQuery(Cns.Minute, fromDay, toDay, outlet.Mn), ct) : null;
        return rules.Compute(outlet, hourly, daily, minutes);
    }

    /// <summary>Sums per outlet and pollutant over [fromDay, toDay); <paramref name="mn"/> narrows to one outlet.</summary>
    public async Task<Dictionary<(string Mn, string Pollutant), FactSums>> SumsAsync(DateTime fromDay, DateTime toDay, string? mn, CancellationToken ct)
    {
        var sums = new Dictionary<(string, string), FactSums>();
        if (toDay <= fromDay)
        {
            return sums;
        }

        foreach (var s in await _store.SumFactsAsync(fromDay, toDay, mn ?? _mn, ct))
        {
            if (!_computed.ContainsKey(s.Mn))
            {
                sums[(s.Mn, s.Pollutant)] = s;
            }
        }

        foreach (var (outlet, facts) in _computed.Where(c => mn is null || c.Key == mn))
        {
            foreach (var g in facts.Days.Where(f => f.Day >= fromDay && f.Day < toDay).GroupBy(f => f.Pollutant))
            {
                sums[(outlet, g.Key)] = FactSums.Of(outlet, g.Key, g, _rules.Options.EffectiveExemptFlags);
            }
        }

        return sums;
    }

    /// <summary>The day facts of [fromDay, toDay) in detail; <paramref name="mn"/> narrows to one outlet.</summary>
    public async Task<List<DayFact>> DaysAsync(DateTime fromDay, DateTime toDay, string? mn, CancellationToken ct)
    {
        if (toDay <= fromDay)
        {
            return [];
        }

        var list = (await _store.QueryDayFactsAsync(fromDay, toDay, mn ?? _mn, ct)).Where(f => !_computed.ContainsKey(f.Mn)).ToList();
        list.AddRange(_computed.Where(c => mn is null || c.Key == mn).SelectMany(c => c.Value.Days).Where(f => f.Day >= fromDay && f.Day < toDay));
        return list;
    }

    /// <summary>The outlets in the order the store reads them fastest (SQLite: the order of their rows within a day); outlets it has not seen last.</summary>
    public List<Outlet> ReadingOrder(List<Outlet> outlets) =>
        _store.ReadingKeys(outlets.Select(o => o.Mn).ToList()) is { } keys
            ? [.. outlets.OrderBy(o => keys.GetValueOrDefault(o.Mn, long.MaxValue)).ThenBy(o => o.Mn, StringComparer.Ordinal)]
            : outlets;

    /// <summary>The day facts of [fromDay, toDay) of the outlets <paramref name="mns"/> names and the <paramref name="pollutants"/>, read at once.</summary>
    public async Task<List<DayFact>> DaysOfAsync(DateTime fromDay, DateTime toDay, IReadOnlyCollection<string> mns, IReadOnlyCollection<string> pollutants, CancellationToken ct)
    {
        if (toDay <= fromDay)
        {
            return [];
        }

        var stored = mns.Where(m => !_computed.ContainsKey(m)).ToList();
        var list = (await _store.QueryDayFactsOfAsync(fromDay, toDay, stored, pollutants, ct)).ToList();
        list.AddRange(mns.Where(_computed.ContainsKey).SelectMany(m => _computed[m].Days).Where(f => f.Day >= fromDay && f.Day < toDay && pollutants.Contains(f.Pollutant)));
        return list;
    }

    /// <summary>
    /// The first day with a fact of each of <paramref name="mns"/> (absent: none): the store's, or for
    /// an outlet computed from its readings the earlier of the store's and its first computed day.
    /// </summary>
    public async Task<Dictionary<string, DateTime>> FirstDaysAsync(IReadOnlyCollection<string> mns, CancellationToken ct)
    {
        var first = new Dictionary<string, DateTime>(await _store.FirstFactDaysAsync(mns, ct), StringComparer.Ordinal);
        foreach (var mn in mns.Where(_computed.ContainsKey))
        {
            if (_computed[mn].Days.Count > 0)
            {
                var day = _computed[mn].Days.Min(f => f.Day);
                first[mn] = first.TryGetValue(mn, out var stored) && stored < day ? stored : day;
            }
        }

        return first;
    }

    /// <summary>The hours beyond an hourly limit in [from, to); <paramref name="mns"/> narrows to those outlets.</summary>
    public async Task<List<ExceedHour>> ExceedHoursAsync(DateTime from, DateTime to, CancellationToken ct, IReadOnlyCollection<string>? mns = null)
    {
        var stored = await _store.QueryExceedHoursAsync(from, to, Narrowed(mns), ct);
        if (_computed.Count == 0)
        {
            return stored as List<ExceedHour> ?? [.. stored];
        }

        var list = stored.Where(e => !_computed.ContainsKey(e.Mn)).ToList();
        list.AddRange(_computed.Where(c => mns is null || mns.Contains(c.Key)).SelectMany(c => c.Value.Exceeding).Where(e => e.Hour >= from && e.Hour < to));
        return list;
    }

    /// <summary>The hours beyond an hourly limit in [from, to) of the pairs <paramref name="counted"/> admits, summed per day (outlets computed from their readings summed here).</summary>
    public async Task<List<ExceedDayTotal>> ExceedHoursPerDayAsync(DateTime from, DateTime to, Func<string, string, bool> counted, CancellationToken ct)
    {
        var stored = await _store.SumExceedHoursByDayAsync(from, to, Narrowed(null), (mn, pollutant) => !_computed.ContainsKey(mn) && counted(mn, pollutant), ct);
        return _computed.Count == 0
            ? [.. stored]
            : ExceedDayTotal.Merge(stored, ExceedDayTotal.Of(ExceedDayCount.Of(_computed.SelectMany(c => c.Value.Exceeding).Where(e => e.Hour >= from && e.Hour < to))
                .Where(c => counted(c.Mn, c.Pollutant))));
    }

    /// <summary>The days judged exceeding on the water daily basis in [fromDay, toDay); <paramref name="mns"/> narrows to those outlets.</summary>
    public async Task<List<DayFact>> ExceedingDaysAsync(DateTime fromDay, DateTime toDay, CancellationToken ct, IReadOnlyCollection<string>? mns = null)
    {
        var list = (await _store.QueryExceedingDaysAsync(fromDay, toDay, Narrowed(mns), ct)).Where(f => !_computed.ContainsKey(f.Mn)).ToList();
        list.AddRange(_computed.Where(c => mns is null || mns.Contains(c.Key)).SelectMany(c => c.Value.Days)
            .Where(f => f.DayState == DayStates.Exceeding && f.Day >= fromDay && f.Day < toDay));
        return list;
    }

    /// <summary>The outlets a store query asks for: those given, else the report's one MN, else all (null).</summary>
    private IReadOnlyCollection<string>? Narrowed(IReadOnlyCollection<string>? mns) => mns ?? (_mn is null ? null : [_mn]);
}
