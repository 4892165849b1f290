using EmissionMonitor.Hj212;
using EmissionMonitor.Intake;

namespace EmissionMonitor.Compliance.Validity;

/// <summary>
/// Hours completed from minute data (HJ 75/76-2017 Appendix B; issue "figures a bureau can sign",
/// item 1): for an hour and pollutant with no hourly record (CN=2061) but with minute records
/// (CN=2051), an hourly value is derived — the mean of the valid minutes' <c>Avg</c> and <c>ZsAvg</c>,
/// the sum of their <c>Cou</c>, their lowest <c>Min</c> and highest <c>Max</c> — when at least
/// <see cref="ComplianceOptions.MinValidMinutesPerHour"/> (45) minutes are valid. With fewer, the hour
/// was received but is invalid (<see cref="TooFewMinutes"/>), unless most of its minutes carry an
/// exempt flag (F): then it is exempt as they are. A real hourly record always wins over a derived
/// hour, whenever it arrives. Derived readings carry <see cref="Reading.Derived"/>.
/// </summary>
public sealed class DerivedHours(ComplianceOptions options)
{
    /// <summary>The invalid reason of a derived hour with too few valid minutes.</summary>
    public const string TooFewMinutes = "too-few-minutes";

    private readonly ReadingValidity _validity = new(options);

    /// <summary>True when hours are derived at all (Compliance:DeriveHoursFromMinutes).</summary>
    public bool Enabled => options.DeriveHoursFromMinutes;

    /// <summary><paramref name="hourly"/> and, for each outlet, hour and pollutant none of them carries, the hour derived from <paramref name="minutes"/>.</summary>
    public List<Reading> Complete(IEnumerable<Reading> hourly, IEnumerable<Reading> minutes)
    {
        var list = hourly.ToList();
        if (!Enabled)
        {
            return list;
        }

        var real = list.Where(r => r.Cn == Cns.Hourly).Select(r => (r.Mn, r.Period, r.Pollutant)).ToHashSet();
        foreach (var g in minutes.Where(m => m.Cn == Cns.Minute).GroupBy(m => (m.Mn, Hour: Summaries.LocalSpans.FloorHour(m.Period), m.Pollutant)))
        {
            if (!real.Contains(g.Key))
            {
                list.Add(Derive(g.Key.Mn, g.Key.Hour, g.Key.Pollutant, g.ToList()));
            }
        }

        return list;
    }

    private Reading Derive(string mn, DateTime hour, string pollutant, List<Reading> minutes)
    {
        var valid = minutes.Where(_validity.IsValid).ToList();
        static double? Mean(IEnumerable<double?> values) => values.OfType<double>().ToList() is { Count: > 0 } xs ? xs.Average() : null;
        static double? Sum(IEnumerable<double?> values) => values.OfType<double>().ToList() is { Count: > 0 } xs ? xs.Sum() : null;
        if (valid.Count >= options.MinValidMinutesPerHour && valid.Count > 0)
        {
            return new Reading(mn, Cns.Hourly, hour, pollutant,
                Avg: Mean(valid.Select(m => m.Avg)), Min: valid.Select(m => m.Min ?? m.Avg).OfType<double>().DefaultIfEmpty().Min(),
                Max: valid.Select(m => m.Max ?? m.Avg).OfType<double>().DefaultIfEmpty().Max(), Cou: Sum(valid.Select(m => m.Cou)),
                ZsAvg: Mean(valid.Select(m => m.ZsAvg)), Flag: "N") { Derived = true };
        }

        var exempt = minutes.GroupBy(_validity.EffectiveFlag).OrderByDescending(f => f.Count()).First();
        return exempt.Count() * 2 > minutes.Count && options.EffectiveExemptFlags.Contains(exempt.Key, StringComparer.Ordinal)
            ? new Reading(mn, Cns.Hourly, hour, pollutant, Avg: Mean(minutes.Select(m => m.Avg)), Flag: exempt.Key) { Derived = true }
            : new Reading(mn, Cns.Hourly, hour, pollutant, Avg: Mean(valid.Select(m => m.Avg)), Cou: Sum(valid.Select(m => m.Cou)), Invalid: TooFewMinutes) { Derived = true };
    }
}
