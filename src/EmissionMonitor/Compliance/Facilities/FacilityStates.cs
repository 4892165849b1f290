using EmissionMonitor.Registry;

namespace EmissionMonitor.Compliance.Facilities;

/// <summary>Facility rules (configuration section <c>Facilities</c>; DOMAIN.md §0.4).</summary>
public sealed class FacilityOptions
{
    public const string Section = "Facilities";

    /// <summary>A facility without a value for this long is <c>unknown</c>, never <c>stopped</c> (15 min).</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Facilities:StaleAfter must be between 1 minute and 1 day")]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A treatment facility stopped while production runs for at least this long is a finding (15 min).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1440, ErrorMessage = "Facilities:MinMinutes must be between 1 and 1440")]
    public int MinMinutes { get; set; } = 15;

    /// <summary>An outlet's flow (Avg or Rtd, in its flow unit) above this while every production facility is stopped is <c>emissions-without-production</c>.</summary>
    [System.ComponentModel.DataAnnotations.Range(0.0, 1e9, ErrorMessage = "Facilities:FlowThreshold must be between 0 and 1e9")]
    public double FlowThreshold { get; set; } = 0.5;

    /// <summary>How often the live rule reads the shutdown marks of the enterprises with facilities again (1 min).</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.1", "01:00:00", ErrorMessage = "Facilities:MarksEvery must be between 0.1 s and 1 hour")]
    public TimeSpan MarksEvery { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>One value of a facility's code at a local time.</summary>
public readonly record struct FacilitySample(DateTime At, double Value);

/// <summary>A facility's state over [Start, End): <c>running</c>, <c>stopped</c> or <c>unknown</c>, with the lowest and highest value and how many values it rests on.</summary>
public sealed record FacilityEpisode(string Facility, string State, DateTime Start, DateTime End, double? Min, double? Max, int Samples);

/// <summary>
/// A facility's states from its values (DOMAIN.md §0.4): each value says running (above the
/// facility's <c>onAbove</c>) or stopped, and holds until the next value or for
/// <see cref="FacilityOptions.StaleAfter"/>, whichever comes first; without a value the facility is
/// <c>unknown</c> — a silent terminal never makes a facility look stopped.
/// </summary>
public static class FacilityStates
{
    public const string Running = "running", Stopped = "stopped", Unknown = "unknown";

    /// <summary>The findings the states make (the alert kinds and the findings report say them alike).</summary>
    public const string TreatmentOff = "treatment-off", ShutdownContradicted = "shutdown-contradicted", EmissionsWithoutProduction = "emissions-without-production";

    /// <summary>
    /// The episodes of [from, to): <paramref name="samples"/> in time order, those from
    /// <paramref name="staleAfter"/> before <paramref name="from"/> included so that the window's start is known.
    /// </summary>
    public static List<FacilityEpisode> Episodes(Facility facility, IReadOnlyList<FacilitySample> samples, DateTime from, DateTime to, TimeSpan staleAfter)
    {
        var episodes = new List<FacilityEpisode>();
        void Add(string state, DateTime start, DateTime end, double? value)
        {
            (start, end) = (start < from ? from : start, end > to ? to : end);
            if (end <= start)
            {
                return;
            }

            if (episodes.Count > 0 && episodes[^1] is { } last && last.State == state && last.End == start)
            {
                episodes[^1] = last with
                {
                    End = end, Min = Min(last.Min, value), Max = Max(last.Max, value), Samples = last.Samples + (value is null ? 0 : 1),
                };
            }
            else
            {
                episodes.Add(new FacilityEpisode(facility.Id, state, start, end, value, value, value is null ? 0 : 1));
            }
        }

        var at = from;
        for (int i = 0; i < samples.Count; i++)
        {
            var s = samples[i];
            if (s.At >= to)
            {
                break;
            }

            var until = i + 1 < samples.Count && samples[i + 1].At < s.At + staleAfter ? samples[i + 1].At : s.At + staleAfter;
            if (until <= from || i + 1 < samples.Count && samples[i + 1].At == s.At)
            {
                continue; // before the window, or a second value of the same time (the later one counts)
            }

            if (s.At > at)
            {
                Add(Unknown, at, s.At, null);
            }

            Add(facility.Runs(s.Value) ? Running : Stopped, s.At, until, s.Value);
            at = until > at ? until : at;
        }

        if (at < to)
        {
            Add(Unknown, at, to, null);
        }

        return episodes;
    }

    /// <summary>The state at <paramref name="now"/> from the latest value (and its time), or unknown.</summary>
    public static string At(Facility facility, FacilitySample? latest, DateTime now, TimeSpan staleAfter) =>
        latest is { } s && s.At <= now && now - s.At < staleAfter ? (facility.Runs(s.Value) ? Running : Stopped) : Unknown;

    /// <summary>
    /// The spans of [from, to) where <paramref name="a"/> is in <paramref name="aState"/> and <paramref name="b"/> in
    /// <paramref name="bState"/> at once, merged, those at least <paramref name="minimum"/> long.
    /// </summary>
    public static List<(DateTime Start, DateTime End)> Together(IReadOnlyList<FacilityEpisode> a, string aState, IReadOnlyList<FacilityEpisode> b, string bState, TimeSpan minimum)
    {
        var spans = new List<(DateTime Start, DateTime End)>();
        foreach (var x in a.Where(e => e.State == aState))
        {
            foreach (var y in b.Where(e => e.State == bState && e.Start < x.End && e.End > x.Start))
            {
                var (start, end) = (x.Start > y.Start ? x.Start : y.Start, x.End < y.End ? x.End : y.End);
                if (spans.Count > 0 && spans[^1].End >= start)
                {
                    spans[^1] = (spans[^1].Start, end > spans[^1].End ? end : spans[^1].End);
                }
                else
                {
                    spans.Add((start, end));
                }
            }
        }

        return spans.OrderBy(s => s.Start).Where(s => s.End - s.Start >= minimum).ToList();
    }

    private static double? Min(double? a, double? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}
