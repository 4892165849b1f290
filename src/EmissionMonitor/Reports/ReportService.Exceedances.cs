using EmissionMonitor.Compliance.Exceedance;
using EmissionMonitor.Compliance.Results;
using EmissionMonitor.Compliance.Summaries;

namespace EmissionMonitor.Reports;

public sealed partial class ReportService
{
    /// <summary>
    /// The exceedance episodes overlapping the period, each listed whole: runs of the exceeding hours
    /// (hourly basis) and exceeding days (water daily basis) the facts keep — only those, since any
    /// other period ends an episode.
    /// </summary>
    public async Task<IReadOnlyList<ExceedanceResult>> ExceedancesAsync(ReportRequest r, CancellationToken ct)
    {
        var (key, facts) = await CacheKeyAsync(r, ct);
        async Task<IReadOnlyList<ExceedanceResult>> AllAsync()
        {
            var list = new List<ExceedanceResult>();
            await foreach (var e in StreamExceedancesAsync(r, facts, ct))
            {
                list.Add(e);
            }

            return list;
        }

        return key is null
            ? await AllAsync() // some facts come from the readings: nothing to key them by
            : await Cache.GetOrAddAsync(key, AllAsync);
    }

    /// <summary>
    /// One page of the episodes of <see cref="ExceedancesAsync"/> and how many there are in all: from
    /// the episode cache; else, where the kept facts hold every outlet, counted per outlet by the
    /// store (<see cref="Storage.IFactStore.CountEpisodesAsync"/>) and only the outlets the page falls
    /// in made; else (some outlets computed from their readings) all streamed and counted, the page
    /// cut from the stream — so a page of a country's episodes never holds them all.
    /// </summary>
    public async Task<(int Total, IReadOnlyList<ExceedanceResult> Page)> ExceedancePageAsync(ReportRequest r, int offset, int limit, CancellationToken ct)
    {
        var (key, facts) = await CacheKeyAsync(r, ct);
        if (key is not null)
        {
            return Cache.TryGet(key, out var cached)
                ? (cached.Count, cached.Skip(offset).Take(limit).ToList())
                : await CountedPageAsync(r, key, facts, offset, limit, ct);
        }

        var page = new List<ExceedanceResult>();
        int total = 0;
        await foreach (var e in StreamExceedancesAsync(r, facts, ct))
        {
            if (total >= offset && page.Count < limit)
            {
                page.Add(e);
            }

            total++;
        }

        return (total, page);
    }

    /// <summary>Outlets named to the store's count of episodes; more are counted all at once (a count per outlet and pollutant is small).</summary>
    private const int CountedOutlets = 500;

    /// <summary>
    /// A page of episodes from the store's counts (kept for the next page while the facts are the
    /// same: on InfluxDB counting reads the period's exceeding hours): the total summed, the episodes
    /// made only for the outlets the page falls in.
    /// </summary>
    private async Task<(int Total, IReadOnlyList<ExceedanceResult> Page)> CountedPageAsync(ReportRequest r, object key, FactSource facts, int offset, int limit, CancellationToken ct)
    {
        var outlets = Outlets(r).ToList();
        bool all = r.Mn is null && r.Enterprise is null && r.City is null;
        var counts = await Cache.CountsAsync(key, () =>
            store.CountEpisodesAsync(r.Period.From, r.Period.To, all || outlets.Count > CountedOutlets ? null : outlets.Select(o => o.Mn).ToList(), ct));
        var withManual = facts.Manual.Outlets.ToHashSet(StringComparer.Ordinal);
        int total = 0;
        var inPage = new List<Registry.Outlet>();
        int skip = 0; // the page's first outlet's episodes before the page
        foreach (var outlet in outlets)
        {
            int n = withManual.Contains(outlet.Mn)
                ? (await GroupEpisodesAsync(r, [outlet], facts, NowLocal, ct)).Count // manual samples judged too: counted by making its episodes
                : Assessed(outlet, r).Sum(p => counts.Of(outlet.Mn, p, ExceedanceDetector.Basis(outlet, outlet.Limits[p])));
            if (n > 0 && total + n > offset && total < (long)offset + limit)
            {
                if (inPage.Count == 0)
                {
                    skip = offset - total;
                }

                inPage.Add(outlet);
            }

            total += n;
        }

        var page = new List<ExceedanceResult>(Math.Min(limit, 10_000));
        await foreach (var e in StreamExceedancesAsync(r, inPage, facts, ct))
        {
            if (skip > 0)
            {
                skip--;
            }
            else if (page.Count < limit)
            {
                page.Add(e);
            }
        }

        return (total, page);
    }

