using System.Text.Json;
using EmissionMonitor.Compliance;
using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Reports;

public sealed partial class ReportService
{
    /// <summary>Quarters before the first one asked that are evaluated for escalation.</summary>
    private const int HistoryQuarters = 8;

    /// <summary>The card rule in force (configuration section Cards).</summary>
    public CardOptions CardOptions { get; init; } = new();

    private async Task<ReportTable> CardsAsync(ReportRequest r, CancellationToken ct)
    {
        var asked = QuartersIn(r.Period);
        var first = ReportPeriod.Quarter(asked[0])!.From.AddMonths(-3 * HistoryQuarters);
        var last = ReportPeriod.Quarter(asked[^1])!.To;
        var quarters = new List<ReportPeriod>();
        for (var q = first; q < last; q = q.AddMonths(3))
        {
            quarters.Add(new ReportPeriod(q, q.AddMonths(3)));
        }

        var yearStart = new DateTime(first.Year, 1, 1);
        var hourly = await HourlyAsync(yearStart, last, r.Mn, ct);
        var daily = (await store.QueryReadingsAsync(new Storage.ReadingQuery("2031", first, last, r.Mn), ct)).ToLookup(x => x.Mn, StringComparer.Ordinal);
        var lifts = (await store.QueryCardLiftsAsync(ct)).Where(l => l.Revoked is null).ToList();
        var engine = new CardEngine(CardOptions);
        var rows = new List<object?[]>();
        foreach (var enterprise in Outlets(r).Select(o => registry.EnterpriseOf(o)).Distinct())
        {
            var conditions = quarters.Select(q => (ReportPeriod.QuarterName(q.From), (IReadOnlyList<string>)Conditions(enterprise, q, hourly, daily, engine))).ToList();
            foreach (var card in engine.Cards(enterprise.Id, conditions, lifts).Where(c => asked.Contains(c.Quarter)))
            {
                object? lifted = card.Lifted is { } l
                    ? JsonSerializer.SerializeToElement(new Dictionary<string, string?>
                    {
                        ["at"] = l.At.ToOffset(timeZone.GetUtcOffset(l.At)).ToString(ReportFormats.TimeFormat, System.Globalization.CultureInfo.InvariantCulture),
                        ["by"] = l.By,
                        ["comment"] = l.Comment,
                    })
                    : null;
                rows.Add([null, enterprise.Id, enterprise.Name, enterprise.City, null, card.Quarter, card.Colour, card.Reasons, lifted]);
            }
        }

        var sorted = rows.OrderBy(x => x[3] as string, StringComparer.Ordinal).ThenBy(x => x[1] as string, StringComparer.Ordinal)
            .ThenBy(x => x[5] as string, StringComparer.Ordinal).ToList();
        return new ReportTable(Columns("quarter", "card", "reasons", "lifted").ToList(), sorted);
    }

    private List<string> Conditions(Enterprise enterprise, ReportPeriod quarter, ILookup<string, Reading> hourly, ILookup<string, Reading> daily, CardEngine engine)
    {
        var reasons = new List<string>();
        var detector = new ExceedanceDetector(options, _rates);
        var totals = new TotalsCalculator(_rates);
        var ytd = new Dictionary<string, double>(StringComparer.Ordinal);
        var yearStart = new DateTime(quarter.From.Year, 1, 1);
        foreach (var outlet in enterprise.Outlets)
        {
            var outletHourly = hourly[outlet.Mn].Where(x => x.Period >= yearStart && x.Period < quarter.To).ToList();
            var inQuarter = outletHourly.Where(x => x.Period >= quarter.From).ToList();
            var outletDaily = daily[outlet.Mn].Where(x => x.Period >= quarter.From && x.Period < quarter.To).ToList();
            foreach (var pollutant in CodeCatalogue.TotalledPollutants)
            {
                if (outlet.Limits.ContainsKey(pollutant))
                {
                    var periods = CardPeriods(detector, outlet, pollutant, inQuarter, outletDaily);
                    if (engine.ExceedanceReason(pollutant, outlet.Mn, periods.Count(p => p.Exceeds), periods.Count) is { } reason)
                    {
                        reasons.Add(reason);
                    }
                }

                ytd[pollutant] = ytd.GetValueOrDefault(pollutant) + totals.Total(outlet, pollutant, outletHourly, 0).Kg;
            }
        }

        foreach (var (pollutant, tonnes) in enterprise.Permits.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (ytd.GetValueOrDefault(pollutant) > tonnes * 1000)
            {
                reasons.Add(CardEngine.OverTotalReason(pollutant, ytd[pollutant], tonnes * 1000));
            }
        }

        return reasons;
    }

    /// <summary>The valid periods a card counts: the exceedance basis, or valid daily means for both kinds (Cards:Basis=day).</summary>
    private IReadOnlyList<AssessedPeriod> CardPeriods(ExceedanceDetector detector, Outlet outlet, string pollutant, List<Reading> hourly, List<Reading> daily)
    {
        var periods = detector.Assess(outlet, pollutant, hourly, daily);
        if (CardOptions.Basis != "day" || outlet.Kind == MediumKind.Water)
        {
            return periods;
        }

        var limit = outlet.Limits[pollutant];
        return periods.GroupBy(p => p.Start.Date).Where(g => g.Count() >= CardOptions.GasDailyMinHours).Select(g =>
        {
            double mean = g.Average(p => p.Value);
            bool exceeds = limit.Max is { } max && mean > max;
            return new AssessedPeriod(g.Key, g.Key.AddDays(1), mean, g.First().ValueKind, exceeds ? limit.Max : null, false);
        }).ToList();
    }

    private static List<string> QuartersIn(ReportPeriod period)
    {
        var list = new List<string>();
        for (var q = ReportPeriod.QuarterOf(period.From).From; q < period.To; q = q.AddMonths(3))
        {
            list.Add(ReportPeriod.QuarterName(q));
        }

        return list;
    }
}
