using EmissionMonitor.Compliance;
using EmissionMonitor.Hj212.Codes;

namespace EmissionMonitor.Reports;

/// <summary>
/// One row of the city target barometer (晴雨表): a city's (or, with <see cref="City"/> null, the
/// province's) year-to-date emissions of a pollutant against its allocation, the pace, the level,
/// and its effective transmission rate this quarter against the threshold.
/// </summary>
public sealed record BarometerResult(
    string? City,
    string Pollutant,
    double AllocationKg,
    double YtdKg,
    double ExpectedToDateKg,
    double? Progress,
    double? ProjectedKg,
    string Level,
    double? EffectiveRate,
    bool BelowThreshold);

public sealed partial class ReportService
{
    /// <summary>
    /// The barometer of <paramref name="year"/> for every city with targets
    /// (<c>Compliance:CityTargets</c>) and for the province (the sum of the cities' allocations):
    /// <c>ytdKg</c> is the totals' reported kg (kg, and what substitution adds when Totals:Substitution is on) from 1 January to now (to the year's end for a past year);
    /// <c>expectedToDateKg</c> the allocation × the elapsed share of the year; <c>progress</c> their
    /// ratio (null before the year starts); <c>projectedKg</c> the year end at that pace; the level
    /// from the progress; the effective rate of the current quarter (the year's last for a past year).
    /// </summary>
    public async Task<IReadOnlyList<BarometerResult>> BarometerAsync(int year, BarometerOptions levels, CancellationToken ct)
    {
        var targets = options.TargetsOf(year);
        if (targets.Count == 0)
        {
            return [];
        }

        var yearStart = new DateTime(year, 1, 1);
        var yearEnd = yearStart.AddYears(1);
        var now = NowLocal;
        var to = now < yearStart ? yearStart : now < yearEnd ? now : yearEnd;
        double elapsed = (to - yearStart).TotalSeconds / (yearEnd - yearStart).TotalSeconds;
        var period = new ReportPeriod(yearStart, to > yearStart ? to : yearStart.AddHours(1));
        var cities = (await TotalsAsync(new ReportRequest("totals", period, By: "city"), ct)).ToDictionary(t => (t.Scope.City, t.Scope.Pollutant), t => t.Total.ReportedKg);
        var province = (await TotalsAsync(new ReportRequest("totals", period, By: "province"), ct)).ToDictionary(t => t.Scope.Pollutant!, t => t.Total.ReportedKg);
        if (elapsed == 0)
        {
            cities.Clear(); // the year has not begun: nothing is emitted in it yet
            province.Clear();
        }

        var quarterStart = new DateTime(to.AddTicks(-1).Year, ((to.AddTicks(-1).Month - 1) / 3 * 3) + 1, 1);
        var quarter = new ReportPeriod(quarterStart, quarterStart.AddMonths(3));
        var cityRates = (await RatesAsync(new ReportRequest("rates", quarter, By: "city"), ct)).ToDictionary(r => r.Scope.City ?? string.Empty, r => r);
        var provinceRate = await RatesAsync(new ReportRequest("rates", quarter, By: "province"), ct) is [var whole, ..] ? whole : null;

        BarometerResult Row(string? city, string pollutant, double allocationKg, double ytdKg, Compliance.Results.RateResult? rate)
        {
            double expected = allocationKg * elapsed;
            double? progress = expected > 0 ? ytdKg / expected : null;
            return new BarometerResult(city, pollutant, allocationKg, ytdKg, expected, progress, elapsed > 0 ? ytdKg / elapsed : null, levels.Level(progress),
                rate?.Counts.EffectiveRate, rate?.BelowThreshold ?? false);
        }

        var rows = new List<BarometerResult>();
        foreach (var (city, byCode) in targets.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            foreach (var code in CodeCatalogue.TotalledPollutants.Where(byCode.ContainsKey))
            {
                rows.Add(Row(city, code, byCode[code] * 1000, cities.GetValueOrDefault((city, code)), cityRates.GetValueOrDefault(city)));
            }
        }

        foreach (var code in CodeCatalogue.TotalledPollutants)
        {
            var allocated = targets.Values.Where(t => t.ContainsKey(code)).Sum(t => t[code]) * 1000;
            if (allocated > 0)
            {
                rows.Add(Row(null, code, allocated, province.GetValueOrDefault(code), provinceRate));
            }
        }

        return rows;
    }
}
