using EmissionMonitor.Hj212;
using EmissionMonitor.Compliance.Validity;
using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Compliance.Totals;

/// <summary>What an outlet emitted of one pollutant over a period.</summary>
public readonly record struct EmissionTotal(double Kg, double ValidKg, int Hours, int MissingHours)
{
    public static EmissionTotal operator +(EmissionTotal a, EmissionTotal b) =>
        new(a.Kg + b.Kg, a.ValidKg + b.ValidKg, a.Hours + b.Hours, a.MissingHours + b.MissingHours);
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
    public static double? Derived(Outlet outlet, Reading r, Reading? flow)
    {
        double? volume = flow?.Cou ?? (flow?.Avg is { } q ? q * SecondsToCubicMetres(outlet.FlowUnit) * 3600 : null);
        if (r.Avg is not { } concentration || volume is not { } v)
        {
            return null;
        }

        return outlet.Kind == MediumKind.Water ? concentration * v / 1000 : concentration * v * 1e-6;
    }

    /// <summary>m³ per second of one flow unit.</summary>
    private static double SecondsToCubicMetres(string flowUnit) => flowUnit switch
    {
        "L/s" => 0.001,
        "m3/h" => 1.0 / 3600,
        _ => 1.0,
    };
}
