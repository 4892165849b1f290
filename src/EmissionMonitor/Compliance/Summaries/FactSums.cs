using System.Numerics;

namespace EmissionMonitor.Compliance.Summaries;

/// <summary>
/// The day facts of one outlet and pollutant summed over a span of days: the counts behind rates,
/// totals and cards. <see cref="Days"/> counts the days that have a fact.
/// </summary>
public readonly record struct FactSums(
    string Mn,
    string Pollutant,
    int Days,
    int Received,
    int Exempt,
    int ValidRate,
    int Valid,
    int Exceeding,
    double Kg,
    double ValidKg,
    int WaterDays,
    int WaterExceeding,
    int GasDays,
    int GasExceeding)
{
    /// <summary>One stored day as sums (its counts, kg and daily-basis states).</summary>
    public static FactSums Day(int received, int exempt, int validRate, int valid, int exceeding, double kg, double validKg, int dayState, int gasState) =>
        new(string.Empty, string.Empty, 1, received, exempt, validRate, valid, exceeding, kg, validKg,
            dayState > 0 ? 1 : 0, dayState == DayStates.Exceeding ? 1 : 0, gasState > 0 ? 1 : 0, gasState == DayStates.Exceeding ? 1 : 0);

    public static FactSums operator +(FactSums a, FactSums b) => Combine(a, b, 1);

    public static FactSums operator -(FactSums a, FactSums b) => Combine(a, b, -1);

    private static FactSums Combine(FactSums a, FactSums b, int sign) => a with
    {
        Days = a.Days + (sign * b.Days),
        Received = a.Received + (sign * b.Received),
        Exempt = a.Exempt + (sign * b.Exempt),
        ValidRate = a.ValidRate + (sign * b.ValidRate),
        Valid = a.Valid + (sign * b.Valid),
        Exceeding = a.Exceeding + (sign * b.Exceeding),
        Kg = a.Kg + (sign * b.Kg),
        ValidKg = a.ValidKg + (sign * b.ValidKg),
        WaterDays = a.WaterDays + (sign * b.WaterDays),
        WaterExceeding = a.WaterExceeding + (sign * b.WaterExceeding),
        GasDays = a.GasDays + (sign * b.GasDays),
        GasExceeding = a.GasExceeding + (sign * b.GasExceeding),
    };

    /// <summary>The sums of <paramref name="facts"/> (one outlet and pollutant) as the store's SQL computes them.</summary>
    public static FactSums Of(string mn, string pollutant, IEnumerable<DayFact> facts, IReadOnlyList<string> exemptFlags)
    {
        var s = new FactSums(mn, pollutant, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        foreach (var f in facts)
        {
            int exempt = f.FlagMask(exemptFlags);
            s = s with
            {
                Days = s.Days + 1,
                Received = s.Received + f.Received,
                Exempt = s.Exempt + BitOperations.PopCount((uint)exempt),
                ValidRate = s.ValidRate + BitOperations.PopCount((uint)(f.ValidMask & ~exempt)),
                Valid = s.Valid + f.ValidCount,
                Exceeding = s.Exceeding + f.ExceedCount,
                Kg = s.Kg + f.Kg,
                ValidKg = s.ValidKg + f.ValidKg,
                WaterDays = s.WaterDays + (f.DayState > 0 ? 1 : 0),
                WaterExceeding = s.WaterExceeding + (f.DayState == DayStates.Exceeding ? 1 : 0),
                GasDays = s.GasDays + (f.GasDayState > 0 ? 1 : 0),
                GasExceeding = s.GasExceeding + (f.GasDayState == DayStates.Exceeding ? 1 : 0),
            };
        }

        return s;
    }
}