    /// <summary>The episode cache's key of a request and its facts; no key when some facts come from the readings.</summary>
    private async Task<(object? Key, FactSource Facts)> CacheKeyAsync(ReportRequest r, CancellationToken ct)
    {
        long? version = store.FactsVersion; // read before the facts: a commit after it gives the next call a new key
        var facts = await EpisodeFactsAsync(r, ct);
        if (!store.KeepsFacts || facts.ComputesAny || version is null)
        {
            return (null, facts);
        }

        // A period running into the current hour (the default: this quarter so far) is keyed by the
        // hour's end: no hour starts between its end and that.
        var now = NowLocal;
        var keyed = r with { Kind = "exceedances", By = null, Period = r.Period.To > LocalSpans.FloorHour(now) ? r.Period with { To = LocalSpans.CeilHour(now) } : r.Period };
        return ((version, new ExceedanceCache.Same(registry), new ExceedanceCache.Same(options), keyed, LocalSpans.FloorHour(now), facts.Manual.Stamp), facts);
    }

    /// <summary>Outlets whose exceeding hours and days one read of a stream brings.</summary>
    private const int OutletsPerRead = 200;

    /// <summary>
    /// Outlets of a part of a streamed exceedance table (<c>report exceedances</c>, the exceedance
    /// downloads): a province's quarter gives ≈ 10,000 episodes (4 MB of JSON) per part, a few parts in
    /// memory at once, enough of them to keep every core busy.
    /// </summary>
    public const int OutletsPerPart = 25;

    /// <summary>
    /// The episodes of <see cref="ExceedancesAsync"/>, in its order, as a report table per
    /// <paramref name="outlets"/> outlets, each table (then <paramref name="then"/>: a report's JSON or
    /// CSV of it) made on up to <paramref name="parallel"/> threads and yielded in order; at least one table (an empty answer is one empty table, so the columns are always known). A
    /// country's quarter streams out of <c>report exceedances</c> on every core, a few groups in memory.
    /// </summary>
    public async IAsyncEnumerable<T> StreamExceedanceTablesAsync<T>(ReportRequest r, int outlets, Func<ReportTable, T> then, int parallel,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var facts = await EpisodeFactsAsync(r, ct);
        var now = NowLocal;
        bool any = false;
        await foreach (var part in Prefetch.Ordered(Outlets(r).Chunk(outlets),
            async (chunk, token) => then(ReportTables.Exceedances(await GroupEpisodesAsync(r, chunk, facts, now, token), timeZone)), parallel, ct))
        {
            any = true;
            yield return part;
        }

        if (!any)
        {
            yield return then(ReportTables.Exceedances([], timeZone));
        }
    }

    /// <summary>The facts episodes of the period are made of: the period widened by the episode margin on both sides.</summary>
    private Task<FactSource> EpisodeFactsAsync(ReportRequest r, CancellationToken ct) =>
        FactsAsync(r, (r.Period.From - ExceedanceDetector.EpisodeMargin).Date, LocalSpans.CeilDay(r.Period.To + ExceedanceDetector.EpisodeMargin), ct);

    /// <summary>
    /// The episodes of <see cref="ExceedancesAsync"/> made <see cref="OutletsPerRead"/> outlets at a
    /// time, each group's exceeding hours and days read on their own (memory bounded by a group's),
    /// over facts already opened.
    /// </summary>
    private IAsyncEnumerable<ExceedanceResult> StreamExceedancesAsync(ReportRequest r, FactSource facts, CancellationToken ct) =>
        StreamExceedancesAsync(r, Outlets(r), facts, ct);

    /// <summary>The episodes of <paramref name="outlets"/> (in the list's order) over facts already opened.</summary>
    private async IAsyncEnumerable<ExceedanceResult> StreamExceedancesAsync(ReportRequest r, IEnumerable<Registry.Outlet> outlets, FactSource facts,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var now = NowLocal;
        foreach (var chunk in outlets.Chunk(OutletsPerRead))
        {
            foreach (var row in await GroupEpisodesAsync(r, chunk, facts, now, ct))
            {
                yield return row;
            }
        }
    }

}
