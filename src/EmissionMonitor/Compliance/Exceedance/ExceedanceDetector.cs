using EmissionMonitor.Hj212;
using EmissionMonitor.Compliance.Validity;
using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Compliance.Exceedance;

/// <summary>
/// Exceedance as DOMAIN.md section 0 defines it. Gas: each valid hourly mean against the limit,
/// O2-corrected (ZsAvg when sent, else Avg corrected with a19001-Avg and the outlet's reference O2,
/// else Avg as sent). Water: each valid daily mean (CN=2031), or for a day without one the mean of
/// its valid hourly means when at least Compliance:WaterDailyMinHours are valid. Range limits (pH)
/// on each valid hourly mean of either kind. Exceeding is value &gt; max or &lt; min, unrounded.
/// </summary>
public sealed class ExceedanceDetector(ComplianceOptions options, ReadingValidity validity)
{
    /// <summary>How far around a period episodes are followed, so those overlapping it are judged whole.</summary>
    public static readonly TimeSpan EpisodeMargin = TimeSpan.FromDays(62);

    /// <summary>The basis of a limit: <c>hour</c> for gas and range limits, <c>day</c> for water maxima.</summary>
    public static string Basis(Outlet outlet, Limit limit) => outlet.Kind == MediumKind.Water && limit.Min is null ? "day" : "hour";

    /// <summary>
    /// The valid periods of <paramref name="pollutant"/> compared with its limit, in time order.
    /// <paramref name="hourly"/> holds the outlet's 2061 readings (all pollutants: O2 is needed),
    /// <paramref name="daily"/> its 2031 readings.
    /// </summary>
    public IReadOnlyList<AssessedPeriod> Assess(Outlet outlet, string pollutant, IReadOnlyList<Reading> hourly, IReadOnlyList<Reading> daily)
    {
        if (!outlet.Limits.TryGetValue(pollutant, out var limit))
        {
            return [];
        }

        var validHours = hourly.Where(r => r.Cn == Cns.Hourly && r.Pollutant == pollutant && validity.IsValid(r))
            .OrderBy(r => r.Period).ToList();
        if (Basis(outlet, limit) == "hour")
        {
            var o2 = hourly.Where(r => r.Pollutant == CodeCatalogue.Oxygen && r.Avg is not null && validity.IsValid(r))
                .GroupBy(r => r.Period).ToDictionary(g => g.Key, g => g.First().Avg!.Value);
            return validHours.Select(r => Compare(r.Period, r.Period.AddHours(1), HourlyValue(outlet, limit, r, o2), limit)).ToList();
        }

        var days = new SortedDictionary<DateTime, (double Value, string Kind)>();
        foreach (var d in daily.Where(r => r.Cn == Cns.Daily && r.Pollutant == pollutant && validity.IsValid(r)))
        {
            days.TryAdd(d.Period.Date, (d.Avg ?? d.ZsAvg!.Value, ValueKinds.AsSent));
        }

        foreach (var day in validHours.GroupBy(r => r.Period.Date))
        {
            if (!days.ContainsKey(day.Key) && daily.All(d => d.Period.Date != day.Key || d.Pollutant != pollutant) && day.Count() >= options.WaterDailyMinHours)
            {
                days[day.Key] = (day.Average(r => r.Avg ?? r.ZsAvg!.Value), ValueKinds.HourlyMean);
            }
        }

        return days.Select(d => Compare(d.Key, d.Key.AddDays(1), d.Value, limit)).ToList();
    }

    /// <summary>Episodes from assessed periods: runs of consecutive exceeding periods crossing the same bound.</summary>
    public static IReadOnlyList<Episode> Episodes(Outlet outlet, string pollutant, string basis, IReadOnlyList<AssessedPeriod> periods, DateTime nowLocal)
    {
        var episodes = new List<Episode>();
        int start = -1; // the run's first period, -1 for none: a run is consecutive periods of the list
        for (int i = 0; i < periods.Count; i++)
        {
            var p = periods[i];
            bool continues = start >= 0 && periods[i - 1].End == p.Start && p.Exceeds && periods[i - 1].Bound == p.Bound && periods[i - 1].IsMinBound == p.IsMinBound;
            if (!continues && start >= 0)
            {
                episodes.Add(ToEpisode(outlet, pollutant, basis, periods, start, i, nowLocal));
                start = -1;
            }

            if (p.Exceeds && start < 0)
            {
                start = i;
            }
        }

        if (start >= 0)
        {
            episodes.Add(ToEpisode(outlet, pollutant, basis, periods, start, periods.Count, nowLocal));
        }

        return episodes;
    }

    /// <summary>The episode of the run of periods [<paramref name="start"/>, <paramref name="end"/>).</summary>
    private static Episode ToEpisode(Outlet outlet, string pollutant, string basis, IReadOnlyList<AssessedPeriod> periods, int start, int end, DateTime nowLocal)
    {
        var first = periods[start];
        var last = periods[end - 1];
        bool min = first.IsMinBound;
        var peak = first; // the lowest value for a minimum bound, else the highest; the first of equals
        for (int i = start + 1; i < end; i++)
        {
            int order = periods[i].Value.CompareTo(peak.Value); // as MinBy and MaxBy order them
            if (min ? order < 0 : order > 0)
            {
                peak = periods[i];
            }
        }

        double limit = first.Bound!.Value;
        // Ongoing while the period after the episode has not yet ended.
        bool ongoing = last.End + (last.End - last.Start) > nowLocal;
        bool manual = false;
        for (int i = start; i < end && !manual; i++)
        {
            manual = periods[i].ValueKind == ValueKinds.Manual;
        }

        return new Episode(outlet.Mn, pollutant, basis, peak.ValueKind, first.Start, last.End, end - start, peak.Value, limit,
            min ? null : (peak.Value - limit) / limit, ongoing, manual ? Episode.Manual : Episode.Automatic);
    }

    /// <summary>The value of a valid hourly reading compared with <paramref name="limit"/>, and how it was obtained; <paramref name="o2"/> holds the valid O2 means by hour.</summary>
    public static (double Value, string Kind) HourlyValue(Outlet outlet, Limit limit, Reading r, IReadOnlyDictionary<DateTime, double> o2)
    {
        if (outlet.Kind != MediumKind.Gas || limit.Min is not null)
        {
            return (r.Avg ?? r.ZsAvg!.Value, ValueKinds.AsSent);
        }

        if (r.ZsAvg is { } zs)
        {
            return (zs, ValueKinds.ZsSent);
        }

        if (r.Avg is { } avg && outlet.ReferenceO2 is { } reference && o2.TryGetValue(r.Period, out double measured) && measured < 21)
        {
            return (avg * (21 - reference) / (21 - measured), ValueKinds.ZsComputed);
        }

        return (r.Avg!.Value, ValueKinds.AsSent);
    }

    /// <summary>A period's value against a limit: the bound it crosses, if any.</summary>
    public static AssessedPeriod Compare(DateTime start, DateTime end, (double Value, string Kind) v, Limit limit)
    {
        if (limit.Max is { } max && v.Value > max)
        {
            return new AssessedPeriod(start, end, v.Value, v.Kind, max, IsMinBound: false);
        }

        if (limit.Min is { } min && v.Value < min)
        {
            return new AssessedPeriod(start, end, v.Value, v.Kind, min, IsMinBound: true);
        }

        return new AssessedPeriod(start, end, v.Value, v.Kind, null, IsMinBound: false);
    }
}
