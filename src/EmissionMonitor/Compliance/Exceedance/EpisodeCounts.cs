using EmissionMonitor.Compliance.Summaries;

namespace EmissionMonitor.Compliance.Exceedance;

/// <summary>
/// How many exceedance episodes of each outlet and pollutant overlap a period, from the exceeding
/// hours and days alone — what a page of episodes needs to know where it starts without making
/// every episode before it. An episode overlaps [from, to) when it holds the first period ending
/// after <c>from</c> (one episode, however early it began) or begins later, before <c>to</c>; a period
/// begins an episode unless the period before it exceeds too (an hour: on the same bound).
/// </summary>
public sealed record EpisodeCounts(IReadOnlyDictionary<(string Mn, string Pollutant), int> Hourly, IReadOnlyDictionary<(string Mn, string Pollutant), int> Daily)
{
    /// <summary>The first hour an episode overlapping a period from <paramref name="from"/> may hold (the hour holding <paramref name="from"/>).</summary>
    public static DateTime FirstHour(DateTime from) => LocalSpans.FloorHour(from);

    /// <summary>The first day an episode overlapping a period from <paramref name="from"/> may hold.</summary>
    public static DateTime FirstDay(DateTime from) => from.Date;

    /// <summary>
    /// The counts made from <paramref name="hours"/> (the exceeding hours of [FirstHour(from), to))
    /// and <paramref name="days"/> (the exceeding days of [FirstDay(from), to)).
    /// </summary>
    public static EpisodeCounts Of(IEnumerable<ExceedHour> hours, IEnumerable<DayFact> days, DateTime from)
    {
        var firstHour = FirstHour(from);
        var firstDay = FirstDay(from);
        var hourList = hours.ToList();
        var exceeding = hourList.Select(e => (e.Mn, e.Pollutant, e.Hour, e.Bound, e.IsMinBound)).ToHashSet();
        var hourly = new Dictionary<(string, string), int>();
        foreach (var e in hourList.Where(e => e.Hour == firstHour || !exceeding.Contains((e.Mn, e.Pollutant, e.Hour.AddHours(-1), e.Bound, e.IsMinBound))))
        {
            hourly[(e.Mn, e.Pollutant)] = hourly.GetValueOrDefault((e.Mn, e.Pollutant)) + 1;
        }

        var dayList = days.ToList();
        var exceedingDays = dayList.Select(f => (f.Mn, f.Pollutant, f.Day)).ToHashSet();
        var daily = new Dictionary<(string, string), int>();
        foreach (var f in dayList.Where(f => f.Day == firstDay || !exceedingDays.Contains((f.Mn, f.Pollutant, f.Day.AddDays(-1)))))
        {
            daily[(f.Mn, f.Pollutant)] = daily.GetValueOrDefault((f.Mn, f.Pollutant)) + 1;
        }

        return new EpisodeCounts(hourly, daily);
    }

    /// <summary>The episodes of an outlet's pollutant judged on <paramref name="basis"/>.</summary>
    public int Of(string mn, string pollutant, string basis) =>
        (basis == "hour" ? Hourly : Daily).GetValueOrDefault((mn, pollutant));
}
