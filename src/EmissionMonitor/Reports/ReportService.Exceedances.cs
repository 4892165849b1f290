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
        long version = store.FactsVersion; // read before the facts: a commit after it gives the next call a new key
        var from = r.Period.From - ExceedanceDetector.EpisodeMargin;
        var to = r.Period.To + ExceedanceDetector.EpisodeMargin;
        var facts = await FactsAsync(r, from.Date, LocalSpans.CeilDay(to), ct);
        if (!store.KeepsFacts || facts.ComputesAny)
        {
            return await EpisodesOfAsync(r, facts, from, to, ct); // some facts come from the readings: nothing to key them by
        }

        // A period running into the current hour (the default: this quarter so far) is keyed by the
        // hour's end: no hour starts between its end and that.
        var now = NowLocal;
        var keyed = r with { Kind = "exceedances", By = null, Period = r.Period.To > LocalSpans.FloorHour(now) ? r.Period with { To = LocalSpans.CeilHour(now) } : r.Period };
        var key = (version, new ExceedanceCache.Same(registry), new ExceedanceCache.Same(options), keyed, LocalSpans.FloorHour(now));
        return await ExceedanceCache.GetOrAddAsync(store, key, () => EpisodesOfAsync(r, facts, from, to, ct));
    }

    private async Task<IReadOnlyList<ExceedanceResult>> EpisodesOfAsync(ReportRequest r, FactSource facts, DateTime from, DateTime to, CancellationToken ct)
    {
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
