using EmissionMonitor.Storage;
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
    /// of the totalled pollutants, <see cref="OutletsPerSubstitutionRead"/> outlets a read, over the
    /// windows and a few hours after them (a short gap's next valid hour); the look-back of a long gap
    /// (before the first window) is read only for the outlets a gap needs it of. Each series' hours go
    /// through three buffers made once per call (a quarter with its look-back is thousands of slots).
    /// </summary>
    private async Task<Dictionary<(string Mn, string Pollutant), SubstitutionSums[]>> SubstitutionAsync(
        ReportRequest r, List<Outlet> outlets, ReportPeriod[] windows, CancellationToken ct)
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
        var pollutants = CodeCatalogue.TotalledPollutants.Where(p => r.Pollutant is null || p == r.Pollutant).ToArray();
        // The series' buffers, made once for the longest series (from the look-back's start) and used
        // for each outlet and pollutant in turn: a province is thousands of series of thousands of hours.
        int most = LocalSpans.HourStarts(lookback, end);
        var slots = new HourSlot[most];
        var filled = new double?[most];
        var running = new SubstitutionSums[most + 1];
        // The next group's days are read on another thread while this group's hours are filled: reading
        // and filling take about as long each, and a store's reads run on connections of their own.
        var chunks = facts.ReadingOrder(outlets).Chunk(OutletsPerSubstitutionRead).ToList();
        Task<Dictionary<string, Dictionary<(DateTime Day, string Pollutant), DayFact>>> Read(int index) =>
            Task.Run(() => ChunkDaysAsync(facts, chunks[index], firstRead, end, ct), ct);
        var next = Read(0);
        for (int index = 0; index < chunks.Count; index++)
        {
            var chunk = chunks[index];
            // One read of the chunk's days; the look-back before them only for the outlets a gap sends there, in one more.
            var days = await next;
            next = index + 1 < chunks.Count ? Read(index + 1) : next;
            var firstDays = rule.InOperationFromFirstRecord ? await facts.FirstDaysAsync(chunk.Where(o => o.ActiveFrom is null).Select(o => o.Mn).ToList(), ct) : [];
            var further = new List<Outlet>();
            foreach (var outlet in chunk)
            {
                if (!Outlet(outlet, firstRead, result))
                {
                    further.Add(outlet);
                }
            }

            if (further.Count > 0)
            {
                foreach (var (mn, earlier) in await ChunkDaysAsync(facts, further, lookback, firstRead.Date, ct))
                {
                    foreach (var (key, fact) in earlier)
                    {
                        days[mn].TryAdd(key, fact);
                    }
                }

                foreach (var outlet in further)
                {
                    Outlet(outlet, lookback, result);
                }
            }

            // The sums of each pollutant of an outlet from its hours from start; false (nothing kept) when a gap wants hours before start.
            bool Outlet(Outlet outlet, DateTime start, Dictionary<(string, string), SubstitutionSums[]> sums)
            {
                var outletDays = days[outlet.Mn];
                var found = new List<(string Pollutant, SubstitutionSums[] Sums)>();
                foreach (var pollutant in pollutants)
                {
                    if (!outlet.Limits.ContainsKey(pollutant) && !outletDays.Keys.Any(k => k.Pollutant == pollutant))
                    {
                        continue;
                    }

                    int n = LocalSpans.HourStarts(start, end);
                    // In operation from its active date, else (Totals:InOperationFromFirstRecord) from its first record's day.
                    var operating = outlet.ActiveFrom is null && rule.InOperationFromFirstRecord ? firstDays.GetValueOrDefault(outlet.Mn, DateTime.MaxValue) : DateTime.MinValue;
                    Slots(slots.AsSpan(0, n), outlet, pollutant, outletDays, marks[outlet.Mn], manual.Of(outlet.Mn, pollutant), start, now, operating);
                    bool reachedStart = false;
                    if (rule.Substitutes)
                    {
                        Substitution.Fill(slots.AsSpan(0, n), filled.AsSpan(0, n), outlet.Kind, rule, out reachedStart);
                    }
                    else
                    {
                        filled.AsSpan(0, n).Clear();
                    }

                    if (reachedStart && start > lookback)
                    {
                        return false; // the whole outlet again from the look-back's start (the fills that did not reach back stay the same)
                    }

                    Running(slots.AsSpan(0, n), filled.AsSpan(0, n), running.AsSpan(0, n + 1));
                    var windowSums = new SubstitutionSums[windows.Length];
                    for (int w = 0; w < windows.Length; w++)
                    {
                        windowSums[w] = Sum(running.AsSpan(0, n + 1), start, LocalSpans.CeilHour(windows[w].From), LocalSpans.Min(LocalSpans.CeilHour(windows[w].To), now));
                    }

                    found.Add((pollutant, windowSums));
                }

                foreach (var (pollutant, windowSums) in found)
                {
                    sums[(outlet.Mn, pollutant)] = windowSums;
                }

                return true;
            }
        }

        return result;
    }

    /// <summary>Outlets whose days one read of substitution brings (a quarter of 50 outlets' totalled facts: a few MB).</summary>
    private const int OutletsPerSubstitutionRead = 50;

    /// <summary>The totalled pollutants' day facts of [from's day, end's day) of <paramref name="chunk"/>, by outlet (every outlet present).</summary>
    private static async Task<Dictionary<string, Dictionary<(DateTime Day, string Pollutant), DayFact>>> ChunkDaysAsync(FactSource facts, IReadOnlyCollection<Outlet> chunk,
        DateTime from, DateTime end, CancellationToken ct)
    {
        var byOutlet = chunk.ToDictionary(o => o.Mn, _ => new Dictionary<(DateTime Day, string Pollutant), DayFact>(), StringComparer.Ordinal);
        foreach (var f in await facts.DaysOfAsync(from.Date, LocalSpans.CeilDay(end), chunk.Select(o => o.Mn).ToList(), CodeCatalogue.TotalledPollutants, ct))
        {
            if (CodeCatalogue.TotalledPollutants.Contains(f.Pollutant, StringComparer.Ordinal) && byOutlet.TryGetValue(f.Mn, out var days))
            {
                days.TryAdd((f.Day, f.Pollutant), f);
            }
        }

        return byOutlet;
    }

    /// <summary>The hours [start, end) of an outlet's pollutant as substitution sees them (a day's fact looked up once for its hours).</summary>
    private void Slots(Span<HourSlot> slots, Outlet outlet, string pollutant, Dictionary<(DateTime Day, string Pollutant), DayFact> days, IEnumerable<Mark> exemptMarks,
        IReadOnlyDictionary<DateTime, Compliance.Manual.ManualHour> manual, DateTime start, DateTime now, DateTime operating)
    {
        var (activeFrom, activeTo) = LocalSpans.Active(outlet);
        activeFrom = LocalSpans.Max(activeFrom, operating);
        var marks = exemptMarks.ToList();
        var exemptFlags = options.EffectiveExemptFlags;
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

            bool exempt = (fact?.Flags[hour.Hour] is { } flag && IsIn(flag, exemptFlags)) || (marks.Count > 0 && marks.Any(m => m.Covers(hour)));
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
    }

    private static bool IsIn(string flag, IReadOnlyList<string> flags)
    {
        for (int i = 0; i < flags.Count; i++)
        {
            if (string.Equals(flags[i], flag, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
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
