using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Compliance.Rates;
using EmissionMonitor.Compliance.Results;
using EmissionMonitor.Compliance.Summaries;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Reports;

public sealed partial class ReportService
{
    /// <summary>
    /// Transmission rates of each assessed outlet and pollutant, summed up to the grouping asked
    /// (<c>by</c>, outlet by default). Whole days come summed from the facts; the period's partial
    /// edge days, and days an active mark touches, are judged hour by hour on their facts' masks.
    /// </summary>
    public async Task<IReadOnlyList<RateResult>> RatesAsync(ReportRequest r, CancellationToken ct)
    {
        string level = r.By ?? "outlet";
        var start = LocalSpans.CeilHour(r.Period.From);
        var end = LocalSpans.Min(r.Period.To, LocalSpans.FloorHour(NowLocal)); // an hour counts once it has ended
        var fullFrom = LocalSpans.CeilDay(start);
        var fullTo = LocalSpans.Max(fullFrom, end.Date);
        var outlets = Outlets(r).ToList();
        var facts = await FactsAsync(r, start.Date, LocalSpans.CeilDay(end), ct);
        var marks = (await ActiveMarksAsync(r, ct)).ToLookup(m => m.Mn, StringComparer.Ordinal);
        var suspect = (await SuspectAsync(r, ct)).ToLookup(e => e.Mn, StringComparer.Ordinal);
        var manual = facts.Manual;
        var sums = await facts.SumsAsync(fullFrom, fullTo, null, ct);
        var edgeFacts = await EdgeFactsAsync(facts, start, end, fullFrom, fullTo, ct);
        var exemptFlags = options.EffectiveExemptFlags;
        var groups = new Dictionary<Scope, RateCounts>();
        var order = new List<Scope>();
        foreach (var outlet in outlets)
        {
            var (activeFrom, activeTo) = LocalSpans.Active(outlet);
            var outletFrom = LocalSpans.Max(fullFrom, activeFrom.Date);
            var outletTo = LocalSpans.Min(fullTo, activeTo);
            var outletSums = outletFrom == fullFrom && outletTo == fullTo ? sums
                : await facts.SumsAsync(outletFrom, LocalSpans.Max(outletFrom, outletTo), outlet.Mn, ct);
            var outletMarks = marks[outlet.Mn].ToList();
            var outletSuspect = suspect[outlet.Mn].ToList();
            var spans = outletMarks.Select(m => (m.From, To: m.To)).Concat(outletSuspect.Select(e => (From: e.Start, To: e.End ?? end))).Concat(manual.Spans(outlet.Mn)).ToList();
            var correctedDays = spans.Count == 0 ? [] : await CorrectedDaysAsync(facts, outlet, spans, outletFrom, outletTo, ct);
            foreach (var pollutant in Assessed(outlet, r))
            {
                var counts = WholeDays(outletSums.GetValueOrDefault((outlet.Mn, pollutant)), LocalSpans.HourStarts(outletFrom, outletTo) / DayFact.HoursPerDay);
                foreach (var (day, dayFacts) in correctedDays)
                {
                    var fact = dayFacts.GetValueOrDefault(pollutant);
                    counts = counts - FactCounts.Day(fact, DayFact.AllHours, HourCorrections.None, exemptFlags)
                        + FactCounts.Day(fact, DayFact.AllHours, Corrections(day, outletMarks, outletSuspect, pollutant, manual.Mask(outlet.Mn, pollutant, day)), exemptFlags);
                }

                foreach (var day in EdgeDays(start, end, fullFrom, fullTo).Where(d => d >= activeFrom.Date && d < activeTo))
                {
                    counts += FactCounts.Day(edgeFacts.GetValueOrDefault((outlet.Mn, pollutant, day)), FactCounts.HoursIn(day, start, end),
                        Corrections(day, outletMarks, outletSuspect, pollutant, manual.Mask(outlet.Mn, pollutant, day)), exemptFlags);
                }

                var key = Key(outlet, pollutant, level);
                if (!groups.TryGetValue(key, out var sum))
                {
                    order.Add(key);
                }

                groups[key] = sum + counts;
            }
        }

        return order.Select(k => new RateResult(k, r.Period, groups[k], groups[k].BelowThreshold(options.RateThreshold)))
            .OrderBy(x => x.Scope, Scope.Order).ToList();
    }

    /// <summary>The facts of the period's partial days: before its first whole day and from its last whole day's end.</summary>
    private static async Task<Dictionary<(string Mn, string Pollutant, DateTime Day), DayFact>> EdgeFactsAsync(FactSource facts, DateTime start, DateTime end, DateTime fullFrom,
        DateTime fullTo, CancellationToken ct)
    {
        var edges = new List<DayFact>();
        if (end > start)
        {
            edges.AddRange(await facts.DaysAsync(start.Date, LocalSpans.Min(fullFrom, LocalSpans.CeilDay(end)), null, ct));
            edges.AddRange(await facts.DaysAsync(LocalSpans.Max(fullTo, fullFrom), LocalSpans.CeilDay(end), null, ct));
        }

        return edges.ToDictionary(f => (f.Mn, f.Pollutant, f.Day));
    }

    /// <summary>The counts of <paramref name="days"/> whole days with no mark, from their summed facts.</summary>
    private static RateCounts WholeDays(FactSums sums, int days) =>
        new(DayFact.HoursPerDay * days - sums.Exempt, sums.Received - sums.Exempt, 0, sums.ValidRate);

