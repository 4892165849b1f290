using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Results;
using EmissionMonitor.Compliance.Summaries;
using EmissionMonitor.Compliance.Totals;
using EmissionMonitor.Hj212;
using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Reports;

public sealed partial class ReportService
{
    /// <summary>
    /// Emission totals of COD, NH3-N, SO2 and NOx per outlet and pollutant, summed to the grouping asked;
    /// enterprise rows compare the year to date with the permit, province rows with the province cap
    /// (reported kg — measured and substituted — when Totals:Substitution is on). Whole days come
    /// summed from the facts; a partial edge day whose records lie outside the period is summed from
    /// its readings; substitution and the 25 % rule's counts come from the facts hour by hour.
    /// </summary>
    public async Task<IReadOnlyList<TotalResult>> TotalsAsync(ReportRequest r, CancellationToken ct)
    {
        string level = (r.By ?? "outlet") switch
        {
            "outlet" or "pollutant" => "outlet+pollutant",
            "enterprise" => "enterprise+pollutant",
            "city" => "city+pollutant",
            _ => "province+pollutant",
        };
        var yearStart = new DateTime(r.Period.To.AddTicks(-1).Year, 1, 1);
        var facts = await FactsAsync(r, LocalSpans.Min(yearStart, r.Period.From).Date, LocalSpans.CeilDay(r.Period.To), ct);
        var period = await SpanTotalsAsync(facts, r, r.Period.From, r.Period.To, ct);
        var ytd = await SpanTotalsAsync(facts, r, yearStart, r.Period.To, ct);
        var start = LocalSpans.CeilHour(r.Period.From);
        var end = LocalSpans.Min(r.Period.To, LocalSpans.FloorHour(NowLocal));
        var groups = new Dictionary<Scope, (EmissionTotal Total, double Ytd, double? Permit)>();
        var order = new List<Scope>();
        var outlets = Outlets(r).ToList();
        bool allowances = level is "enterprise+pollutant" or "province+pollutant";
        var substituted = await SubstitutionAsync(r, outlets, allowances ? [r.Period, new ReportPeriod(LocalSpans.Min(yearStart, r.Period.From), r.Period.To)] : [r.Period], ct);
        foreach (var outlet in outlets)
        {
            var enterprise = registry.EnterpriseOf(outlet);
            var (activeFrom, activeTo) = LocalSpans.Active(outlet);
            int expected = LocalSpans.HourStarts(LocalSpans.Max(start, activeFrom), LocalSpans.Min(end, activeTo));
            foreach (var pollutant in CodeCatalogue.TotalledPollutants.Where(p => r.Pollutant is null || p == r.Pollutant))
            {
                var inPeriod = period.GetValueOrDefault((outlet.Mn, pollutant));
                if (!outlet.Limits.ContainsKey(pollutant) && inPeriod.Hours == 0)
                {
                    continue;
                }

                var fills = substituted.GetValueOrDefault((outlet.Mn, pollutant));
                var (periodFill, ytdFill) = (fills?[0] ?? default, allowances ? fills?[1] ?? default : default);
                var total = inPeriod with { MissingHours = Math.Max(0, expected - inPeriod.Hours), Substituted = periodFill };
                double? permit = enterprise.Permits.TryGetValue(pollutant, out double tonnes) ? tonnes * 1000 : null;
                var key = Key(outlet, pollutant, level);
                if (!groups.TryGetValue(key, out var g))
                {
                    order.Add(key);
                    g = (default, 0, level == "enterprise+pollutant" ? permit : null);
                }

                groups[key] = (g.Total + total, g.Ytd + ytd.GetValueOrDefault((outlet.Mn, pollutant)).Kg + ytdFill.Added, g.Permit);
            }
        }

        return order.Select(k =>
        {
            var g = groups[k];
            return new TotalResult(k, r.Period, g.Total,
                Permit: level == "enterprise+pollutant" ? new AllowanceComparison(g.Permit, g.Ytd) : null,
                Cap: level == "province+pollutant" ? new AllowanceComparison(options.CapKg(yearStart.Year, k.Pollutant!), g.Ytd) : null,
                MonitoringUsable: g.Total.Substituted.MissingShare <= TotalsOptions.MaxMissingShare);
        }).OrderBy(x => x.Scope, Scope.Order).ToList();
    }

    /// <summary>kg, valid kg and records of each outlet and pollutant whose hourly records start in [from, to).</summary>
    private async Task<Dictionary<(string Mn, string Pollutant), EmissionTotal>> SpanTotalsAsync(FactSource facts, ReportRequest r, DateTime from, DateTime to, CancellationToken ct)
    {
        var fullFrom = LocalSpans.CeilDay(from);
        var fullTo = LocalSpans.Max(fullFrom, to.Date);
        var totals = new Dictionary<(string, string), EmissionTotal>();
        foreach (var (key, s) in await facts.SumsAsync(fullFrom, fullTo, null, ct))
        {
            totals[key] = new EmissionTotal(s.Kg, s.ValidKg, s.Received, 0);
        }

        foreach (var day in LocalSpans.Days(from, to).Where(d => d < fullFrom || d >= fullTo))
        {
            int hours = FactCounts.HoursIn(day, from, to);
            foreach (var group in (await facts.DaysAsync(day, day.AddDays(1), null, ct)).GroupBy(f => f.Mn))
            {
                var partial = group.Any(f => (f.PresentMask & ~hours) != 0) && registry.FindOutlet(group.Key) is { } outlet
                    ? await PartialDayAsync(outlet, LocalSpans.Max(day, from), LocalSpans.Min(day.AddDays(1), to), ct)
                    : group.ToList();
                foreach (var f in partial)
                {
                    totals[(f.Mn, f.Pollutant)] = totals.GetValueOrDefault((f.Mn, f.Pollutant)) + new EmissionTotal(f.Kg, f.ValidKg, f.Received, 0);
                }
            }
        }

        return totals;
    }

    /// <summary>An outlet's facts of the hours [from, to) of one day, from its readings.</summary>
    private async Task<List<DayFact>> PartialDayAsync(Outlet outlet, DateTime from, DateTime to, CancellationToken ct) =>
        Rules.Compute(outlet, await HourlyReadingsAsync(store, options, from, to, outlet.Mn, ct), []).Days;
}
