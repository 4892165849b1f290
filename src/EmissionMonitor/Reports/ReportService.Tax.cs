using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Exceedance;
using EmissionMonitor.Compliance.Results;
using EmissionMonitor.Compliance.Summaries;
using EmissionMonitor.Compliance.Tax;
using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Reports;

public sealed partial class ReportService
{
    /// <summary>Outlets whose facts one step of the tax pre-check reads together.</summary>
    private const int TaxOutletsPerRead = 50;

    /// <summary>
    /// The environmental-tax pre-check of the request's month (<see cref="TaxCalculator"/>): per outlet
    /// and taxable pollutant (Tax:Equivalents) that it limits or totals, kg as <c>report totals</c>
    /// gives it for COD, NH3-N, SO2 and NOx (reported kg: measured, manual and substituted) and the
    /// facts' kg for the others; the month's concentration from the valid hourly (gas) or daily (water)
    /// means of the facts; the valid means above the limit, approved manual samples' included; the
    /// 25 % rule from the totals. Read 50 outlets at a time, never the whole store.
    /// </summary>
    public async Task<List<(Scope Scope, TaxLine Line)>> TaxAsync(ReportRequest r, TaxOptions tax, CancellationToken ct)
    {
        var calculator = new TaxCalculator(tax);
        var outlets = Outlets(r).ToList();
        var totals = new Dictionary<(string Mn, string Pollutant), TotalResult>();
        foreach (var t in await TotalsAsync(r with { Kind = "totals", By = "outlet" }, ct))
        {
            totals[(t.Scope.Mn!, t.Scope.Pollutant!)] = t;
        }

        var (from, to) = (r.Period.From.Date, LocalSpans.CeilDay(r.Period.To));
        var pollutants = tax.Equivalents.Keys.Where(p => r.Pollutant is null || p == r.Pollutant).Order(StringComparer.Ordinal).ToList();
        var facts = await FactSource.OpenAsync(store, Rules, outlets, from, to, r.Mn, ct);
        var rows = new List<(Scope, TaxLine)>();
        foreach (var part in outlets.Chunk(TaxOutletsPerRead))
        {
            var days = (await facts.DaysOfAsync(from, to, part.Select(o => o.Mn).ToList(), pollutants, ct)).ToLookup(f => (f.Mn, f.Pollutant));
            var manual = await ManualPeriodsAsync(r, part, facts, r.Period.From, r.Period.To, ct);
            foreach (var outlet in part)
            {
                var measures = new List<TaxMeasure>();
                foreach (var pollutant in pollutants)
                {
                    var month = days[(outlet.Mn, pollutant)].ToList();
                    bool totalled = totals.TryGetValue((outlet.Mn, pollutant), out var total);
                    if (!totalled && month.Count == 0 && !outlet.Limits.ContainsKey(pollutant))
                    {
                        continue;
                    }

                    double kg = totalled ? total!.Total.ReportedKg : TaxCalculator.Kilograms(pollutant, month.Sum(f => f.Kg));
                    var (concentration, exceeding) = MonthMeans(outlet, pollutant, month);
                    exceeding += manual.GetValueOrDefault((outlet.Mn, pollutant))?.Count(p => p.Exceeds) ?? 0;
                    measures.Add(new TaxMeasure(outlet.Mn, pollutant, outlet.Kind, kg, concentration,
                        outlet.Limits.TryGetValue(pollutant, out var limit) ? limit.Max : null, exceeding, !totalled || total!.MonitoringUsable));
                }

                rows.AddRange(calculator.Outlet(measures).Select(l => (Key(outlet, l.Measure.Pollutant, "pollutant"), l)));
            }
        }

        return rows;
    }

    /// <summary>
    /// The month's concentration of one outlet's pollutant and its valid means above the limit: on the
    /// hourly basis (gas) the mean of the valid hourly means and the exceeding hours; on the daily basis
    /// (water) the mean of the valid daily means and the exceeding days.
    /// </summary>
    private (double? Concentration, int Exceeding) MonthMeans(Outlet outlet, string pollutant, List<DayFact> month)
    {
        if (!outlet.Limits.TryGetValue(pollutant, out var limit))
        {
            return (null, 0);
        }

        if (ExceedanceDetector.Basis(outlet, limit) == "hour")
        {
            int valid = month.Sum(f => f.ValidCount);
            return (valid > 0 ? month.Sum(f => f.ValueSum) / valid : null, month.Sum(f => f.ExceedCount));
        }

        var dayMeans = month.Select(f => f.WaterDayValue(options.WaterDailyMinHours)).OfType<double>().ToList();
        return (dayMeans.Count > 0 ? dayMeans.Average() : null, month.Count(f => f.DayState == DayStates.Exceeding));
    }
}
