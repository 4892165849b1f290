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
