using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Manual;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Compliance.Summaries;
using EmissionMonitor.Compliance.Totals;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Reports;

/// <summary>
/// One report's substitution over the hour series of many outlets (<see cref="ReportService"/>'s
/// substitution read): the rule, the windows, the exempting marks and the manual data of the call,
/// and the series' three buffers, made once for the longest series (from the look-back's start) and
/// used for each outlet and pollutant in turn — a province is thousands of series of thousands of hours.
/// </summary>
internal sealed class SubstitutionPass(TotalsOptions rule, IReadOnlyList<string> exemptFlags, ReportPeriod[] windows, string[] pollutants, DateTime now, DateTime end,
    DateTime lookback, ILookup<string, Mark> marks, ManualHours manual)
{
    private readonly HourSlot[] _slots = new HourSlot[LocalSpans.HourStarts(lookback, end)];
    private readonly double?[] _filled = new double?[LocalSpans.HourStarts(lookback, end)];
    private readonly SubstitutionSums[] _running = new SubstitutionSums[LocalSpans.HourStarts(lookback, end) + 1];

    /// <summary>The substitution rule in force.</summary>
    public TotalsOptions Rule => rule;

    /// <summary>The start of the longest look-back a gap may want.</summary>
    public DateTime Lookback => lookback;

    /// <summary>
    /// The window sums of each pollutant of an outlet from its hours from <paramref name="start"/> (its day facts in <paramref name="days"/>),
    /// put in <paramref name="sums"/>; false, with nothing put, when a gap wants hours before start (the outlet again from the look-back's start).
    /// </summary>
    public bool Outlet(Outlet outlet, DateTime start, Dictionary<(DateTime Day, string Pollutant), DayFact> days, DateTime operating, Dictionary<(string, string), SubstitutionSums[]> sums)
    {
        var found = new List<(string Pollutant, SubstitutionSums[] Sums)>();
        int n = LocalSpans.HourStarts(start, end);
        var slots = _slots.AsSpan(0, n);
        var filled = _filled.AsSpan(0, n);
        foreach (var pollutant in pollutants)
        {
            if (!outlet.Limits.ContainsKey(pollutant) && !days.Keys.Any(k => k.Pollutant == pollutant))
            {
                continue;
            }

            Slots(slots, outlet, pollutant, days, marks[outlet.Mn], manual.Of(outlet.Mn, pollutant), start, operating);
            bool reachedStart = false;
            if (rule.Substitutes)
            {
                Substitution.Fill(slots, filled, outlet.Kind, rule, out reachedStart);
            }
            else
            {
                filled.Clear();
            }

            if (reachedStart && start > lookback)
            {
                return false; // the fills that did not reach back stay the same from the look-back's start
            }

            var running = _running.AsSpan(0, n + 1);
            Running(slots, filled, running);
            var windowSums = new SubstitutionSums[windows.Length];
            for (int w = 0; w < windows.Length; w++)
            {
                windowSums[w] = Sum(running, start, LocalSpans.CeilHour(windows[w].From), LocalSpans.Min(LocalSpans.CeilHour(windows[w].To), now));
            }

            found.Add((pollutant, windowSums));
        }

        foreach (var (pollutant, windowSums) in found)
        {
            sums[(outlet.Mn, pollutant)] = windowSums;
        }

        return true;
    }

    /// <summary>
    /// The hours [start, end) of an outlet's pollutant as substitution sees them, a day at a time: a
    /// day's fact, exempt flags and marks looked up once for its hours, and a day without a fact, a mark
    /// or manual data a run of gaps (the months before an outlet's data are most of a card's series).
    /// </summary>
    private void Slots(Span<HourSlot> slots, Outlet outlet, string pollutant, Dictionary<(DateTime Day, string Pollutant), DayFact> days, IEnumerable<Mark> exemptMarks,
        IReadOnlyDictionary<DateTime, Compliance.Manual.ManualHour> manual, DateTime start, DateTime operating)
    {
        var (activeFrom, activeTo) = LocalSpans.Active(outlet);
        int first = HourIndex(start, LocalSpans.Max(activeFrom, operating), slots.Length);
        int last = Math.Max(first, HourIndex(start, LocalSpans.Min(activeTo, now), slots.Length));
        slots[..first].Fill(new(HourSlotKind.Outside));
        slots[last..].Fill(new(HourSlotKind.Outside));
        var marks = exemptMarks.ToList();
        for (int i = first; i < last;)
        {
            var hour = start.AddHours(i);
            var day = hour.Date;
            int dayEnd = Math.Min(last, i + DayFact.HoursPerDay - hour.Hour);
            var fact = days.GetValueOrDefault((day, pollutant));
            bool marked = marks.Count > 0 && marks.Any(m => m.From < day.AddDays(1) && m.To > day);
            if (fact is null && !marked && manual.Count == 0)
            {
                slots[i..dayEnd].Fill(new(HourSlotKind.Gap));
                i = dayEnd;
                continue;
            }

            int exemptMask = fact?.FlagMask(exemptFlags) ?? 0;
            for (int h = hour.Hour; i < dayEnd; i++, h++)
            {
                slots[i] = Slot(outlet, fact, h, (exemptMask & (1 << h)) != 0 || (marked && marks.Any(m => m.Covers(day.AddHours(h)))), manual, day.AddHours(h));
            }
        }
    }

    /// <summary>One hour in operation: exempt, valid (its values, or an approved manual sample standing in for an invalid hour), or a gap (the kg its invalid record counted).</summary>
    private static HourSlot Slot(Outlet outlet, DayFact? fact, int h, bool exempt, IReadOnlyDictionary<DateTime, Compliance.Manual.ManualHour> manual, DateTime hour)
    {
        bool valid = fact is not null && (fact.ValidMask & (1 << h)) != 0;
        var values = fact?.HourValues(h);
        if (!valid && manual.Count > 0 && manual.TryGetValue(hour, out var sample))
        {
            // The sample's flow (m³/h over the hour), else the hour's own record's, else the mean of the day's valid hours'.
            double? volume = sample.Flow ?? values?.Volume ?? DayVolume(fact);
            return new(HourSlotKind.Valid, sample.Value, volume, volume is { } v ? TotalsCalculator.Kilograms(outlet.Kind, sample.Value, v) : null,
                Manual: true, Replaced: values?.Kg, ExemptHour: exempt);
        }

        return exempt ? new(HourSlotKind.Exempt)
            : valid ? new(HourSlotKind.Valid, values?.Concentration, values?.Volume, values?.Kg)
            : new(HourSlotKind.Gap, Kg: values?.Kg);
    }

    /// <summary>The index of the first hour at or after <paramref name="t"/> in a series of <paramref name="n"/> hours from <paramref name="start"/> (0 to n).</summary>
    private static int HourIndex(DateTime start, DateTime t, int n) =>
        t <= start ? 0 : t >= start.AddHours(n) ? n : (int)Math.Ceiling((t - start).TotalHours);

    /// <summary>The mean flow volume of a day's valid hours (those with a flow), or null.</summary>
    private static double? DayVolume(DayFact? fact)
    {
        double sum = 0;
        int n = 0;
        for (int h = 0; fact is not null && h < DayFact.HoursPerDay; h++)
        {
            if ((fact.ValidMask & (1 << h)) != 0 && fact.HourValues(h)?.Volume is { } v)
            {
                (sum, n) = (sum + v, n + 1);
            }
        }

        return n == 0 ? null : sum / n;
    }

    /// <summary>The sums of the hours before each index (gaps and expected hours, and what the fills add): any window's sums by two look-ups.</summary>
    private static void Running(ReadOnlySpan<HourSlot> slots, ReadOnlySpan<double?> filled, Span<SubstitutionSums> running)
    {
        running[0] = default;
        for (int i = 0; i < slots.Length; i++)
        {
            var s = slots[i];
            running[i + 1] = running[i] + s.Kind switch
            {
                HourSlotKind.Valid when s.Manual => new SubstitutionSums(0, 0, 0, s.ExemptHour ? 0 : 1, s.Kg is { } kg ? kg - (s.Replaced ?? 0) : 0, 1),
                HourSlotKind.Valid => new SubstitutionSums(0, 0, 0, 1),
                HourSlotKind.Gap when filled[i] is { } fill => new SubstitutionSums(fill - (s.Kg ?? 0), 1, 1, 1), // a fill less the kg its invalid record counted
                HourSlotKind.Gap => new SubstitutionSums(0, 0, 1, 1),
                _ => default,
            };
        }
    }

    /// <summary>The sums of [from, to) from the running sums of the hours from <paramref name="start"/>.</summary>
    private static SubstitutionSums Sum(ReadOnlySpan<SubstitutionSums> running, DateTime start, DateTime from, DateTime to)
    {
        int first = Math.Clamp(LocalSpans.HourStarts(start, from), 0, running.Length - 1);
        int last = Math.Clamp(LocalSpans.HourStarts(start, to), first, running.Length - 1);
        return running[last] - running[first];
    }
}
