using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Compliance.Summaries;
using EmissionMonitor.Compliance.Totals;
using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Reports;

public sealed partial class ReportService
{
    /// <summary>The substitution rule in force (configuration section Totals).</summary>
    public TotalsOptions TotalsOptions => totals ?? new TotalsOptions();

    /// <summary>
    /// Substitution and the 25 % rule's counts of each outlet and totalled pollutant over each of
    /// <paramref name="windows"/> (a period, its year to date, a card's quarters): every hour filled
    /// once, then summed per window; with substitution off, the counts only (nothing filled or added,
    /// so callers add the sums' kg either way). Read from the day facts hour by hour (the hour values they keep),
    /// one outlet at a time, over the windows and a few hours after them (a short gap's next valid
    /// hour); the look-back of a long gap (before the first window) is read only when a gap needs it.
    /// </summary>
    private async Task<Dictionary<(string Mn, string Pollutant), SubstitutionSums[]>> SubstitutionAsync(
        ReportRequest r, List<Outlet> outlets, IReadOnlyList<ReportPeriod> windows, CancellationToken ct)
    {
        var rule = TotalsOptions;
        var result = new Dictionary<(string, string), SubstitutionSums[]>();
        var now = LocalSpans.FloorHour(NowLocal);
        var from = LocalSpans.CeilHour(windows.Min(w => w.From));
        var to = LocalSpans.Min(LocalSpans.CeilHour(windows.Max(w => w.To)), now);
        if (to <= from || outlets.Count == 0)
        {
            return result;
        }

        var end = rule.Substitutes ? LocalSpans.Min(to.AddHours(rule.ShortGapHours + 1), now) : to;
        var lookback = from.AddHours(-rule.LookbackSpanHours);
        var marks = (await store.QueryMarksAsync(lookback, end, r.Mn, ct))
            .Where(m => m.IsActive && options.EffectOf(m.Kind).Exempts).ToLookup(m => m.Mn, StringComparer.Ordinal);
        var firstRead = rule.Substitutes ? LocalSpans.Max(lookback, from.Date.AddDays(-2)) : from; // never before the look-back's start
        var facts = await FactSource.OpenAsync(store, Rules, outlets, lookback.Date, LocalSpans.CeilDay(end), r.Mn, ct);
        var manual = facts.Manual;
        foreach (var outlet in outlets)
        {
            var start = firstRead;
            var days = await OutletDaysAsync(facts, outlet.Mn, start, end, ct);
            foreach (var pollutant in CodeCatalogue.TotalledPollutants.Where(p => r.Pollutant is null || p == r.Pollutant))
            {
                if (!outlet.Limits.ContainsKey(pollutant) && !days.Keys.Any(k => k.Pollutant == pollutant))
                {
                    continue;
                }

                var slots = Slots(outlet, pollutant, days, marks[outlet.Mn], manual.Of(outlet.Mn, pollutant), start, end, now);
                bool reachedStart = false;
                var filled = rule.Substitutes ? Substitution.Fill(slots, outlet.Kind, rule, out reachedStart) : new double?[slots.Length];
                if (reachedStart && start > lookback)
                {
                    // A gap wants hours before those read: read the whole look-back for this outlet, once.
                    start = lookback;
                    days = await OutletDaysAsync(facts, outlet.Mn, start, end, ct);
                    slots = Slots(outlet, pollutant, days, marks[outlet.Mn], manual.Of(outlet.Mn, pollutant), start, end, now);
                    filled = Substitution.Fill(slots, outlet.Kind, rule, out _);
                }

                var running = Running(slots, filled);
                result[(outlet.Mn, pollutant)] = windows.Select(w => Sum(running, start, LocalSpans.CeilHour(w.From), LocalSpans.Min(LocalSpans.CeilHour(w.To), now))).ToArray();
            }
        }

        return result;
    }

    private static async Task<Dictionary<(DateTime Day, string Pollutant), DayFact>> OutletDaysAsync(FactSource facts, string mn, DateTime from, DateTime end, CancellationToken ct) =>
        (await facts.DaysAsync(from.Date, LocalSpans.CeilDay(end), mn, ct)).Where(f => CodeCatalogue.TotalledPollutants.Contains(f.Pollutant, StringComparer.Ordinal))
            .ToDictionary(f => (f.Day, f.Pollutant));

    /// <summary>The hours [start, end) of an outlet's pollutant as substitution sees them (a day's fact looked up once for its hours).</summary>
    private HourSlot[] Slots(Outlet outlet, string pollutant, Dictionary<(DateTime Day, string Pollutant), DayFact> days, IEnumerable<Mark> exemptMarks,
        IReadOnlyDictionary<DateTime, Compliance.Manual.ManualHour> manual, DateTime start, DateTime end, DateTime now)
    {
        var (activeFrom, activeTo) = LocalSpans.Active(outlet);
        var marks = exemptMarks.ToList();
        var exemptFlags = options.EffectiveExemptFlags;
        var slots = new HourSlot[LocalSpans.HourStarts(start, end)];
        DayFact? fact = null;
        var factDay = DateTime.MinValue;
        for (int i = 0; i < slots.Length; i++)
        {
            var hour = start.AddHours(i);
            if (hour < activeFrom || hour >= activeTo || hour >= now)
            {
                slots[i] = new(HourSlotKind.Outside);
                continue;
            }

            if (hour.Date != factDay)
            {
                factDay = hour.Date;
                fact = days.GetValueOrDefault((factDay, pollutant));
            }

            bool exempt = (fact?.Flags[hour.Hour] is { } flag && exemptFlags.Contains(flag, StringComparer.Ordinal)) || (marks.Count > 0 && marks.Any(m => m.Covers(hour)));
            bool valid = fact is not null && (fact.ValidMask & (1 << hour.Hour)) != 0;
            var values = fact?.HourValues(hour.Hour);
            if (!valid && manual.Count > 0 && manual.TryGetValue(hour, out var sample))
            {
                // The sample's flow (m³/h over the hour), else the hour's own record's, else the mean of the day's valid hours'.
                double? volume = sample.Flow ?? values?.Volume ?? DayVolume(fact);
                slots[i] = new(HourSlotKind.Valid, sample.Value, volume, volume is { } v ? TotalsCalculator.Kilograms(outlet.Kind, sample.Value, v) : null,
                    Manual: true, Replaced: values?.Kg, ExemptHour: exempt);
                continue;
            }

            slots[i] = exempt ? new(HourSlotKind.Exempt)
                : valid ? new(HourSlotKind.Valid, values?.Concentration, values?.Volume, values?.Kg)
                : new(HourSlotKind.Gap, Kg: values?.Kg);
        }

        return slots;
    }

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
    private static SubstitutionSums[] Running(HourSlot[] slots, double?[] filled)
    {
        var running = new SubstitutionSums[slots.Length + 1];
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

        return running;
    }

    /// <summary>The sums of [from, to) from the running sums of the hours from <paramref name="start"/>.</summary>
    private static SubstitutionSums Sum(SubstitutionSums[] running, DateTime start, DateTime from, DateTime to)
    {
        int first = Math.Clamp(LocalSpans.HourStarts(start, from), 0, running.Length - 1);
        int last = Math.Clamp(LocalSpans.HourStarts(start, to), first, running.Length - 1);
        return running[last] - running[first];
    }
}
