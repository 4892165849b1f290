using EmissionMonitor.Hj212.Codes;

namespace EmissionMonitor.Compliance.Tax;

/// <summary>
/// What a month of monitoring says of one outlet's pollutant for the tax: kg emitted (the totals'
/// reported kg where substitution is on), the month's concentration (gas: the mean of the valid
/// hourly means; water: of the valid daily means; null without one), the limit it is compared with
/// (null without an upper one), the valid hourly (gas) or daily (water) means above it, and whether
/// the 25 % rule lets the monitoring stand.
/// </summary>
public sealed record TaxMeasure(string Mn, string Pollutant, MediumKind Medium, double Kg, double? MonthlyConcentration, double? Limit, int ExceedingPeriods,
    bool MonitoringUsable);

/// <summary>
/// The tax of one measure: its equivalents (kg ÷ the pollutant's kg per equivalent), the ratio of
/// its month's concentration to its limit, the reduction (1, 0.75, 0.5) and why, whether it is one
/// of the outlet's taxed items and why, the rate (yuan per equivalent) and the tax in yuan
/// (equivalents × rate × reduction, rounded to the fen; 0 when not taxed).
/// </summary>
public sealed record TaxLine(TaxMeasure Measure, double EquivalentKg, double Equivalents, double? Ratio, double Reduction, string ReductionReason, bool Taxed,
    string TaxedReason, double Rate, double TaxYuan);

/// <summary>
/// The environmental-tax rules of DOMAIN.md §0.3 over one outlet's month: equivalents per pollutant;
/// the §13 reductions (concentration below 70 % of the limit: tax at 75 %; below 50 %: at 50 %), voided
/// by any valid hourly (gas) or daily (water) mean above the limit in the month and when the 25 % rule
/// says the monitoring cannot stand; the taxed items — air the <see cref="TaxOptions.AirItems"/>
/// largest by equivalents; water the <see cref="TaxOptions.WaterClass1Items"/> largest first-class
/// pollutants and the <see cref="TaxOptions.WaterItems"/> largest others, of COD, BOD5 and TOC only
/// the largest. Ties go to the lower code.
/// </summary>
public sealed class TaxCalculator(TaxOptions options)
{
    /// <summary>Why a reduction applies or not.</summary>
    public static class Reductions
    {
        public const string Below50 = "below-50";
        public const string Below70 = "below-70";
        public const string None = "none";
        public const string Exceeding = "exceeding";
        public const string MonitoringUnusable = "monitoring-unusable";
        public const string NoLimit = "no-limit";
        public const string NoValidData = "no-valid-data";
    }

    /// <summary>Why an item is taxed or not.</summary>
    public static class Items
    {
        public const string Largest = "largest";
        public const string NotAmongLargest = "not-among-largest";
        public const string OneOf = "cod-bod5-toc-largest-only";
        public const string NoEmissions = "no-emissions";
    }

    /// <summary>True for the pollutants this configuration taxes.</summary>
    public bool Taxable(string pollutant) => options.Equivalents.ContainsKey(pollutant);

    /// <summary>The tax lines of one outlet's measures (its taxable pollutants of one month), in the order given.</summary>
    public List<TaxLine> Outlet(IReadOnlyList<TaxMeasure> measures)
    {
        var lines = measures.Where(m => Taxable(m.Pollutant)).Select(Line).ToList();
        var chosen = new Dictionary<string, string>(StringComparer.Ordinal); // by pollutant: an outlet's lines are one per pollutant
        if (lines.Count > 0 && lines[0].Measure.Medium == MediumKind.Water)
        {
            bool FirstClass(TaxLine l) => options.WaterClass1Codes.Contains(l.Measure.Pollutant, StringComparer.Ordinal);
            Choose(lines.Where(FirstClass), options.WaterClass1Items, chosen);
            var others = lines.Where(l => !FirstClass(l)).ToList();
            foreach (var l in Largest(others.Where(l => options.OneOfCodes.Contains(l.Measure.Pollutant, StringComparer.Ordinal))).Skip(1))
            {
                chosen[l.Measure.Pollutant] = Items.OneOf;
            }

            Choose(others.Where(l => !chosen.ContainsKey(l.Measure.Pollutant)), options.WaterItems, chosen);
        }
        else
        {
            Choose(lines, options.AirItems, chosen);
        }

        return lines.Select(l => chosen[l.Measure.Pollutant] == Items.Largest
            ? l with { Taxed = true, TaxedReason = Items.Largest, TaxYuan = Math.Round(l.Equivalents * l.Rate * l.Reduction, 2, MidpointRounding.AwayFromZero) }
            : l with { TaxedReason = chosen[l.Measure.Pollutant] }).ToList();
    }

    /// <summary>The <paramref name="count"/> largest lines with emissions taxed, the rest not.</summary>
    private static void Choose(IEnumerable<TaxLine> lines, int count, Dictionary<string, string> chosen)
    {
        int n = 0;
        foreach (var l in Largest(lines))
        {
            chosen[l.Measure.Pollutant] = !(l.Equivalents > 0) ? Items.NoEmissions : n++ < count ? Items.Largest : Items.NotAmongLargest;
        }
    }

    private static IOrderedEnumerable<TaxLine> Largest(IEnumerable<TaxLine> lines) =>
        lines.OrderByDescending(l => l.Equivalents).ThenBy(l => l.Measure.Pollutant, StringComparer.Ordinal);

    /// <summary>A measure's equivalents and reduction, not yet chosen as an item.</summary>
    private TaxLine Line(TaxMeasure m)
    {
        double per = options.Equivalents[m.Pollutant];
        double? ratio = m.MonthlyConcentration is { } c && m.Limit is > 0 and { } limit ? c / limit : null;
        (double reduction, string reason) = (m, ratio) switch
        {
            ({ Limit: null or <= 0 }, _) => (1.0, Reductions.NoLimit),
            (_, null) => (1.0, Reductions.NoValidData),
            ({ ExceedingPeriods: > 0 }, _) => (1.0, Reductions.Exceeding),
            ({ MonitoringUsable: false }, _) => (1.0, Reductions.MonitoringUnusable),
            (_, { } r) when r < options.Reduce50Below => (0.5, Reductions.Below50),
            (_, { } r) when r < options.Reduce75Below => (0.75, Reductions.Below70),
            _ => (1.0, Reductions.None),
        };
        double rate = m.Medium == MediumKind.Water ? options.WaterRate : options.AirRate;
        return new TaxLine(m, per, m.Kg / per, ratio, reduction, reason, false, Items.NotAmongLargest, rate, 0);
    }

    /// <summary>kg of a pollutant's summed Cou: the catalogue's Cou unit g (heavy metals in µg/L) is a thousandth of a kg.</summary>
    public static double Kilograms(string pollutant, double summed) => CodeCatalogue.Find(pollutant)?.CouUnit == "g" ? summed / 1000 : summed;
}
