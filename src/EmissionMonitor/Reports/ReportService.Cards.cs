using EmissionMonitor.Storage;
using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Cards;
using EmissionMonitor.Compliance.Exceedance;
using EmissionMonitor.Compliance.Results;
using EmissionMonitor.Compliance.Summaries;
using EmissionMonitor.Compliance.Totals;
using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Reports;

public sealed partial class ReportService
{
    /// <summary>The card rule in force (configuration section Cards).</summary>
    public CardOptions CardOptions => cards;

    /// <summary>
    /// The cards of every quarter overlapping the period, escalation judged over
    /// <see cref="CardConditions.HistoryQuarters"/> earlier ones: each quarter's conditions from the
    /// facts summed over the quarter (one row per outlet and pollutant), the year to date from the
    /// quarters of its year.
    /// </summary>
    public async Task<IReadOnlyList<CardResult>> CardsAsync(ReportRequest r, CancellationToken ct)
    {
        var asked = QuartersIn(r.Period);
        var first = ReportPeriod.Quarter(asked[0])!.From.AddMonths(-3 * CardConditions.HistoryQuarters);
        var last = ReportPeriod.Quarter(asked[^1])!.To;
        var yearStart = new DateTime(first.Year, 1, 1);
        var facts = await FactsAsync(r, yearStart, last, ct);
        var sums = new List<(ReportPeriod Quarter, Dictionary<(string Mn, string Pollutant), FactSums> Sums)>();
        for (var q = yearStart; q < last; q = q.AddMonths(3))
        {
            sums.Add((new ReportPeriod(q, q.AddMonths(3)), await facts.SumsAsync(q, q.AddMonths(3), null, ct)));
        }

        // Substitution over every judged quarter and its year to date, in one pass: over-total compares
        // reported kg, and a quarter whose monitoring cannot stand as the emissions is a reason of its own.
        var judged = sums.Where(s => s.Quarter.From >= first).Select(s => s.Quarter).ToList();
        var fills = await SubstitutionAsync(r with { Pollutant = null }, Outlets(r).ToList(),
            judged.SelectMany(q => new[] { q, new ReportPeriod(new DateTime(q.From.Year, 1, 1), q.To) }).ToArray(), ct);
        var lifts = (await store.QueryCardLiftsAsync(ct)).Where(l => l.Revoked is null).ToList();
        var decisions = await store.QueryCardDecisionsAsync(ct);
        var engine = new CardEngine(cards);
        var results = new List<CardResult>();
        foreach (var enterprise in Outlets(r).Select(o => registry.EnterpriseOf(o)).Distinct())
        {
            var met = sums.Where(s => s.Quarter.From >= first)
                .Select(s => (ReportPeriod.QuarterName(s.Quarter.From), (IReadOnlyList<CardReason>)Reasons(engine, enterprise, s.Quarter, sums,
                    (mn, pollutant) => fills.GetValueOrDefault((mn, pollutant)) is { } f ? (f[2 * judged.IndexOf(s.Quarter)], f[(2 * judged.IndexOf(s.Quarter)) + 1]) : default)))
                .ToList();
            foreach (var card in engine.Cards(enterprise.Id, met, lifts, decisions).Where(c => asked.Contains(c.Quarter)))
            {
                results.Add(new CardResult(new Scope(null, enterprise.Id, enterprise.Name, enterprise.City, null, null, enterprise.PermitNumber), card));
            }
        }

        return results.OrderBy(x => x.Scope.City, StringComparer.Ordinal).ThenBy(x => x.Scope.Enterprise, StringComparer.Ordinal)
            .ThenBy(x => x.Card.Quarter, StringComparer.Ordinal).ToList();
    }

    /// <summary>The yellow-card reasons of an enterprise in a quarter (DOMAIN.md section 0), from the quarters' summed facts.</summary>
    private List<CardReason> Reasons(CardEngine engine, Enterprise enterprise, ReportPeriod quarter,
        List<(ReportPeriod Quarter, Dictionary<(string Mn, string Pollutant), FactSums> Sums)> sums,
        Func<string, string, (SubstitutionSums Quarter, SubstitutionSums Ytd)> substituted)
    {
        var reasons = new List<CardReason>();
        var inQuarter = sums.First(s => s.Quarter == quarter).Sums;
        var ytd = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var outlet in enterprise.Outlets)
        {
            foreach (var pollutant in CodeCatalogue.TotalledPollutants)
            {
                var s = inQuarter.GetValueOrDefault((outlet.Mn, pollutant));
                if (outlet.Limits.TryGetValue(pollutant, out var limit))
                {
                    var (exceeding, valid) = cards.Basis == "day" && outlet.Kind == MediumKind.Gas ? (s.GasExceeding, s.GasDays)
                        : ExceedanceDetector.Basis(outlet, limit) == "hour" ? (s.Exceeding, s.Valid)
                        : (s.WaterExceeding, s.WaterDays);
                    if (engine.ExceedanceReason(pollutant, outlet.Mn, exceeding, valid) is { } reason)
                    {
                        reasons.Add(reason);
                    }

                    if (cards.MonitoringUnusable && substituted(outlet.Mn, pollutant).Quarter is { Expected: > 0 } q && q.MissingShare > TotalsOptions.MaxMissingShare)
                    {
                        reasons.Add(CardReason.OfMonitoringUnusable(pollutant, outlet.Mn, q.MissingShare, TotalsOptions.MaxMissingShare));
                    }
                }

                ytd[pollutant] = ytd.GetValueOrDefault(pollutant) + sums
                    .Where(q => q.Quarter.From.Year == quarter.From.Year && q.Quarter.From <= quarter.From)
                    .Sum(q => q.Sums.GetValueOrDefault((outlet.Mn, pollutant)).Kg) + substituted(outlet.Mn, pollutant).Ytd.Added;
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
