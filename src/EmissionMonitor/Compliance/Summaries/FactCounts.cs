using System.Numerics;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Compliance.Rates;

namespace EmissionMonitor.Compliance.Summaries;

/// <summary>
/// The transmission-rate counts of one day fact, hour by hour as <see cref="RateCalculator"/> judges
/// them (exempt flag, then exempt mark, then missing, then M/C under an excusing mark, then valid),
/// done on the day's hour masks; and the masks of the marks and of the hours a period takes from a day.
/// </summary>
public static class FactCounts
{
    /// <summary>
    /// The counts of the hours of <paramref name="hours"/> on a day with fact <paramref name="fact"/>
    /// (null: no record that day), under the day's <paramref name="corrections"/> (marks, suspect hours).
    /// </summary>
    public static RateCounts Day(DayFact? fact, int hours, HourCorrections corrections, IReadOnlyList<string> exemptFlags)
    {
        int exemptFlag = fact?.FlagMask(exemptFlags) ?? 0;
        int present = fact?.PresentMask ?? 0;
        int exempt = (exemptFlag | corrections.Exempt) & hours;
        int manual = corrections.Manual & hours & ~exempt;
        int sent = present & hours & ~exempt;
        int flagExcused = sent & (fact is null ? 0 : corrections.Excused(fact.Flags));
        int automatic = (fact?.ValidMask ?? 0) & sent & ~flagExcused & ~corrections.Invalid; // valid automatic hours come first
        int received = sent | manual;
        int excused = flagExcused | (manual & ~automatic);
        int valid = (fact?.ValidMask ?? 0) & received & ~excused & ~corrections.Invalid;
        return new RateCounts(Count(hours & ~exempt), Count(received), Count(excused), Count(valid));
    }

    /// <summary>The hours of <paramref name="day"/> whose start lies in [from, to).</summary>
    public static int HoursIn(DateTime day, DateTime from, DateTime to)
    {
        int mask = 0;
        for (int h = 0; h < DayFact.HoursPerDay; h++)
        {
            var start = day.AddHours(h);
            mask |= start >= from && start < to ? 1 << h : 0;
        }

        return mask;
    }

    /// <summary>
    /// The corrections of <paramref name="day"/>: hours covered by marks whose effect exempts, hours
    /// excused per flag, and the <paramref name="invalid"/> hours (suspect data when it invalidates).
    /// </summary>
    public static HourCorrections Corrections(DateTime day, IEnumerable<Mark> marks, Func<string, MarkEffect> effectOf, int invalid = 0, int manual = 0)
    {
        int exempt = 0;
        var excuse = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var m in marks)
        {
            if (m.To <= day || m.From >= day.AddDays(1))
            {
                continue;
            }

            var effect = effectOf(m.Kind);
            int covered = 0;
            for (int h = 0; h < DayFact.HoursPerDay; h++)
            {
                covered |= m.Covers(day.AddHours(h)) ? 1 << h : 0;
            }

            if (effect.Exempts)
            {
                exempt |= covered;
            }
            else if (effect.Excuses)
            {
                foreach (var flag in effect.Flags!)
                {
                    excuse[flag] = excuse.GetValueOrDefault(flag) | covered;
                }
            }
        }

        return exempt == 0 && excuse.Count == 0 && invalid == 0 && manual == 0 ? HourCorrections.None : new HourCorrections(exempt, excuse, invalid, manual);
    }

    private static int Count(int mask) => BitOperations.PopCount((uint)mask);
}

/// <summary>Day and hour arithmetic of local times.</summary>
public static class LocalSpans
{
    public static DateTime CeilDay(DateTime t) => t == t.Date ? t : t.Date.AddDays(1);

    public static DateTime FloorHour(DateTime t) => new(t.Year, t.Month, t.Day, t.Hour, 0, 0);

    public static DateTime CeilHour(DateTime t) => FloorHour(t) == t ? t : FloorHour(t).AddHours(1);

    public static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    public static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    /// <summary>The local days of [from, to), each midnight.</summary>
    public static IEnumerable<DateTime> Days(DateTime from, DateTime to)
    {
        for (var d = from.Date; d < to; d = d.AddDays(1))
        {
            yield return d;
        }
    }

    /// <summary>The number of hour starts h = from + k hours with h &lt; to (from hour-aligned).</summary>
    public static int HourStarts(DateTime from, DateTime to) => to <= from ? 0 : (int)Math.Ceiling((to - from).TotalHours);

    /// <summary>[from, to) of an outlet's active dates (activeTo inclusive), unbounded where not set.</summary>
    public static (DateTime From, DateTime To) Active(Registry.Outlet outlet) =>
        (outlet.ActiveFrom?.ToDateTime(TimeOnly.MinValue) ?? DateTime.MinValue, outlet.ActiveTo?.ToDateTime(TimeOnly.MinValue).AddDays(1) ?? DateTime.MaxValue);
}
