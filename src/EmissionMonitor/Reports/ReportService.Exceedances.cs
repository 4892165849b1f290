using EmissionMonitor.Compliance.Exceedance;
using EmissionMonitor.Compliance.Results;
using EmissionMonitor.Compliance.Summaries;
using EmissionMonitor.Registry;

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
        var from = r.Period.From - ExceedanceDetector.EpisodeMargin;
        var to = r.Period.To + ExceedanceDetector.EpisodeMargin;
        var facts = await FactsAsync(r, from.Date, LocalSpans.CeilDay(to), ct);
        var hours = (await facts.ExceedHoursAsync(LocalSpans.CeilHour(from), to, ct)).ToLookup(e => (e.Mn, e.Pollutant));
        var days = (await facts.ExceedingDaysAsync(LocalSpans.CeilDay(from), to.Date, ct)).ToLookup(f => (f.Mn, f.Pollutant));
        var now = NowLocal;
        var rows = new List<ExceedanceResult>();
        foreach (var outlet in Outlets(r))
        {
            foreach (var pollutant in Assessed(outlet, r))
            {
                var limit = outlet.Limits[pollutant];
                string basis = ExceedanceDetector.Basis(outlet, limit);
                var periods = basis == "hour"
                    ? hours[(outlet.Mn, pollutant)].OrderBy(e => e.Hour)
                        .Select(e => new AssessedPeriod(e.Hour, e.Hour.AddHours(1), e.Value, e.ValueKind, e.Bound, e.IsMinBound)).ToList()
                    : days[(outlet.Mn, pollutant)].OrderBy(f => f.Day)
                        .Select(f => new AssessedPeriod(f.Day, f.Day.AddDays(1), f.WaterDayValue(options.WaterDailyMinHours)!.Value,
                            f.Daily ? ValueKinds.AsSent : ValueKinds.HourlyMean, limit.Max, false)).ToList();
                var scope = Key(outlet, pollutant, "pollutant");
                rows.AddRange(ExceedanceDetector.Episodes(outlet, pollutant, basis, periods, now)
                    .Where(e => e.End > r.Period.From && e.Start < r.Period.To)
                    .Select(e => new ExceedanceResult(scope, e)));
            }
        }

        return rows.OrderBy(x => x.Scope, Scope.Order).ThenBy(x => x.Episode.Start).ToList();
    }
}

public sealed partial class ReportService
{
    /// <summary>
    /// One page of <see cref="ExceedancesAsync"/> and the number of episodes in all, without
    /// computing every episode: the store counts each outlet's episodes where its facts lie, the
    /// outlets are walked in the report's order, and only those on the page have their episodes
    /// made. Where some outlet's facts are computed from its readings (stale facts, or a store that
    /// keeps none), the whole list is made and paged instead.
    /// </summary>
    public async Task<(int Total, IReadOnlyList<ExceedanceResult> Page)> ExceedancePageAsync(ReportRequest r, int offset, int limit, CancellationToken ct)
    {
        var from = r.Period.From - ExceedanceDetector.EpisodeMargin;
        var to = r.Period.To + ExceedanceDetector.EpisodeMargin;
        var facts = await FactsAsync(r, from.Date, LocalSpans.CeilDay(to), ct);
        if (facts.ComputesAny)
        {
            var all = await ExceedancesAsync(r, ct);
            return (all.Count, all.Skip(offset).Take(limit).ToList());
        }

        var hourRuns = (await store.CountExceedHourRunsAsync(LocalSpans.CeilHour(from), to, r.Period.From, r.Period.To, ct)).ToDictionary(c => (c.Mn, c.Pollutant), c => c.Runs);
        var dayRuns = (await store.CountExceedingDayRunsAsync(LocalSpans.CeilDay(from), to.Date, r.Period.From, r.Period.To, ct)).ToDictionary(c => (c.Mn, c.Pollutant), c => c.Runs);
        int position = 0, pageStart = -1;
        var onPage = new List<Outlet>();
        foreach (var outlet in Outlets(r))
        {
            int n = Assessed(outlet, r).Sum(p => (ExceedanceDetector.Basis(outlet, outlet.Limits[p]) == "hour" ? hourRuns : dayRuns).GetValueOrDefault((outlet.Mn, p)));
            if (n > 0 && position + n > offset && position < offset + limit)
            {
                pageStart = pageStart < 0 ? position : pageStart;
                onPage.Add(outlet);
            }

            position += n;
        }

        var page = new List<ExceedanceResult>();
        foreach (var outlet in onPage)
        {
            page.AddRange(await ExceedancesAsync(r with { Mn = outlet.Mn }, ct));
        }

        return (position, page.Skip(Math.Max(0, offset - Math.Max(0, pageStart))).Take(limit).ToList());
    }
}
