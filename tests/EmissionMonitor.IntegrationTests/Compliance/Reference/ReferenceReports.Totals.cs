using EmissionMonitor.Compliance.Results;
using EmissionMonitor.Compliance.Totals;
using EmissionMonitor.Hj212.Codes;

using EmissionMonitor.Reports;

namespace EmissionMonitor.IntegrationTests.Compliance.Reference;

public sealed partial class ReferenceReports
{
    /// <summary>
    /// Emission totals of COD, NH3-N, SO2 and NOx per outlet and pollutant, summed to the grouping asked;
    /// enterprise rows compare the year to date with the permit, province rows with the province cap.
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
        var from = yearStart < r.Period.From ? yearStart : r.Period.From;
        var hourly = await HourlyAsync(from, r.Period.To, r.Mn, ct);
        var totals = new TotalsCalculator(_rates.Validity);
        bool allowances = level is "enterprise+pollutant" or "province+pollutant";
        var groups = new Dictionary<Scope, (EmissionTotal Total, double Ytd, double? Permit)>();
        var order = new List<Scope>();
        foreach (var outlet in Outlets(r))
        {
            var all = hourly[outlet.Mn].ToList();
            var inPeriod = all.Where(x => x.Period >= r.Period.From && x.Period < r.Period.To).ToList();
            var ytd = all.Where(x => x.Period >= yearStart).ToList();
            var enterprise = registry.EnterpriseOf(outlet);
            foreach (var pollutant in CodeCatalogue.TotalledPollutants.Where(p => r.Pollutant is null || p == r.Pollutant))
            {
                if (!outlet.Limits.ContainsKey(pollutant) && !inPeriod.Any(x => x.Pollutant == pollutant))
                {
                    continue;
                }

                int expected = _rates.Hours(outlet, pollutant, r.Period, NowLocal, [], []).Count;
                var ytdFrom = yearStart < r.Period.From ? yearStart : r.Period.From;
                var filled = await FilledAsync(outlet, pollutant, allowances ? ytdFrom : r.Period.From, r.Period.To, ct);
                var periodFill = filled.Sum(r.Period.From, r.Period.To);
                var ytdFill = allowances ? filled.Sum(ytdFrom, r.Period.To) : default;
                var total = totals.Total(outlet, pollutant, inPeriod, expected) with { Substituted = periodFill };
                double ytdKg = totals.Total(outlet, pollutant, ytd, 0).Kg + ytdFill.Added;
                double? permit = enterprise.Permits.TryGetValue(pollutant, out double tonnes) ? tonnes * 1000 : null;
                var key = Key(outlet, pollutant, level);
                if (!groups.TryGetValue(key, out var g))
                {
                    order.Add(key);
                    g = (default, 0, level == "enterprise+pollutant" ? permit : null);
                }

                groups[key] = (g.Total + total, g.Ytd + ytdKg, g.Permit);
            }
        }

        return order.Select(k =>
        {
            var g = groups[k];
            return new TotalResult(k, r.Period, g.Total,
                Permit: level == "enterprise+pollutant" ? new AllowanceComparison(g.Permit, g.Ytd) : null,
                Cap: level == "province+pollutant" ? new AllowanceComparison(options.CapKg(yearStart.Year, k.Pollutant!), g.Ytd) : null,
                MonitoringUsable: g.Total.Substituted.MissingShare <= Totals.MaxMissingShare);
        }).OrderBy(x => x.Scope, Scope.Order).ToList();
    }
}
