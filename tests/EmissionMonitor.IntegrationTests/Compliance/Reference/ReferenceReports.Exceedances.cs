using EmissionMonitor.Hj212;
using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Exceedance;
using EmissionMonitor.Compliance.Results;
using EmissionMonitor.Compliance.Summaries;

using EmissionMonitor.Reports;

namespace EmissionMonitor.IntegrationTests.Compliance.Reference;

public sealed partial class ReferenceReports
{
    /// <summary>The exceedance episodes overlapping the period, each listed whole.</summary>
    public async Task<IReadOnlyList<ExceedanceResult>> ExceedancesAsync(ReportRequest r, CancellationToken ct)
    {
        var from = r.Period.From - ExceedanceDetector.EpisodeMargin;
        var to = r.Period.To + ExceedanceDetector.EpisodeMargin;
        var hourly = await HourlyAsync(from, to, r.Mn, ct);
        var daily = (await store.QueryReadingsAsync(new EmissionMonitor.Storage.ReadingQuery(Cns.Daily, from, to, r.Mn), ct)).ToLookup(x => x.Mn, StringComparer.Ordinal);
        var detector = new ExceedanceDetector(options, _rates.Validity);
        var rows = new List<ExceedanceResult>();
        foreach (var outlet in Outlets(r))
        {
            var outletHourly = hourly[outlet.Mn].ToList();
            var outletDaily = daily[outlet.Mn].ToList();
            foreach (var pollutant in Assessed(outlet, r))
            {
                string basis = ExceedanceDetector.Basis(outlet, outlet.Limits[pollutant]);
                var periods = await WithManualAsync(outlet, pollutant, basis, detector.Assess(outlet, pollutant, outletHourly, outletDaily), LocalSpans.CeilHour(from), to, ct);
                var scope = Key(outlet, pollutant, "pollutant");
                rows.AddRange(ExceedanceDetector.Episodes(outlet, pollutant, basis, periods, NowLocal)
                    .Where(e => e.End > r.Period.From && e.Start < r.Period.To)
                    .Select(e => new ExceedanceResult(scope, e)));
            }
        }

        return rows.OrderBy(x => x.Scope, Scope.Order).ThenBy(x => x.Episode.Start).ToList();
    }

    /// <summary>
    /// The exceedance trend from the readings: per local day from the period's start to its end (or
    /// now), the exceeding periods judged on the outlet's basis (hours inside the period, days of the
    /// daily basis) and the outlets with either.
    /// </summary>
    public async Task<IReadOnlyList<TrendDay>> TrendAsync(ReportRequest r, CancellationToken ct)
    {
        var fromDay = r.Period.From.Date;
        var end = r.Period.To < NowLocal ? r.Period.To : NowLocal;
        var toDay = end.TimeOfDay == TimeSpan.Zero ? end : end.Date.AddDays(1);
        // The readings from a margin before: a period is judged with the hours before it (as the summaries are).
        var hourly = await HourlyAsync(fromDay - ExceedanceDetector.EpisodeMargin, toDay, r.Mn, ct);
        var daily = (await store.QueryReadingsAsync(new EmissionMonitor.Storage.ReadingQuery(Cns.Daily, fromDay - ExceedanceDetector.EpisodeMargin, toDay, r.Mn), ct))
            .ToLookup(x => x.Mn, StringComparer.Ordinal);
        var detector = new ExceedanceDetector(options, _rates.Validity);
        var hours = new List<(DateTime Day, string Mn)>();
        var days = new List<(DateTime Day, string Mn)>();
        foreach (var outlet in Outlets(r))
        {
            foreach (var pollutant in Assessed(outlet, r))
            {
                bool byHour = ExceedanceDetector.Basis(outlet, outlet.Limits[pollutant]) == "hour";
                var assessed = detector.Assess(outlet, pollutant, hourly[outlet.Mn].ToList(), daily[outlet.Mn].ToList());
                var withManual = (await WithManualAsync(outlet, pollutant, byHour ? "hour" : "day", [], fromDay, toDay < fromDay ? fromDay : toDay, ct))
                    .Where(m => !assessed.Any(p => p.Start == m.Start));
                foreach (var p in assessed.Concat(withManual).Where(p => p.Exceeds))
                {
                    if (byHour && p.Start >= r.Period.From && p.Start < r.Period.To && p.Start >= fromDay && p.Start < toDay)
                    {
                        hours.Add((p.Start.Date, outlet.Mn));
                    }
                    else if (!byHour && p.Start >= fromDay && p.Start < toDay)
                    {
                        days.Add((p.Start.Date, outlet.Mn));
                    }
                }
            }
        }

        var list = new List<TrendDay>();
        for (var d = fromDay; d < toDay; d = d.AddDays(1))
        {
            var onDay = hours.Where(h => h.Day == d).ToList();
            var dayRows = days.Where(x => x.Day == d).ToList();
            list.Add(new TrendDay(d, onDay.Count, dayRows.Count, onDay.Select(x => x.Mn).Concat(dayRows.Select(x => x.Mn)).Distinct(StringComparer.Ordinal).Count()));
        }

        return list;
    }
}
