using EmissionMonitor.Compliance.Exceedance;
using EmissionMonitor.Compliance.Rates;
using EmissionMonitor.Compliance.Totals;
using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Compliance.Cards;

/// <summary>
/// The yellow-card conditions of DOMAIN.md section 0 for one enterprise and quarter: for each
/// totalled pollutant at each outlet, the exceeding share of valid periods (the exceedance basis, or
/// valid daily means for both kinds with <c>Cards:Basis=day</c>) against <c>Cards:YellowRate</c>;
/// and the enterprise's year-to-date total at the end of the quarter against its permit. Pure:
/// readings in, reasons out.
/// </summary>
public sealed class CardConditions(ComplianceOptions options, CardOptions cards)
{
    /// <summary>Quarters before the first one asked that are evaluated for escalation.</summary>
    public const int HistoryQuarters = 8;

    private readonly RateCalculator _rates = new(options);

    /// <summary>The card options in force.</summary>
    public CardOptions Options => cards;

    /// <summary>
    /// The reasons met in <paramref name="quarter"/> (empty when none), from hourly readings of the year
    /// so far and daily ones of the quarter; <paramref name="substituted"/> gives an outlet's pollutant's
    /// substitution over the quarter and its year to date under <paramref name="totals"/> (none when null).
    /// </summary>
    public List<CardReason> Reasons(Enterprise enterprise, ReportPeriod quarter, ILookup<string, Reading> hourly, ILookup<string, Reading> daily,
        Func<string, string, (SubstitutionSums Quarter, SubstitutionSums Ytd)>? substituted = null, TotalsOptions? totals = null)
    {
        var reasons = new List<CardReason>();
        var engine = new CardEngine(cards);
        var detector = new ExceedanceDetector(options, _rates.Validity);
        var calculator = new TotalsCalculator(_rates.Validity);
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
                    var periods = Periods(detector, outlet, pollutant, inQuarter, outletDaily);
                    if (engine.ExceedanceReason(pollutant, outlet.Mn, periods.Count(p => p.Exceeds), periods.Count) is { } reason)
                    {
                        reasons.Add(reason);
                    }

                    if (cards.MonitoringUnusable && totals is not null && substituted?.Invoke(outlet.Mn, pollutant).Quarter is { Expected: > 0 } q && q.MissingShare > totals.MaxMissingShare)
                    {
                        reasons.Add(CardReason.OfMonitoringUnusable(pollutant, outlet.Mn, q.MissingShare, totals.MaxMissingShare));
                    }
                }

                double added = substituted?.Invoke(outlet.Mn, pollutant).Ytd.Added ?? 0; // none when substitution is off
                ytd[pollutant] = ytd.GetValueOrDefault(pollutant) + calculator.Total(outlet, pollutant, outletHourly, 0).Kg + added;
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
    private IReadOnlyList<AssessedPeriod> Periods(ExceedanceDetector detector, Outlet outlet, string pollutant, List<Reading> hourly, List<Reading> daily)
    {
        var periods = detector.Assess(outlet, pollutant, hourly, daily);
        if (cards.Basis != "day" || outlet.Kind == MediumKind.Water)
        {
            return periods;
        }

        var limit = outlet.Limits[pollutant];
        return periods.GroupBy(p => p.Start.Date).Where(g => g.Count() >= cards.GasDailyMinHours).Select(g =>
        {
            double mean = g.Average(p => p.Value);
            bool exceeds = limit.Max is { } max && mean > max;
            return new AssessedPeriod(g.Key, g.Key.AddDays(1), mean, g.First().ValueKind, exceeds ? limit.Max : null, false);
        }).ToList();
    }
}
