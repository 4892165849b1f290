using EmissionMonitor.Compliance.Exceedance;
using EmissionMonitor.Compliance.Summaries;

namespace EmissionMonitor.Reports;

/// <summary>One local day of the exceedance trend: exceeding periods of the report's outlets and how many outlets had one.</summary>
public sealed record TrendDay(DateTime Day, int ExceedingHours, int ExceedingDays, int OutletsExceeding);

public sealed partial class ReportService
{
    /// <summary>
    /// Per local day of the period: the valid hours beyond an hourly limit (gas and range limits),
    /// the water days beyond a daily limit, and the outlets with either — from the facts' sparse
    /// exceeding rows, so a month of a province is a few thousand rows read, never the readings.
    /// Only the periods the exceedance rules judge on their basis count (the same as the episodes),
    /// approved manual samples' among them.
    /// </summary>
    public async Task<IReadOnlyList<TrendDay>> TrendAsync(ReportRequest r, CancellationToken ct)
    {
        var fromDay = r.Period.From.Date;
        var toDay = LocalSpans.CeilDay(LocalSpans.Min(r.Period.To, NowLocal));
        var outlets = Outlets(r).ToDictionary(o => o.Mn, StringComparer.Ordinal);
        var facts = await FactsAsync(r, fromDay, LocalSpans.Max(fromDay, toDay), ct);
        bool Judged(string mn, string pollutant, string basis) =>
            outlets.TryGetValue(mn, out var o) && o.Limits.TryGetValue(pollutant, out var limit) && (r.Pollutant is null || r.Pollutant == pollutant)
            && ExceedanceDetector.Basis(o, limit) == basis;
        // Summed per day where the hours are kept: a province's quarter is a row a day, never a row per
        // exceeding hour. The hours that start inside the period: a period from 05:30 leaves out the
        // 05:00 hour, one to 16:30 keeps the 16:00 hour.
        var hours = (await facts.ExceedHoursPerDayAsync(LocalSpans.CeilHour(LocalSpans.Max(fromDay, r.Period.From)), LocalSpans.CeilHour(LocalSpans.Min(toDay, r.Period.To)),
            (mn, pollutant) => Judged(mn, pollutant, "hour"), ct)).ToDictionary(t => t.Day);
        var days = (await facts.ExceedingDaysAsync(fromDay, toDay, ct)).Where(f => Judged(f.Mn, f.Pollutant, "day")).ToLookup(f => f.Day);
        // Periods approved manual samples judge (hours and days without a valid automatic value): a few outlets' at most.
        var hourFrom = LocalSpans.CeilHour(LocalSpans.Max(fromDay, r.Period.From));
        var hourTo = LocalSpans.CeilHour(LocalSpans.Min(toDay, r.Period.To));
        var manual = (await ManualPeriodsAsync(r, outlets.Values, facts, fromDay, LocalSpans.Max(fromDay, toDay), ct))
            .SelectMany(m => m.Value.Select(p => (m.Key.Mn, ByHour: p.End - p.Start == TimeSpan.FromHours(1), p.Start)))
            .Where(p => p.ByHour ? p.Start >= hourFrom && p.Start < hourTo : p.Start >= fromDay && p.Start < toDay)
            .ToLookup(p => p.Start.Date);
        return LocalSpans.Days(fromDay, toDay).Select(d =>
        {
            var exceeding = hours.GetValueOrDefault(d);
            var outletsExceeding = exceeding?.Outlets ?? [];
            int outletCount = !days[d].Any() && !manual[d].Any() ? outletsExceeding.Count
                : outletsExceeding.Concat(days[d].Select(f => f.Mn)).Concat(manual[d].Select(p => p.Mn)).Distinct(StringComparer.Ordinal).Count();
            return new TrendDay(d, (exceeding?.Hours ?? 0) + manual[d].Count(p => p.ByHour), days[d].Count() + manual[d].Count(p => !p.ByHour), outletCount);
        }).ToList();
    }
}
