using EmissionMonitor.Hj212.Codes;

namespace EmissionMonitor.Compliance.Totals;

/// <summary>How an hour of an outlet's pollutant stands for substitution.</summary>
public enum HourSlotKind : byte
{
    /// <summary>Not counted: the outlet was not in operation (outside its active dates) or the hour has not ended.</summary>
    Outside,

    /// <summary>Exempt: an exempt flag (F) or an approved exempting mark; never filled.</summary>
    Exempt,

    /// <summary>A valid value (with what substitution reads of it).</summary>
    Valid,

    /// <summary>A non-exempt hour in operation without a valid value (missing, invalid or excused): filled for totals.</summary>
    Gap,
}

/// <summary>
/// One hour for substitution: its kind and, for a valid hour, its concentration, flow volume (m³) and
/// kg (null where unknown). A valid hour may be <see cref="Manual"/> (an approved manual sample's
/// value standing for an hour without a valid automatic one): then <see cref="Replaced"/> is the kg
/// its invalid record counted, and <see cref="ExemptHour"/> tells that the hour is exempt (kept for
/// the emissions, not expected for the 25 % rule).
/// </summary>
public readonly record struct HourSlot(HourSlotKind Kind, double? Concentration = null, double? Volume = null, double? Kg = null,
    bool Manual = false, double? Replaced = null, bool ExemptHour = false);

/// <summary>
/// Substitution (补遗) of the hours monitoring missed, for totals only (DOMAIN.md §0.2, HJ/T 75 as
/// summarised by Tang et al. 2020, Table 4): a gap — a run of consecutive <see cref="HourSlotKind.Gap"/>
/// hours — of at most <see cref="TotalsOptions.ShortGapHours"/> takes the mean of the valid hour just
/// before and just after it (exempt hours are passed over looking for them; an hour outside
/// operation, or another gap beyond exempt hours, ends the search on that side; with one side only,
/// that side); a longer gap, or one with neither, takes the
/// highest valid hourly value of the <see cref="TotalsOptions.LookbackHours"/> valid hours before it
/// (UNVERIFIED, configurable). Concentration and flow volume are combined first and the kg then
/// follows from §0's formula; where either is unknown for a source hour, its kg is combined instead.
/// A gap with nothing to take stays unfilled (null).
/// </summary>
public static class Substitution
{
    /// <summary>
    /// The substituted kg of each gap hour of <paramref name="hours"/> (consecutive local hours), null
    /// elsewhere and where nothing stands in. <paramref name="reachedStart"/> tells that a search for a
    /// hour before a gap ran off the span's start unsatisfied: an earlier start could change a fill.
    /// </summary>
    public static double?[] Fill(ReadOnlySpan<HourSlot> hours, MediumKind kind, TotalsOptions options, out bool reachedStart)
    {
        var filled = new double?[hours.Length];
        Fill(hours, filled, kind, options, out reachedStart);
        return filled;
    }

    /// <summary>As <see cref="Fill(ReadOnlySpan{HourSlot}, MediumKind, TotalsOptions, out bool)"/>, into <paramref name="filled"/> (as long as the hours; a pooled buffer).</summary>
    public static void Fill(ReadOnlySpan<HourSlot> hours, Span<double?> filled, MediumKind kind, TotalsOptions options, out bool reachedStart)
    {
        reachedStart = false;
        filled.Clear();
        for (int i = 0; i < hours.Length;)
        {
            if (hours[i].Kind != HourSlotKind.Gap)
            {
                i++;
                continue;
            }

            int start = i;
            while (i < hours.Length && hours[i].Kind == HourSlotKind.Gap)
            {
                i++;
            }

            double? kg = null;
            if (i - start <= options.ShortGapHours)
            {
                var sides = new List<HourSlot>(2);
                if (Neighbour(hours, start - 1, -1, ref reachedStart) is { } before)
                {
                    sides.Add(before);
                }

                bool pastEnd = false;
                if (Neighbour(hours, i, +1, ref pastEnd) is { } after)
                {
                    sides.Add(after);
                }

                kg = Combine(sides, kind, values => values.Average());
            }

            kg ??= LookbackMax(hours, start, options.LookbackHours, kind, ref reachedStart);
            for (int h = start; h < i; h++)
            {
                filled[h] = kg;
            }
        }

    }

    /// <summary>The nearest valid hour from <paramref name="at"/> in <paramref name="step"/>'s direction, passing over exempt hours; null at a gap, an hour outside operation or the span's end.</summary>
    private static HourSlot? Neighbour(ReadOnlySpan<HourSlot> hours, int at, int step, ref bool ranOff)
    {
        for (int i = at; i >= 0 && i < hours.Length; i += step)
        {
            switch (hours[i].Kind)
            {
                case HourSlotKind.Valid:
                    return hours[i];
                case HourSlotKind.Outside or HourSlotKind.Gap:
                    return null; // out of operation, or another gap beyond an exempt hour: nothing on this side
            }
        }

        ranOff = true;
        return null;
    }

    /// <summary>
    /// The fill of a long gap from the last <paramref name="count"/> valid hours before <paramref name="start"/>:
    /// as <see cref="Combine"/> with the maximum, in one pass without collecting them (a look-back is hundreds of hours).
    /// </summary>
    private static double? LookbackMax(ReadOnlySpan<HourSlot> hours, int start, int count, MediumKind kind, ref bool ranOff)
    {
        int found = 0;
        bool allMeasured = true, allKg = true;
        double maxC = double.MinValue, maxV = double.MinValue, maxKg = double.MinValue;
        for (int i = start - 1; i >= 0 && found < count; i--)
        {
            var h = hours[i];
            if (h.Kind != HourSlotKind.Valid)
            {
                continue;
            }

            found++;
            if (h.Concentration is { } c && h.Volume is { } v)
            {
                (maxC, maxV) = (Math.Max(maxC, c), Math.Max(maxV, v));
            }
            else
            {
                allMeasured = false;
            }

            if (h.Kg is { } kg)
            {
                maxKg = Math.Max(maxKg, kg);
            }
            else
            {
                allKg = false;
            }
        }

        ranOff |= found < count;
        return found == 0 ? null
            : allMeasured ? TotalsCalculator.Kilograms(kind, maxC, maxV)
            : allKg ? maxKg
            : null;
    }

    /// <summary>
    /// The kg of the combined source hours: concentration and volume each combined and the kg from
    /// them when every source has both; else their kg combined when every source has one; else null.
    /// </summary>
    private static double? Combine(List<HourSlot> sources, MediumKind kind, Func<IEnumerable<double>, double> combine)
    {
        if (sources.Count == 0)
        {
            return null;
        }

        if (sources.All(s => s.Concentration is not null && s.Volume is not null))
        {
            return TotalsCalculator.Kilograms(kind, combine(sources.Select(s => s.Concentration!.Value)), combine(sources.Select(s => s.Volume!.Value)));
        }

        return sources.All(s => s.Kg is not null) ? combine(sources.Select(s => s.Kg!.Value)) : null;
    }
}
