using EmissionMonitor.Compliance.Exceedance;
using EmissionMonitor.Compliance.Results;
using EmissionMonitor.Compliance.Summaries;

namespace EmissionMonitor.Reports;

/// <summary>Making an outlet's exceedance episodes from its exceeding hours and days.</summary>
public sealed partial class ReportService
{
    /// <summary>The episodes of a group of outlets, in the group's order, from one read of its exceeding hours (outlets judged by the hour) and days (by the day).</summary>
    private async Task<List<ExceedanceResult>> GroupEpisodesAsync(ReportRequest r, Registry.Outlet[] group, FactSource facts, DateTime now, CancellationToken ct)
    {
        var from = r.Period.From - ExceedanceDetector.EpisodeMargin;
        var to = r.Period.To + ExceedanceDetector.EpisodeMargin;
        string[] Judged(string basis) => group.Where(o => Assessed(o, r).Any(p => ExceedanceDetector.Basis(o, o.Limits[p]) == basis)).Select(o => o.Mn).ToArray();
        var hourly = Judged("hour");
        var daily = Judged("day");
        var hours = hourly.Length == 0 ? [] : await facts.ExceedHoursAsync(LocalSpans.CeilHour(from), to, ct, hourly);
        var days = daily.Length == 0 ? [] : await facts.ExceedingDaysAsync(LocalSpans.CeilDay(from), to.Date, ct, daily);
        var hoursOf = ByOutlet(ref hours, e => e.Mn);
        var daysOf = ByOutlet(ref days, f => f.Mn);
        var manual = await ManualPeriodsAsync(r, group, facts, LocalSpans.CeilHour(from), to, ct);
        var episodes = new List<ExceedanceResult>(hours.Count + days.Count); // at most one per exceeding period
        foreach (var outlet in group)
        {
            AddOutletEpisodes(episodes, r, outlet, Of(hours, hoursOf, outlet.Mn), Of(days, daysOf, outlet.Mn), now, manual);
        }

        static ReadOnlySpan<T> Of<T>(List<T> rows, Dictionary<string, (int From, int Count)> of, string mn) =>
            of.TryGetValue(mn, out var range) ? System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows).Slice(range.From, range.Count) : [];

        return episodes;
    }

    /// <summary>
    /// Where each outlet's rows lie: the store gives them outlet by outlet (and the outlets computed
    /// from their readings come each whole), so one lookup per outlet, not per row; rows that are not
    /// are first put in outlet order (keeping each outlet's order).
    /// </summary>
    private static Dictionary<string, (int From, int Count)> ByOutlet<T>(ref List<T> rows, Func<T, string> mn)
    {
        var of = new Dictionary<string, (int From, int Count)>(StringComparer.Ordinal);
        string? last = null;
        for (int i = 0; i < rows.Count; i++)
        {
            string m = mn(rows[i]);
            if (ReferenceEquals(m, last) || m == last)
            {
                continue;
            }

            if (last is not null)
            {
                of[last] = (of[last].From, i - of[last].From);
            }

            if (of.ContainsKey(m))
            {
                rows = [.. rows.OrderBy(mn, StringComparer.Ordinal)]; // an outlet met again: not grouped
                return ByOutlet(ref rows, mn);
            }

            of[m] = (i, 0);
            last = m;
        }

        if (last is not null)
        {
            of[last] = (of[last].From, rows.Count - of[last].From);
        }

        return of;
    }

    /// <summary>An outlet's episodes overlapping the period, pollutant by pollutant, each in start order.</summary>
    private void AddOutletEpisodes(List<ExceedanceResult> episodes, ReportRequest r, Registry.Outlet outlet, ReadOnlySpan<ExceedHour> hours, ReadOnlySpan<DayFact> days, DateTime now,
        Dictionary<(string Mn, string Pollutant), List<AssessedPeriod>> manual)
    {
        foreach (var pollutant in Assessed(outlet, r))
        {
            var limit = outlet.Limits[pollutant];
            string basis = ExceedanceDetector.Basis(outlet, limit);
            var periods = new List<AssessedPeriod>(basis == "hour" ? hours.Length : days.Length);
            if (basis == "hour")
            {
                foreach (var e in hours)
                {
                    if (e.Pollutant == pollutant)
                    {
                        periods.Add(new AssessedPeriod(e.Hour, e.Hour.AddHours(1), e.Value, e.ValueKind, e.Bound, e.IsMinBound));
                    }
                }
            }
            else
            {
                foreach (var f in days)
                {
                    if (f.Pollutant == pollutant)
                    {
                        periods.Add(new AssessedPeriod(f.Day, f.Day.AddDays(1), f.WaterDayValue(options.WaterDailyMinHours)!.Value,
                            f.Daily ? ValueKinds.AsSent : ValueKinds.HourlyMean, limit.Max, false));
                    }
                }
            }

            if (manual.Count > 0 && manual.TryGetValue((outlet.Mn, pollutant), out var judged))
            {
                periods.AddRange(judged); // hours without a valid automatic value, so never one the facts hold
            }

            if (!InStartOrder(periods))
            {
                periods.Sort((a, b) => a.Start.CompareTo(b.Start)); // the store's rows come in time order; computed ones may not
            }

            var scope = Key(outlet, pollutant, "pollutant");
            foreach (var e in ExceedanceDetector.Episodes(outlet, pollutant, basis, periods, now)) // in start order, as the periods
            {
                if (e.End > r.Period.From && e.Start < r.Period.To)
                {
                    episodes.Add(new ExceedanceResult(scope, e));
                }
            }
        }
    }

    private static bool InStartOrder(List<AssessedPeriod> periods)
    {
        for (int i = 1; i < periods.Count; i++)
        {
            if (periods[i].Start < periods[i - 1].Start)
            {
                return false;
            }
        }

        return true;
    }
}
