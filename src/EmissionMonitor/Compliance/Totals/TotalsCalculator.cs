using EmissionMonitor.Hj212;
using EmissionMonitor.Compliance.Validity;
using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Compliance.Totals;

/// <summary>
/// What an outlet emitted of one pollutant over a period: measured (<see cref="Kg"/>, <see cref="ValidKg"/>,
/// the records' <see cref="Hours"/>, <see cref="MissingHours"/> without a record) and what substitution
/// adds (<see cref="Substituted"/>).
/// </summary>
public readonly record struct EmissionTotal(double Kg, double ValidKg, int Hours, int MissingHours, SubstitutionSums Substituted = default)
{
    /// <summary>The emissions reported: measured kg, what approved manual samples add and what substitution adds.</summary>
    public double ReportedKg => Kg + Substituted.Added;

    public static EmissionTotal operator +(EmissionTotal a, EmissionTotal b) =>
        new(a.Kg + b.Kg, a.ValidKg + b.ValidKg, a.Hours + b.Hours, a.MissingHours + b.MissingHours, a.Substituted + b.Substituted);
}

/// <summary>
/// Substitution over a period: the kg it adds to the measured kg (a filled hour's substitute, less
/// the kg an invalid record of the hour already counted), the hours filled, and the 25 % rule's
/// counts — non-exempt hours in operation without a valid value (<see cref="Gaps"/>) of the
/// non-exempt hours in operation (<see cref="Expected"/>); and what approved manual samples add
/// before substitution (<see cref="ManualKg"/>: a manual hour's kg less the kg its invalid record
/// counted) over <see cref="ManualHours"/> hours, which are not gaps.
/// </summary>
public readonly record struct SubstitutionSums(double Kg, int Hours, int Gaps, int Expected, double ManualKg = 0, int ManualHours = 0)
{
    /// <summary>What manual data and substitution add to the measured kg.</summary>
    public double Added => ManualKg + Kg;

    /// <summary>The share of expected hours without a valid value (0 when none is expected).</summary>
    public double MissingShare => Expected == 0 ? 0 : (double)Gaps / Expected;

    public static SubstitutionSums operator +(SubstitutionSums a, SubstitutionSums b) =>
        new(a.Kg + b.Kg, a.Hours + b.Hours, a.Gaps + b.Gaps, a.Expected + b.Expected, a.ManualKg + b.ManualKg, a.ManualHours + b.ManualHours);

    public static SubstitutionSums operator -(SubstitutionSums a, SubstitutionSums b) =>
        new(a.Kg - b.Kg, a.Hours - b.Hours, a.Gaps - b.Gaps, a.Expected - b.Expected, a.ManualKg - b.ManualKg, a.ManualHours - b.ManualHours);
}

/// <summary>
/// Emission totals of DOMAIN.md section 0: <c>kg</c> sums the hourly <c>-Cou</c> of every received
/// hourly record whatever its flag, <c>validKg</c> the valid hours only; a missing Cou is derived
/// from concentration × flow volume (the flow code's Cou in m³, or flow Avg × 3600 s in the outlet's
/// flow unit). Daily records are never added to hourly ones.
/// </summary>
public sealed class TotalsCalculator(ReadingValidity validity)
{
    /// <summary>The total of <paramref name="pollutant"/> from an outlet's hourly readings (all pollutants, for flow).</summary>
    public EmissionTotal Total(Outlet outlet, string pollutant, IReadOnlyList<Reading> hourly, int expectedHours)
    {
        string flowCode = outlet.Kind == MediumKind.Gas ? CodeCatalogue.GasFlow : CodeCatalogue.WaterFlow;
        var flows = hourly.Where(r => r.Pollutant == flowCode).GroupBy(r => r.Period).ToDictionary(g => g.Key, g => g.First());
        double kg = 0, validKg = 0;
        int hours = 0;
        foreach (var r in hourly.Where(r => r.Cn == Cns.Hourly && r.Pollutant == pollutant))
        {
            double? mass = r.Cou ?? Derived(outlet, r, flows.GetValueOrDefault(r.Period));
            hours++;
            if (mass is not { } m)
            {
                continue;
            }

            kg += m;
            if (validity.IsValid(r))
            {
                validKg += m;
            }
        }

        return new EmissionTotal(kg, validKg, hours, Math.Max(0, expectedHours - hours));
    }

    /// <summary>kg from concentration and flow volume, or null when either is missing.</summary>
    public static double? Derived(Outlet outlet, Reading r, Reading? flow) =>
        r.Avg is { } concentration && Volume(outlet, flow) is { } v ? Kilograms(outlet.Kind, concentration, v) : null;

    /// <summary>The hour's flow volume in m³: the flow record's Cou, else its mean × 3600 s in the outlet's flow unit; null without one.</summary>
    public static double? Volume(Outlet outlet, Reading? flow) =>
        flow?.Cou ?? (flow?.Avg is { } q ? q * SecondsToCubicMetres(outlet.FlowUnit) * 3600 : null);

    /// <summary>kg of a concentration (mg/m³ gas, mg/L water) over a volume (m³): E = C·Q·10⁻⁶ kg (gas) or C·Q·10⁻³ kg (water).</summary>
    public static double Kilograms(MediumKind kind, double concentration, double volume) =>
        kind == MediumKind.Water ? concentration * volume / 1000 : concentration * volume * 1e-6;

    /// <summary>m³ per second of one flow unit.</summary>
    private static double SecondsToCubicMetres(string flowUnit) => flowUnit switch
    {
        "L/s" => 0.001,
        "m3/h" => 1.0 / 3600,
        _ => 1.0,
    };
}
