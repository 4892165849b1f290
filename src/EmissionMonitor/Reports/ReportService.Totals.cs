using EmissionMonitor.Compliance;
using EmissionMonitor.Hj212.Codes;

namespace EmissionMonitor.Reports;

public sealed partial class ReportService
{
    private async Task<ReportTable> TotalsAsync(ReportRequest r, CancellationToken ct)
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
        var totals = new TotalsCalculator(_rates);
        var groups = new Dictionary<string, (object?[] Key, EmissionTotal Total, double Ytd, double? Permit)>(StringComparer.Ordinal);
        var order = new List<string>();
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
                var total = totals.Total(outlet, pollutant, inPeriod, expected);
                double ytdKg = totals.Total(outlet, pollutant, ytd, 0).Kg;
                double? permit = enterprise.Permits.TryGetValue(pollutant, out double tonnes) ? tonnes * 1000 : null;
                var key = Key(outlet, pollutant, level);
                string text = KeyText(key);
                if (!groups.TryGetValue(text, out var g))
                {
                    order.Add(text);
                    g = (key, default, 0, level == "enterprise+pollutant" ? permit : null);
                }

                groups[text] = (key, g.Total + total, g.Ytd + ytdKg, g.Permit);
            }
        }

        bool enterpriseRows = level == "enterprise+pollutant";
        bool provinceRows = level == "province+pollutant";
        var columns = Columns("from", "to", "kg", "validKg", "hours", "missingHours").ToList();
        if (enterpriseRows)
        {
            columns.AddRange(["permitKg", "ytdKg", "overTotal"]);
        }

        if (provinceRows)
        {
            columns.AddRange(["capKg", "ytdKg", "overCap"]);
        }

        var rows = order.Select(k => groups[k]).Select(g =>
        {
            var values = new List<object?> { Local(r.Period.From), Local(r.Period.To), g.Total.Kg, g.Total.ValidKg, g.Total.Hours, g.Total.MissingHours };
            if (enterpriseRows)
            {
                values.AddRange([g.Permit, g.Ytd, g.Permit is { } p && g.Ytd > p]);
            }

            if (provinceRows)
            {
                double? cap = options.CapKg(yearStart.Year, (string)g.Key[4]!);
                values.AddRange([cap, g.Ytd, cap is { } c && g.Ytd > c]);
            }

            return g.Key.Concat(values).ToArray();
        }).ToList();
        return new ReportTable(columns, Sorted(rows));
    }
}
