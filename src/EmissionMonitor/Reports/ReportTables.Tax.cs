using EmissionMonitor.Compliance.Results;
using EmissionMonitor.Compliance.Tax;
using EmissionMonitor.Hj212.Codes;

namespace EmissionMonitor.Reports;

public static partial class ReportTables
{
    /// <summary>The groupings of the tax pre-check: a row per outlet and pollutant, or sums per enterprise, city or the whole filter.</summary>
    public static IReadOnlyList<string> TaxGroupings { get; } = ["outlet", "enterprise", "city", "province"];

    /// <summary>
    /// The tax pre-check of a month (<c>month</c> YYYY-MM): per outlet and pollutant its medium, kg,
    /// equivalentKg (kg per equivalent), equivalents, monthlyConcentration, limit, ratio,
    /// exceedingPeriods, monitoringUsable, reduction and reductionReason, taxed and taxedReason, rate
    /// (yuan per equivalent) and taxYuan; grouped (<paramref name="by"/> enterprise, city, province)
    /// the outlets, the taxed items, the taxed equivalents and tax of air and of water, and taxYuan.
    /// </summary>
    public static ReportTable Tax(IReadOnlyList<(Scope Scope, TaxLine Line)> rows, string? by, string month)
    {
        if (by is null or "outlet")
        {
            return Table(rows, r => r.Scope,
                ["month", "medium", "kg", "equivalentKg", "equivalents", "monthlyConcentration", "limit", "ratio", "exceedingPeriods", "monitoringUsable",
                    "reduction", "reductionReason", "taxed", "taxedReason", "rate", "taxYuan"],
                r =>
                {
                    var (m, l) = (r.Line.Measure, r.Line);
                    return [month, m.Medium == MediumKind.Water ? "water" : "gas", m.Kg, l.EquivalentKg, l.Equivalents, m.MonthlyConcentration, m.Limit, l.Ratio,
                        m.ExceedingPeriods, m.MonitoringUsable, l.Reduction, l.ReductionReason, l.Taxed, l.TaxedReason, l.Rate, l.TaxYuan];
                });
        }

        var groups = rows.GroupBy(r => by switch
            {
                "enterprise" => r.Scope with { Mn = null, Pollutant = null, Code = null },
                "city" => new Scope(null, null, null, r.Scope.City, null),
                _ => new Scope(null, null, null, null, null),
            })
            .Select(g =>
            {
                var taxed = g.Where(r => r.Line.Taxed).Select(r => r.Line).ToList();
                double Sum(MediumKind medium, Func<TaxLine, double> value) => taxed.Where(l => l.Measure.Medium == medium).Sum(value);
                return (Scope: g.Key, Values: new object?[]
                {
                    month, g.Select(r => r.Scope.Mn).Distinct().Count(), taxed.Count,
                    Sum(MediumKind.Gas, l => l.Equivalents), Sum(MediumKind.Water, l => l.Equivalents),
                    Math.Round(Sum(MediumKind.Gas, l => l.TaxYuan), 2), Math.Round(Sum(MediumKind.Water, l => l.TaxYuan), 2), Math.Round(taxed.Sum(l => l.TaxYuan), 2),
                });
            }).ToList();
        return Table(groups, g => g.Scope, ["month", "outlets", "items", "airEquivalents", "waterEquivalents", "airTaxYuan", "waterTaxYuan", "taxYuan"], g => g.Values);
    }
}
