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
        var pass = new SubstitutionPass(rule, options.EffectiveExemptFlags, windows, CodeCatalogue.TotalledPollutants.Where(p => r.Pollutant is null || p == r.Pollutant).ToArray(),
            now, end, lookback, marks, facts.Manual);
        // The next group's days are read on another thread while this group's hours are filled: reading
        // and filling take about as long each, and a store's reads run on connections of their own.
        var chunks = facts.ReadingOrder(outlets).Chunk(OutletsPerSubstitutionRead).ToList();
        Task<Dictionary<string, Dictionary<(DateTime Day, string Pollutant), DayFact>>> Read(int index) =>
            Task.Run(() => ChunkDaysAsync(facts, chunks[index], firstRead, end, ct), ct);
        var next = Read(0);
        for (int index = 0; index < chunks.Count; index++)
        {
            var days = await next;
            next = index + 1 < chunks.Count ? Read(index + 1) : next;
            await SubstituteChunkAsync(pass, facts, chunks[index], days, firstRead, result, ct);
        }

        return result;
    }

    /// <summary>
    /// One group of outlets from the days read for it (from <paramref name="firstRead"/>); the look-back before them is read, in
    /// one more read, only for the outlets a gap sends there, and those outlets are filled again from the look-back's start.
    /// </summary>
    private async Task SubstituteChunkAsync(SubstitutionPass pass, FactSource facts, Outlet[] chunk, Dictionary<string, Dictionary<(DateTime Day, string Pollutant), DayFact>> days,
        DateTime firstRead, Dictionary<(string, string), SubstitutionSums[]> result, CancellationToken ct)
    {
        var firstDays = pass.Rule.InOperationFromFirstRecord ? await facts.FirstDaysAsync(chunk.Where(o => o.ActiveFrom is null).Select(o => o.Mn).ToList(), ct) : [];
        // In operation from its active date, else (Totals:InOperationFromFirstRecord) from its first record's day.
        DateTime Operating(Outlet o) => o.ActiveFrom is null && pass.Rule.InOperationFromFirstRecord ? firstDays.GetValueOrDefault(o.Mn, DateTime.MaxValue) : DateTime.MinValue;
        var further = chunk.Where(outlet => !pass.Outlet(outlet, firstRead, days[outlet.Mn], Operating(outlet), result)).ToList();
        if (further.Count == 0)
        {
            return;
        }

        foreach (var (mn, earlier) in await ChunkDaysAsync(facts, further, pass.Lookback, firstRead.Date, ct))
        {
            foreach (var (key, fact) in earlier)
            {
                days[mn].TryAdd(key, fact);
            }
        }

        foreach (var outlet in further)
        {
            pass.Outlet(outlet, pass.Lookback, days[outlet.Mn], Operating(outlet), result);
        }
    }

    /// <summary>
    /// Outlets whose days one read of substitution brings (a quarter of 10 outlets' totalled facts:
    /// about 4 MB). Small, so that a group's facts die young: with 50 a read they lived long enough to
    /// be promoted, the service peaked 80 MB higher at 500 outlets and the 5,000-outlet totals were
    /// 12 % slower (docs/benchmarks.md, "The substitution read's group").
    /// </summary>
    private const int OutletsPerSubstitutionRead = 10;

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
}
