using System.Globalization;
using EmissionMonitor.Compliance.Means;
using EmissionMonitor.Compliance.Results;
using EmissionMonitor.Compliance.Summaries;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Reports;

public sealed partial class ReportService
{
    /// <summary>
    /// Means of each assessed pollutant per day, month, quarter or year (<see cref="ReportRequest.Unit"/>,
    /// day by default) with the validity counts of HJ 75/76 (<see cref="MeanRules"/>), read from the day
    /// facts one outlet at a time. Rows per outlet are known before any is read (units × pollutants),
    /// so a page reads only its outlets.
    /// </summary>
    public async Task<(int Total, ReportTable Page)> MeansPageAsync(ReportRequest r, int offset, int limit, CancellationToken ct)
    {
        var outlets = Outlets(r).ToList();
        int units = new MeanRules(options).Means(r.Unit ?? "day", r.Period.From, r.Period.To, new Dictionary<DateTime, DayFact>()).Count;
        int total = 0;
        var inPage = new List<Outlet>();
        int skip = 0;
        foreach (var outlet in outlets)
        {
            int n = units * Assessed(outlet, r).Length;
            if (n > 0 && total + n > offset && total < (long)offset + limit)
            {
                skip = inPage.Count == 0 ? offset - total : skip;
                inPage.Add(outlet);
            }

            total += n;
        }

        var rows = new List<(Scope, UnitMean)>();
        var facts = await FactSource.OpenAsync(store, Rules, inPage, r.Period.From.Date, LocalSpans.CeilDay(r.Period.To), r.Mn, ct);
        foreach (var outlet in inPage)
        {
            rows.AddRange(await OutletMeansAsync(facts, outlet, r, ct));
        }

        return (total, ReportTables.Means(rows.Skip(skip).Take(limit).ToList(), timeZone));
    }

    /// <summary>The means table in parts of <paramref name="outletsPerPart"/> outlets (downloads and the command line never hold a province's days at once).</summary>
    public async IAsyncEnumerable<ReportTable> StreamMeansTablesAsync(ReportRequest r, int outletsPerPart, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var outlets = Outlets(r).ToList();
        bool any = false;
        foreach (var part in outlets.Chunk(outletsPerPart))
        {
            var facts = await FactSource.OpenAsync(store, Rules, part, r.Period.From.Date, LocalSpans.CeilDay(r.Period.To), r.Mn, ct);
            var rows = new List<(Scope, UnitMean)>();
            foreach (var outlet in part)
            {
                rows.AddRange(await OutletMeansAsync(facts, outlet, r, ct));
            }

            any = true;
            yield return ReportTables.Means(rows, timeZone);
        }

        if (!any)
        {
            yield return ReportTables.Means([], timeZone);
        }
    }

    private async Task<List<(Scope, UnitMean)>> OutletMeansAsync(FactSource facts, Outlet outlet, ReportRequest r, CancellationToken ct)
    {
        var byPollutant = (await facts.DaysAsync(r.Period.From.Date, LocalSpans.CeilDay(r.Period.To), outlet.Mn, ct)).ToLookup(f => f.Pollutant, StringComparer.Ordinal);
        var rules = new MeanRules(options);
        var rows = new List<(Scope, UnitMean)>();
        foreach (var pollutant in Assessed(outlet, r))
        {
            var days = byPollutant[pollutant].ToDictionary(f => f.Day);
            rows.AddRange(rules.Means(r.Unit ?? "day", r.Period.From, r.Period.To, days).Select(m => (Key(outlet, pollutant, "pollutant"), m)));
        }

        return rows;
    }

    /// <summary>A unit's name as people write it: 2025-07-01, 2025-07, 2025Q3, 2025.</summary>
    public static string UnitName(UnitMean m) => m.Unit switch
    {
        "day" => m.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        "month" => m.From.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        "quarter" => Compliance.ReportPeriod.QuarterName(m.From),
        _ => m.From.Year.ToString(CultureInfo.InvariantCulture),
    };
}
