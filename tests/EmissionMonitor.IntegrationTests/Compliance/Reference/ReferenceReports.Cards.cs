using EmissionMonitor.Storage;
using EmissionMonitor.Hj212;
using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Cards;
using EmissionMonitor.Compliance.Results;

using EmissionMonitor.Reports;

namespace EmissionMonitor.IntegrationTests.Compliance.Reference;

public sealed partial class ReferenceReports
{
    /// <summary>The card rule in force (configuration section Cards).</summary>
    public CardOptions CardOptions { get; init; } = new();

    /// <summary>The cards of every quarter overlapping the period, escalation judged over <see cref="CardConditions.HistoryQuarters"/> earlier ones.</summary>
    public async Task<IReadOnlyList<CardResult>> CardsAsync(ReportRequest r, CancellationToken ct)
    {
        var asked = QuartersIn(r.Period);
        var first = ReportPeriod.Quarter(asked[0])!.From.AddMonths(-3 * CardConditions.HistoryQuarters);
        var last = ReportPeriod.Quarter(asked[^1])!.To;
        var quarters = new List<ReportPeriod>();
        for (var q = first; q < last; q = q.AddMonths(3))
        {
            quarters.Add(new ReportPeriod(q, q.AddMonths(3)));
        }

        var yearStart = new DateTime(first.Year, 1, 1);
        var hourly = await HourlyAsync(yearStart, last, r.Mn, ct);
        var daily = (await store.QueryReadingsAsync(new EmissionMonitor.Storage.ReadingQuery(Cns.Daily, first, last, r.Mn), ct)).ToLookup(x => x.Mn, StringComparer.Ordinal);
        var lifts = (await records.QueryCardLiftsAsync(ct)).Where(l => l.Revoked is null).ToList();
        var decisions = await records.QueryCardDecisionsAsync(ct);
        var conditions = new CardConditions(options, CardOptions);
        var engine = new CardEngine(CardOptions);
        var results = new List<CardResult>();
        foreach (var enterprise in Outlets(r).Select(o => registry.EnterpriseOf(o)).Distinct())
        {
            // Substitution over every quarter and its year to date, looked back from the first year judged, filled once per outlet and pollutant.
            var filled = new Dictionary<(string, string), Filled>();
            foreach (var outlet in enterprise.Outlets.Where(o => r.Mn is null || o.Mn == r.Mn))
            {
                foreach (var pollutant in EmissionMonitor.Hj212.Codes.CodeCatalogue.TotalledPollutants)
                {
                    filled[(outlet.Mn, pollutant)] = await FilledAsync(outlet, pollutant, yearStart, last, ct);
                }
            }

            var met = new List<(string, IReadOnlyList<CardReason>)>();
            foreach (var q in quarters)
            {
                met.Add((ReportPeriod.QuarterName(q.From), conditions.Reasons(enterprise, q, hourly, daily,
                    (mn, p) => filled.TryGetValue((mn, p), out var f) ? (f.Sum(q.From, q.To), f.Sum(new DateTime(q.From.Year, 1, 1), q.To)) : default, Totals)));
            }

            foreach (var card in engine.Cards(enterprise.Id, met, lifts, decisions).Where(c => asked.Contains(c.Quarter)))
            {
                results.Add(new CardResult(new Scope(null, enterprise.Id, enterprise.Name, enterprise.City, null), card));
            }
        }

        return results.OrderBy(x => x.Scope.City, StringComparer.Ordinal).ThenBy(x => x.Scope.Enterprise, StringComparer.Ordinal)
            .ThenBy(x => x.Card.Quarter, StringComparer.Ordinal).ToList();
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
