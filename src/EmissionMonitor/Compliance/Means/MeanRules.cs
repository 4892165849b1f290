using System.Numerics;
using EmissionMonitor.Compliance.Summaries;

namespace EmissionMonitor.Compliance.Means;

/// <summary>A mean over one unit of time (a day, month, quarter or year) with the counts it rests on; <see cref="Value"/> is null when the counts fall short.</summary>
public sealed record UnitMean(string Unit, DateTime From, DateTime To, double? Value, int ValidCount, int RequiredCount, int ValidHours)
{
    public bool Valid => Value is not null;
}

/// <summary>
/// The validity counts of HJ 75/76-2017 Appendix B for longer means (DOMAIN.md §0.2): a daily mean
/// of the valid hourly means when at least <see cref="ComplianceOptions.MinValidHoursPerDay"/> (20)
/// are valid; a monthly mean of the valid daily means when at least
/// <see cref="ComplianceOptions.MinValidDaysPerMonth"/> (25; February
/// <see cref="ComplianceOptions.MinValidDaysPerFebruary"/>, 23) are valid — fewer when the period
/// holds fewer days of the month, then all of them; a quarterly or annual mean of the valid monthly
/// means when every month of it in the period is valid (the standard sets no count for them: none is
/// averaged over a missing month). An invalid mean is given with its counts, never averaged anyway.
/// Hourly values are the compared values the facts keep (O2-corrected for gas where sent or computable).
/// </summary>
public sealed class MeanRules(ComplianceOptions options)
{
    public static IReadOnlyList<string> Units { get; } = ["day", "month", "quarter", "year"];

    /// <summary>The means of each <paramref name="unit"/> overlapping [from, to) (local days), from one outlet's pollutant's day facts.</summary>
    public List<UnitMean> Means(string unit, DateTime from, DateTime to, IReadOnlyDictionary<DateTime, DayFact> days)
    {
        var firstDay = from.Date;
        var lastDay = LocalSpans.CeilDay(to);
        var dayMeans = new List<UnitMean>();
        for (var d = firstDay; d < lastDay; d = d.AddDays(1))
        {
            var fact = days.GetValueOrDefault(d);
            int hours = fact is null ? 0 : BitOperations.PopCount((uint)fact.ValidMask);
            bool valid = hours >= options.MinValidHoursPerDay && hours > 0;
            dayMeans.Add(new UnitMean("day", d, d.AddDays(1), valid ? fact!.ValueSum / hours : null, hours, options.MinValidHoursPerDay, hours));
        }

        if (unit == "day")
        {
            return dayMeans;
        }

        var months = Group(dayMeans, d => new DateTime(d.Year, d.Month, 1), m => m.AddMonths(1), (start, parts) =>
            Math.Min(start.Month == 2 ? options.MinValidDaysPerFebruary : options.MinValidDaysPerMonth, parts.Count), "month");
        return unit == "month"
            ? months
            : Group(months, d => unit == "year" ? new DateTime(d.Year, 1, 1) : new DateTime(d.Year, ((d.Month - 1) / 3 * 3) + 1, 1),
                m => unit == "year" ? m.AddYears(1) : m.AddMonths(3), (_, parts) => parts.Count, unit);
    }

    /// <summary>Means of the parts grouped by <paramref name="key"/>: the mean of the valid parts' means when at least the required number of parts are valid.</summary>
    private static List<UnitMean> Group(List<UnitMean> parts, Func<DateTime, DateTime> key, Func<DateTime, DateTime> next, Func<DateTime, List<UnitMean>, int> required, string unit) =>
        parts.GroupBy(p => key(p.From)).Select(g =>
        {
            var list = g.ToList();
            var valid = list.Where(p => p.Valid).ToList();
            int need = required(g.Key, list);
            return new UnitMean(unit, LocalSpans.Max(g.Key, list[0].From), LocalSpans.Min(next(g.Key), list[^1].To),
                valid.Count >= need && valid.Count > 0 ? valid.Average(p => p.Value!.Value) : null, valid.Count, need, list.Sum(p => p.ValidHours));
        }).ToList();
}