    /// <summary>A day's corrections of one pollutant: the outlet's approved marks, its suspect hours when they invalidate, and the hours manual samples stand for.</summary>
    private HourCorrections Corrections(DateTime day, List<Mark> marks, List<Compliance.Anomalies.AnomalyEpisode> suspect, string pollutant, int manual)
    {
        int invalid = 0;
        foreach (var e in suspect.Where(e => e.Pollutant == pollutant || e.SubKind == Compliance.Anomalies.AnomalyKinds.NoFlow))
        {
            for (int h = 0; h < DayFact.HoursPerDay; h++)
            {
                invalid |= e.Covers(day.AddHours(h)) ? 1 << h : 0;
            }
        }

        return FactCounts.Corrections(day, marks, options.EffectOf, invalid, manual);
    }

    /// <summary>The hourly anomaly episodes of the report's outlets when suspect hours invalidate (Anomalies:InvalidateSuspect), else none.</summary>
    private async Task<List<Compliance.Anomalies.AnomalyEpisode>> SuspectAsync(ReportRequest r, CancellationToken ct) =>
        !invalidateSuspect ? [] : (await EpisodesAsync(r.Mn, ct)).Where(e => e.Basis == "hourly" && e.Start < r.Period.To && (e.End is null || e.End > r.Period.From)).ToList();

    /// <summary>The whole days of [from, to) that marks or suspect episodes touch, with their facts by pollutant.</summary>
    private static async Task<List<(DateTime Day, Dictionary<string, DayFact> Facts)>> CorrectedDaysAsync(FactSource facts, Outlet outlet, List<(DateTime From, DateTime To)> spans,
        DateTime from, DateTime to, CancellationToken ct)
    {
        var days = spans.SelectMany(m => LocalSpans.Days(LocalSpans.Max(m.From, from), LocalSpans.Min(m.To, to))).Where(d => d >= from && d < to).ToHashSet();
        if (days.Count == 0)
        {
            return [];
        }

        var detail = await facts.DaysAsync(days.Min(), days.Max().AddDays(1), outlet.Mn, ct);
        return days.Order().Select(d => (d, detail.Where(f => f.Day == d).ToDictionary(f => f.Pollutant, StringComparer.Ordinal))).ToList();
    }

    /// <summary>The days of the hours [start, end) outside the whole days [fullFrom, fullTo).</summary>
    private static IEnumerable<DateTime> EdgeDays(DateTime start, DateTime end, DateTime fullFrom, DateTime fullTo) =>
        end <= start ? [] : LocalSpans.Days(start, end).Where(d => d < fullFrom || d >= fullTo);

    /// <summary>The data-anomaly episodes the alerts recorded, of one outlet or all.</summary>
    private Task<IReadOnlyList<Compliance.Anomalies.AnomalyEpisode>> EpisodesAsync(string? mn, CancellationToken ct) =>
        store.QueryAsync(DocumentRecords.AnomalyEpisodes, mn, ct);

    /// <summary>
    /// The data-anomaly episodes overlapping the period, of the report's outlets (filters city,
    /// enterprise, mn, pollutant), ordered like the other reports.
    /// </summary>
    public async Task<IReadOnlyList<(Scope Scope, Compliance.Anomalies.AnomalyEpisode Episode)>> AnomaliesAsync(ReportRequest r, CancellationToken ct)
    {
        var outlets = Outlets(r).ToDictionary(o => o.Mn, StringComparer.Ordinal);
        return (await EpisodesAsync(r.Mn, ct))
            .Where(e => outlets.ContainsKey(e.Mn) && (r.Pollutant is null || e.Pollutant == r.Pollutant))
            .Where(e => e.Start < r.Period.To && (e.End is null || e.End > r.Period.From))
            .Select(e => (Scope: Key(outlets[e.Mn], e.Pollutant, "pollutant"), Episode: e))
            .OrderBy(x => x.Scope, Scope.Order).ThenBy(x => x.Episode.Start).ThenBy(x => x.Episode.SubKind, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<HourResult>> HoursAsync(ReportRequest r, CancellationToken ct)
    {
        if (r.Mn is null || registry.FindOutlet(r.Mn) is not { } outlet)
        {
            throw new ArgumentException(r.Mn is null ? "hours needs --mn" : $"--mn {r.Mn} is not in the registry");
        }

        var hourly = await HourlyAsync(r.Period.From, r.Period.To, r.Mn, ct);
        var marks = await ActiveMarksAsync(r, ct);
        var manual = await ManualHoursAsync(outlet.Mn, ct);
        var anomalies = (await EpisodesAsync(outlet.Mn, ct)).Where(e => e.Basis == "hourly").ToList();
        var rows = new List<HourResult>();
        foreach (var pollutant in Assessed(outlet, r))
        {
            var scope = Key(outlet, pollutant, "pollutant");
            var mine = anomalies.Where(e => e.Pollutant == pollutant || e.SubKind == Compliance.Anomalies.AnomalyKinds.NoFlow).ToList();
            Func<DateTime, string?>? invalidating = invalidateSuspect ? hour => mine.FirstOrDefault(e => e.Covers(hour))?.SubKind : null;
            var samples = manual.Of(outlet.Mn, pollutant);
            rows.AddRange(_rates.Hours(outlet, pollutant, r.Period, NowLocal, hourly[outlet.Mn], marks, invalidating)
                .Select(h => h.State is HourState.Missing or HourState.Invalid or HourState.Excused && samples.TryGetValue(h.Hour, out var sample)
                    ? h with { State = HourState.Excused, Detail = $"manual sample {sample.Value.ToString("G", System.Globalization.CultureInfo.InvariantCulture)} ({sample.SampleId})", Reason = HourReasons.ManualData }
                    : h)
                .Select(h => new HourResult(scope, h, mine.Any(e => e.Covers(h.Hour)))));
        }

        return rows.OrderBy(x => x.Scope, Scope.Order).ThenBy(x => x.Hour.Hour).ToList();
    }
}
