using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Compliance.Tax;

/// <summary>
/// The environmental-tax pre-check (configuration section <c>Tax</c>; DOMAIN.md §0.3, Tax Law annex 2
/// and §13). Rates are the national minimums: each province sets its own between 1.2–12 (air) and
/// 1.4–14 (water) yuan per equivalent, and may raise the item counts.
/// </summary>
public sealed class TaxOptions : IValidatableObject
{
    public const string Section = "Tax";

    /// <summary>kg per pollution equivalent (污染当量值) of each taxable pollutant by its 2017 code; a pollutant not listed is not taxed here.</summary>
    public Dictionary<string, double> Equivalents { get; set; } = new(StringComparer.Ordinal)
    {
        ["a21026"] = 0.95, // SO2
        ["a21002"] = 0.95, // NOx
        ["a34013"] = 2.18, // 烟尘
        ["a21005"] = 16.7, // CO
        ["w01018"] = 1, // COD
        ["w01017"] = 0.5, // BOD5
        ["w01020"] = 0.49, // TOC
        ["w21003"] = 0.8, // NH3-N
        ["w01012"] = 4, // SS
        ["w21011"] = 0.25, // TP
        ["w22001"] = 0.1, // petroleum
        ["w20111"] = 0.0005, // total Hg (first class)
        ["w20116"] = 0.04, // total Cr (first class)
        ["w20117"] = 0.02, // Cr(VI) (first class)
    };

    /// <summary>Yuan per air pollution equivalent (the national minimum 1.2; UNVERIFIED for the province: set it).</summary>
    [Range(0.0, 1000.0, ErrorMessage = "Tax:AirRate must be between 0 and 1000")]
    public double AirRate { get; set; } = 1.2;

    /// <summary>Yuan per water pollution equivalent (the national minimum 1.4).</summary>
    [Range(0.0, 1000.0, ErrorMessage = "Tax:WaterRate must be between 0 and 1000")]
    public double WaterRate { get; set; } = 1.4;

    /// <summary>How many of an air outlet's pollutants are taxed, the largest by equivalents first (3).</summary>
    [Range(1, 100, ErrorMessage = "Tax:AirItems must be between 1 and 100")]
    public int AirItems { get; set; } = 3;

    /// <summary>How many of a water outlet's second-class pollutants are taxed (3).</summary>
    [Range(1, 100, ErrorMessage = "Tax:WaterItems must be between 1 and 100")]
    public int WaterItems { get; set; } = 3;

    /// <summary>How many of a water outlet's first-class pollutants (heavy metals) are taxed (5).</summary>
    [Range(1, 100, ErrorMessage = "Tax:WaterClass1Items must be between 1 and 100")]
    public int WaterClass1Items { get; set; } = 5;

    /// <summary>The first-class water pollutants (第一类水污染物): total Hg, total Cr, Cr(VI) by default; add Cd, As, Pb, Ni … by their codes.</summary>
    public string[] WaterClass1Codes { get; set; } = ["w20111", "w20116", "w20117"];

    /// <summary>Of these only the largest by equivalents is taxed (COD, BOD5, TOC).</summary>
    public string[] OneOfCodes { get; set; } = ["w01018", "w01017", "w01020"];

    /// <summary>Tax at 75 % when the month's concentration is below this share of the limit (30 % below: 0.7).</summary>
    [Range(0.0, 1.0, ErrorMessage = "Tax:Reduce75Below must be between 0 and 1")]
    public double Reduce75Below { get; set; } = 0.7;

    /// <summary>Tax at 50 % when the month's concentration is below this share of the limit (50 % below: 0.5).</summary>
    [Range(0.0, 1.0, ErrorMessage = "Tax:Reduce50Below must be between 0 and 1")]
    public double Reduce50Below { get; set; } = 0.5;

    /// <summary>Whose rates these are, shown with the figures (e.g. "青海省 2018"); null: the national minimums, as the defaults are.</summary>
    [StringLength(100, ErrorMessage = "Tax:RatesName must be at most 100 characters")]
    public string? RatesName { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (code, value) in Equivalents)
        {
            if (!Registry.Identifiers.IsDataCode(code))
            {
                yield return new ValidationResult($"Tax:Equivalents:{code}: not a 2017 pollutant code such as a21026 or w01018", [nameof(Equivalents)]);
            }
            else if (!(value > 0 && value < 1e6))
            {
                yield return new ValidationResult($"Tax:Equivalents:{code}: kg per equivalent must be above 0 (and below 1e6), not {value}", [nameof(Equivalents)]);
            }
        }

        foreach (var (key, codes) in new[] { ("WaterClass1Codes", WaterClass1Codes), ("OneOfCodes", OneOfCodes) })
        {
            foreach (var code in codes.Where(c => !Registry.Identifiers.IsDataCode(c)))
            {
                yield return new ValidationResult($"Tax:{key}: '{code}' is not a 2017 pollutant code", [key]);
            }
        }

        if (Reduce50Below > Reduce75Below)
        {
            yield return new ValidationResult("Tax:Reduce50Below must not be above Tax:Reduce75Below", [nameof(Reduce50Below)]);
        }
    }
}
