using EmissionMonitor.Compliance.Exceedance;
using EmissionMonitor.Compliance.Results;
using EmissionMonitor.Compliance.Tax;
using EmissionMonitor.Compliance.Totals;
using EmissionMonitor.Hj212;
using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Reports;

namespace EmissionMonitor.IntegrationTests.Compliance.Reference;

public sealed partial class ReferenceReports
{
    /// <summary>
    /// The tax pre-check of a month recomputed from the readings, the rules written out here from
    /// DOMAIN.md §0.3 without the service's <see cref="TaxCalculator"/>: kg from this reference's totals
    /// (reported kg) or summed from the hourly records; the month's concentration the mean of the valid
    /// periods the exceedance rule assesses (hours, or water days); the exceeding periods with approved
    /// manual samples'; reductions; items ranked by equivalents (ties to the lower code).
    /// </summary>
    public async Task<ReportTable> TaxAsync(ReportRequest r, TaxOptions tax, CancellationToken ct)
    {
        var totals = (await TotalsAsync(r with { By = "outlet" }, ct)).ToDictionary(t => (t.Scope.Mn!, t.Scope.Pollutant!));
        var from = r.Period.From - ExceedanceDetector.EpisodeMargin;
        var hourly = await HourlyAsync(from, r.Period.To, r.Mn, ct);
        var daily = (await store.QueryReadingsAsync(new EmissionMonitor.Storage.ReadingQuery(Cns.Daily, from, r.Period.To, r.Mn), ct)).ToLookup(x => x.Mn, StringComparer.Ordinal);
        var detector = new ExceedanceDetector(options, _rates.Validity);
        var calculator = new TotalsCalculator(_rates.Validity);
        var rows = new List<(Scope, TaxLine)>();
        foreach (var outlet in Outlets(r))
        {
            var outletHourly = hourly[outlet.Mn].ToList();
            var inMonth = outletHourly.Where(x => x.Period >= r.Period.From && x.Period < r.Period.To).ToList();
            var lines = new List<TaxLine>();
            foreach (var code in tax.Equivalents.Keys.Where(p => r.Pollutant is null || p == r.Pollutant).Order(StringComparer.Ordinal))
            {
                bool totalled = totals.TryGetValue((outlet.Mn, code), out var total);
                bool limited = outlet.Limits.TryGetValue(code, out var limit);
                if (!totalled && !limited)
                {
                    continue;
                }

                double kg = totalled ? total!.Total.ReportedKg : calculator.Total(outlet, code, inMonth, 0).Kg * (CodeCatalogue.Find(code)?.CouUnit == "g" ? 0.001 : 1);
                double? concentration = null;
                int exceeding = 0;
                if (limited)
                {
                    string basis = ExceedanceDetector.Basis(outlet, limit!);
                    var assessed = detector.Assess(outlet, code, outletHourly, daily[outlet.Mn].ToList());
                    var month = assessed.Where(p => p.Start >= r.Period.From && p.Start < r.Period.To).ToList();
                    concentration = month.Count > 0 ? month.Average(p => p.Value) : null;
                    exceeding = (await WithManualAsync(outlet, code, basis, assessed, r.Period.From, r.Period.To, ct))
                        .Count(p => p.Exceeds && p.Start >= r.Period.From && p.Start < r.Period.To);
                }

                var measure = new TaxMeasure(outlet.Mn, code, outlet.Kind, kg, concentration, limited ? limit!.Max : null, exceeding, !totalled || total!.MonitoringUsable);
                double? ratio = concentration is { } c && measure.Limit is { } max && max > 0 ? c / max : null;
                (double reduction, string why) = measure.Limit is not > 0 ? (1, "no-limit")
                    : ratio is null ? (1, "no-valid-data")
                    : exceeding > 0 ? (1, "exceeding")
                    : !measure.MonitoringUsable ? (1, "monitoring-unusable")
                    : ratio < tax.Reduce50Below ? (0.5, "below-50")
                    : ratio < tax.Reduce75Below ? (0.75, "below-70")
                    : (1.0, "none");
                double rate = outlet.Kind == MediumKind.Water ? tax.WaterRate : tax.AirRate;
                lines.Add(new TaxLine(measure, tax.Equivalents[code], kg / tax.Equivalents[code], ratio, reduction, why, false, "", rate, 0));
            }

            rows.AddRange(Items(lines, outlet.Kind, tax).Select(l => (Key(outlet, l.Measure.Pollutant, "pollutant") with { Code = outlet.Code, PermitNumber = registry.EnterpriseOf(outlet).PermitNumber }, l)));
        }

        return ReportTables.Tax(rows, r.By, r.Period.From.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The taxed items of one outlet: ranked by equivalents within their class, COD/BOD5/TOC reduced to their largest first.</summary>
    private static List<TaxLine> Items(List<TaxLine> lines, MediumKind kind, TaxOptions tax)
    {
        var reason = new Dictionary<string, string>();
        void Rank(IEnumerable<TaxLine> candidates, int count)
        {
            int rank = 0;
            foreach (var l in candidates.OrderBy(l => -l.Equivalents).ThenBy(l => l.Measure.Pollutant, StringComparer.Ordinal))
            {
                reason[l.Measure.Pollutant] = l.Equivalents <= 0 ? "no-emissions" : rank++ < count ? "largest" : "not-among-largest";
            }
        }

        if (kind == MediumKind.Water)
        {
            Rank(lines.Where(l => tax.WaterClass1Codes.Contains(l.Measure.Pollutant)), tax.WaterClass1Items);
            var others = lines.Where(l => !tax.WaterClass1Codes.Contains(l.Measure.Pollutant)).ToList();
            var oneOf = others.Where(l => tax.OneOfCodes.Contains(l.Measure.Pollutant)).OrderBy(l => -l.Equivalents).ThenBy(l => l.Measure.Pollutant, StringComparer.Ordinal).ToList();
            oneOf.Skip(1).ToList().ForEach(l => reason[l.Measure.Pollutant] = "cod-bod5-toc-largest-only");
            Rank(others.Where(l => !oneOf.Skip(1).Contains(l)), tax.WaterItems);
        }
        else
        {
            Rank(lines, tax.AirItems);
        }

        return lines.Select(l => reason[l.Measure.Pollutant] == "largest"
            ? l with { Taxed = true, TaxedReason = "largest", TaxYuan = Math.Round(l.Equivalents * l.Rate * l.Reduction, 2, MidpointRounding.AwayFromZero) }
            : l with { TaxedReason = reason[l.Measure.Pollutant] }).ToList();
    }
}
