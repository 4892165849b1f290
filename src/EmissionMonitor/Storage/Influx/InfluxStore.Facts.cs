using System.Text;
using EmissionMonitor.Compliance.Summaries;
using EmissionMonitor.Hj212;

namespace EmissionMonitor.Storage.Influx;

/// <summary>
/// The summaries kept in InfluxDB itself, so every instance of a scale-out reads the same ones: day
/// facts (measurement <c>day_facts</c>, a point per outlet, pollutant and local day, its sums as
/// fields), their sums per month (<c>month_facts</c>: a report of whole months reads a point per
/// outlet, pollutant and month), the hours beyond an hourly limit (<c>exceed_days</c>: a point per
/// outlet and day holding its exceeding hours), a mark per day exceeding on the water daily basis
/// (<c>exceeding_days</c>) and each outlet's rules fingerprint (<c>fact_state</c>). They are made from
/// the server's readings, never from one instance's buffer: the forwarder writes, with each batch of
/// hourly or daily readings, a marker per outlet and day (<c>fact_dirty</c>, in the same write), and
/// the summarizer of any instance (<see cref="SettleFactsAsync"/>: the fact service every 15 s, a
/// one-shot command before it answers) rebuilds the marked days from the server's readings and
/// removes the markers it saw — unless one was written again meanwhile, which leaves it for the next
/// pass. Until then reports compute a marked outlet, and one with readings still in this instance's
/// buffer, from its readings (<see cref="UnsettledAsync"/>): both instances then answer alike.
/// </summary>
public sealed partial class InfluxStore
{
    private const int MarkersPerPass = 20_000;
    private volatile FactMaintenance? _maintenance;
    private readonly SemaphoreSlim _settling = new(1, 1);

    public bool KeepsFacts => true;

    /// <summary>Another instance may change the facts at any time: nothing computed from them is kept between requests.</summary>
    public long? FactsVersion => null;

    public void MaintainFacts(FactMaintenance maintenance) => _maintenance = maintenance;

    /// <summary>
    /// Whole months from the month points (a few per outlet and pollutant), the days before the
    /// first and after the last whole month from the day points; summed here, in time order.
    /// </summary>
    public async Task<IReadOnlyList<FactSums>> SumFactsAsync(DateTime fromDay, DateTime toDay, string? mn, CancellationToken cancellationToken)
    {
        var firstMonth = fromDay.Day == 1 ? fromDay : new DateTime(fromDay.Year, fromDay.Month, 1).AddMonths(1);
        var lastMonth = new DateTime(toDay.Year, toDay.Month, 1);
        var spans = firstMonth >= lastMonth
            ? [(InfluxSchema.DayFacts, fromDay, toDay)]
            : new[] { (InfluxSchema.DayFacts, fromDay, firstMonth), (InfluxSchema.MonthFacts, firstMonth, lastMonth), (InfluxSchema.DayFacts, lastMonth, toDay) };
        var sums = new Dictionary<(string, string), FactSums>();
        foreach (var (measurement, from, to) in spans.Where(s => s.Item2 < s.Item3))
        {
            using var doc = await QueryServerAsync($"SELECT {InfluxSchema.SumFieldList}, \"mn\", \"pollutant\" FROM \"{measurement}\" WHERE {Span(from, to, mn)}", cancellationToken);
            foreach (var r in Rows(doc))
            {
                int Int(string c) => (int)r.Long(c);
                var key = (r.Str("mn")!, r.Str("pollutant")!);
                var part = new FactSums(key.Item1, key.Item2, Int("days"), Int("received"), Int("exempt"), Int("valid_rate"), Int("valid"), Int("exceeding"),
                    r.Dbl("kg") ?? 0, r.Dbl("valid_kg") ?? 0, Int("water_days"), Int("water_exceeding"), Int("gas_days"), Int("gas_exceeding"));
                sums[key] = sums.TryGetValue(key, out var sum) ? sum + part : part;
            }
        }

        return sums.Values.ToList();
    }

    public async Task<IReadOnlyList<DayFact>> QueryDayFactsAsync(DateTime fromDay, DateTime toDay, string? mn, CancellationToken cancellationToken) =>
        await DayFactsAsync($"{Span(fromDay, toDay, mn)}", cancellationToken);

    public async Task<IReadOnlyList<DayFact>> QueryDayFactsOfAsync(DateTime fromDay, DateTime toDay, IReadOnlyCollection<string> mns, IReadOnlyCollection<string> pollutants,
        CancellationToken cancellationToken) =>
        mns.Count == 0 || pollutants.Count == 0 ? [] : await DayFactsAsync(
            $"{Span(fromDay, toDay, null)}{Outlets(mns)} AND ({string.Join(" OR ", pollutants.Select(p => $"\"pollutant\" = {InfluxSchema.Literal(p)}"))})", cancellationToken);

    /// <summary>The exceeding days: their marks first (few points), then the day facts of only the outlets that have any.</summary>
    public async Task<IReadOnlyList<DayFact>> QueryExceedingDaysAsync(DateTime fromDay, DateTime toDay, IReadOnlyCollection<string>? mns, CancellationToken cancellationToken)
    {
        List<string> marked;
        using (var doc = await QueryServerAsync($"SELECT \"n\", \"mn\" FROM \"{InfluxSchema.ExceedingDays}\" WHERE {Span(fromDay, toDay, null)}{Outlets(mns)}", cancellationToken))
        {
            marked = Rows(doc).Select(r => r.Str("mn")).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        }

        return marked.Count == 0 ? [] : await DayFactsAsync($"{Span(fromDay, toDay, null)}{Outlets(marked)} AND \"day_state\" = {DayStates.Exceeding}", cancellationToken);
    }

    public async Task<IReadOnlyList<ExceedHour>> QueryExceedHoursAsync(DateTime from, DateTime to, IReadOnlyCollection<string>? mns, CancellationToken cancellationToken)
    {
        using var doc = await QueryServerAsync(
            $"SELECT \"hours\", \"mn\" FROM \"{InfluxSchema.ExceedDays}\" WHERE {Span(from.Date, LocalSpans.CeilDay(to), null)}{Outlets(mns)}", cancellationToken);
        return CompleteRows(doc, r => InfluxSchema.ReadExceedDay(r.Req("mn"), Local(r.Long("time")), r.Req("hours"))).SelectMany(day => day)
            .Where(e => e.Hour >= from && e.Hour < to).OrderBy(e => e.Hour).ToList();
    }

    /// <summary>The first point of each outlet's day facts (one query, grouped by outlet).</summary>
    public async Task<IReadOnlyDictionary<string, DateTime>> FirstFactDaysAsync(IReadOnlyCollection<string> mns, CancellationToken cancellationToken)
    {
        var first = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        if (mns.Count == 0)
        {
            return first;
        }

        using var doc = await QueryServerAsync($"SELECT FIRST(\"valid_mask\") FROM \"{InfluxSchema.DayFacts}\" WHERE {Outlets(mns)[" AND ".Length..]} GROUP BY \"mn\"", cancellationToken);
        foreach (var series in Series(doc))
        {
            var time = series.GetProperty("values")[0][0];
            long ns = time.ValueKind == System.Text.Json.JsonValueKind.Number ? time.GetInt64() : LineProtocol.Nanoseconds(time.GetDateTimeOffset());
            first[series.GetProperty("tags").GetProperty("mn").GetString()!] = Local(ns).Date;
        }

        return first;
    }

    public async Task<IReadOnlyDictionary<string, string>> FactFingerprintsAsync(CancellationToken cancellationToken)
    {
        using var doc = await QueryServerAsync($"SELECT LAST(\"fingerprint\") AS \"fingerprint\" FROM \"{InfluxSchema.FactState}\" GROUP BY \"mn\"", cancellationToken);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var series in Series(doc))
        {
            // A fingerprint of the layout before (hours a point each) matches no rules: its outlet is rebuilt.
            string stored = series.GetProperty("values")[0][1].GetString()!;
            result[series.GetProperty("tags").GetProperty("mn").GetString()!] =
                stored.StartsWith(InfluxSchema.FactLayout, StringComparison.Ordinal) ? stored[InfluxSchema.FactLayout.Length..] : InfluxSchema.FactLayout + "(before)";
        }

        return result;
    }

    /// <summary>Outlets with days marked but not yet rebuilt in [fromDay, toDay), and outlets with hourly, daily or minute readings still in this instance's buffer.</summary>
    public async Task<IReadOnlyCollection<string>> UnsettledAsync(DateTime fromDay, DateTime toDay, CancellationToken cancellationToken)
    {
        var pending = await _buffer.PendingOutletsAsync(InfluxSchema.FactCns, cancellationToken); // first, as for readings
        using var doc = await QueryServerAsync($"SELECT \"at\", \"mn\" FROM \"{InfluxSchema.FactDirty}\" WHERE {Span(fromDay, toDay, null)}", cancellationToken);
        var result = new HashSet<string>(pending, StringComparer.Ordinal);
        result.UnionWith(Rows(doc).Select(r => r.Str("mn")).OfType<string>());
        return result;
    }

    /// <summary>Rebuilds the marked days of up to <see cref="MarkersPerPass"/> markers from the server's readings; returns the days written.</summary>
    public async Task<int> SettleFactsAsync(CancellationToken cancellationToken)
    {
        if (_maintenance is not { } maintenance)
        {
            return 0;
        }

        await _settling.WaitAsync(cancellationToken);
        try
        {
            List<(string Mn, long Time, long At)> markers;
            using (var doc = await QueryServerAsync($"SELECT \"at\", \"mn\" FROM \"{InfluxSchema.FactDirty}\" LIMIT {MarkersPerPass}", cancellationToken))
            {
                markers = Rows(doc).Where(r => r.Str("mn") is not null).Select(r => (r.Str("mn")!, r.Long("time"), r.Long("at"))).ToList();
            }

            int days = 0;
            var pending = (await _buffer.PendingOutletsAsync(InfluxSchema.FactCns, cancellationToken)).ToHashSet(StringComparer.Ordinal);
            foreach (var outlet in markers.GroupBy(m => m.Mn, StringComparer.Ordinal).Where(g => !pending.Contains(g.Key)))
            {
                // An outlet with readings still in this buffer waits: they bring markers of their own when forwarded.
                var from = Local(outlet.Min(m => m.Time)).Date;
                var to = Local(outlet.Max(m => m.Time)).Date.AddDays(1);
                if (maintenance.Outlet(outlet.Key) is { } registered)
                {
                    days += await WriteFactsAsync(maintenance.Rules, registered, from, to, cancellationToken);
                }

                // The markers seen are removed only if none was written again meanwhile (new
                // readings of those days): else the next pass rebuilds the days once more.
                using var again = await QueryServerAsync($"SELECT \"at\" FROM \"{InfluxSchema.FactDirty}\" WHERE {Span(from, to, outlet.Key)}", cancellationToken);
                var seen = outlet.Select(m => (m.Time, m.At)).ToHashSet();
                if (Rows(again).All(r => seen.Contains((r.Long("time"), r.Long("at")))))
                {
                    await ExecuteServerAsync($"DELETE FROM \"{InfluxSchema.FactDirty}\" WHERE {Span(from, to, outlet.Key)}", cancellationToken);
                }
            }

            return days;
        }
        finally
        {
            _settling.Release();
        }
    }

    public async Task<int> RebuildFactsAsync(string mn, CancellationToken cancellationToken)
    {
        var maintenance = _maintenance ?? throw new InvalidOperationException("facts are not maintained by this store");
        if (maintenance.Outlet(mn) is not { } outlet)
        {
            return 0;
        }

        var first = await EdgeAsync("FIRST", mn, cancellationToken);
        var last = await EdgeAsync("LAST", mn, cancellationToken);
        int days = 0;
        if (first is { } f && last is { } l)
        {
            for (var month = new DateTime(f.Year, f.Month, 1); month <= l; month = month.AddMonths(1))
            {
                days += await WriteFactsAsync(maintenance.Rules, outlet, month, month.AddMonths(1), cancellationToken);
            }
        }

        var line = new StringBuilder();
        LineProtocol.Append(line, InfluxSchema.FactState, [("mn", mn)], [("fingerprint", InfluxSchema.FactLayout + maintenance.Rules.Fingerprint(outlet))], 0);
        await WriteServerAsync(line, cancellationToken);
        return days;
    }

    /// <summary>The first or last period of an outlet's hourly and daily readings on the server, local time.</summary>
    private async Task<DateTime?> EdgeAsync(string selector, string mn, CancellationToken cancellationToken)
    {
        DateTime? edge = null;
        foreach (var cn in InfluxSchema.FactCns)
        {
            using var doc = await QueryServerAsync(
                $"SELECT {selector}(\"n\") FROM \"{InfluxSchema.MeasurementOfCn[cn]}\" WHERE \"mn\" = {InfluxSchema.Literal(mn)}", cancellationToken);
            foreach (var row in Rows(doc))
            {
                var t = Local(row.Long("time"));
                edge = edge is not { } e ? t : selector == "FIRST" ? (t < e ? t : e) : (t > e ? t : e);
            }
        }

        return edge;
    }

    /// <summary>
    /// Computes an outlet's facts of [fromDay, toDay) from the server's readings (what every
    /// instance sees), writes them, and removes the points of that span no longer there. Returns the
    /// days written.
    /// </summary>
    private async Task<int> WriteFactsAsync(FactRules rules, Registry.Outlet outlet, DateTime fromDay, DateTime toDay, CancellationToken cancellationToken)
    {
        // Whole months, so each month point is the sum of that month's day points.
        fromDay = new DateTime(fromDay.Year, fromDay.Month, 1);
        toDay = toDay.Day == 1 && toDay.TimeOfDay == TimeSpan.Zero ? toDay : new DateTime(toDay.Year, toDay.Month, 1).AddMonths(1);
        var (days, exceeding) = rules.Compute(outlet,
            await ServerReadingListAsync(new ReadingQuery(Cns.Hourly, fromDay, toDay, outlet.Mn), cancellationToken),
            await ServerReadingListAsync(new ReadingQuery(Cns.Daily, fromDay, toDay, outlet.Mn), cancellationToken),
            rules.ReadsMinutes ? await ServerReadingListAsync(new ReadingQuery(Cns.Minute, fromDay, toDay, outlet.Mn), cancellationToken) : null);
        var before = await KeysAsync(InfluxSchema.DayFacts, fromDay, toDay, outlet.Mn, cancellationToken);
        var hoursBefore = await KeysAsync(InfluxSchema.ExceedDays, fromDay, toDay, outlet.Mn, cancellationToken);
        bool layoutBefore = (await KeysAsync(InfluxSchema.ExceedHours, fromDay, toDay, outlet.Mn, cancellationToken)).Count > 0; // a point an hour: none left once rebuilt
        var monthsBefore = await KeysAsync(InfluxSchema.MonthFacts, fromDay, toDay, outlet.Mn, cancellationToken);
        var exceedingBefore = await KeysAsync(InfluxSchema.ExceedingDays, fromDay, toDay, outlet.Mn, cancellationToken);
        var lines = new StringBuilder();
        foreach (var day in days)
        {
            InfluxSchema.AppendDayFact(lines, day, rules.Options.EffectiveExemptFlags, Ns(day.Day));
            before.Remove((day.Pollutant, Ns(day.Day)));
            if (day.DayState == DayStates.Exceeding)
            {
                LineProtocol.Append(lines, InfluxSchema.ExceedingDays, [("mn", day.Mn), ("pollutant", day.Pollutant)], [("n", 1L)], Ns(day.Day));
                exceedingBefore.Remove((day.Pollutant, Ns(day.Day)));
            }
        }

        foreach (var day in exceeding.GroupBy(e => e.Hour.Date))
        {
            InfluxSchema.AppendExceedDay(lines, outlet.Mn, day.Key, day.OrderBy(e => e.Hour).ThenBy(e => e.Pollutant, StringComparer.Ordinal), Ns(day.Key));
            hoursBefore.Remove(("", Ns(day.Key)));
        }

        foreach (var month in days.GroupBy(d => (d.Pollutant, Month: new DateTime(d.Day.Year, d.Day.Month, 1))))
        {
            InfluxSchema.AppendMonthFact(lines, FactSums.Of(outlet.Mn, month.Key.Pollutant, month, rules.Options.EffectiveExemptFlags), Ns(month.Key.Month));
            monthsBefore.Remove((month.Key.Pollutant, Ns(month.Key.Month)));
        }

        await WriteServerAsync(lines, cancellationToken);
        var stale = before.Select(k => (InfluxSchema.DayFacts, k)).Concat(monthsBefore.Select(k => (InfluxSchema.MonthFacts, k)))
            .Concat(exceedingBefore.Select(k => (InfluxSchema.ExceedingDays, k)))
            .Select(s => $"DELETE FROM \"{s.Item1}\" WHERE \"mn\" = {InfluxSchema.Literal(outlet.Mn)} AND \"pollutant\" = {InfluxSchema.Literal(s.k.Pollutant)} AND time = {s.k.Time}")
            .Concat(hoursBefore.Select(k => $"DELETE FROM \"{InfluxSchema.ExceedDays}\" WHERE \"mn\" = {InfluxSchema.Literal(outlet.Mn)} AND time = {k.Time}"))
            .Concat(layoutBefore ? [$"DELETE FROM \"{InfluxSchema.ExceedHours}\" WHERE {Span(fromDay, toDay, outlet.Mn)}"] : [])
            .Chunk(100);
        foreach (var chunk in stale)
        {
            await ExecuteServerAsync(string.Join(";", chunk), cancellationToken);
        }

        return days.Select(d => d.Day).Distinct().Count();
    }

    /// <summary>The (pollutant, time) of the points of a facts measurement in a span of one outlet.</summary>
    private async Task<HashSet<(string Pollutant, long Time)>> KeysAsync(string measurement, DateTime from, DateTime to, string mn, CancellationToken cancellationToken)
    {
        string field = measurement switch { InfluxSchema.ExceedHours => "value", InfluxSchema.ExceedDays => "hours", InfluxSchema.ExceedingDays => "n", _ => "received" };
        using var doc = await QueryServerAsync($"SELECT \"{field}\", \"pollutant\" FROM \"{measurement}\" WHERE {Span(from, to, mn)}", cancellationToken);
        return Rows(doc).Select(r => (r.Str("pollutant") ?? "", r.Long("time"))).ToHashSet();
    }

    private async Task<List<DayFact>> DayFactsAsync(string where, CancellationToken cancellationToken)
    {
        using var doc = await QueryServerAsync($"SELECT * FROM \"{InfluxSchema.DayFacts}\" WHERE {where}", cancellationToken);
        var list = new List<DayFact>();
        foreach (var r in Rows(doc))
        {
            var fact = new DayFact(r.Str("mn")!, r.Str("pollutant")!, Local(r.Long("time")))
            {
                ValidMask = (int)r.Long("valid_mask"), ExceedMask = (int)r.Long("exceed_mask"), ValueSum = r.Dbl("value_sum") ?? 0, Kg = r.Dbl("kg") ?? 0,
                ValidKg = r.Dbl("valid_kg") ?? 0, Daily = r.Long("daily") == 1, DailyValue = r.Dbl("daily_value"), DayState = (int)r.Long("day_state"),
                GasDayState = (int)r.Long("gas_state"), PackedHourValues = r.Str("hour_values") is { Length: > 0 } values ? Convert.FromBase64String(values) : null,
            };
            fact.ReadFlags(r.Str("flags") ?? "", c => c.ToString());
            list.Add(fact);
        }

        return list.OrderBy(f => f.Day).ToList();
    }

    /// <summary>The time condition of [from, to) (local times), and one outlet's when given.</summary>
    private string Span(DateTime from, DateTime to, string? mn) =>
        $"time >= {Ns(from)} AND time < {Ns(to)}" + (mn is null ? string.Empty : $" AND \"mn\" = {InfluxSchema.Literal(mn)}");

    /// <summary>The condition on the outlets <paramref name="mns"/> names (nothing for all).</summary>
    private static string Outlets(IReadOnlyCollection<string>? mns) =>
        mns is null ? string.Empty : $" AND ({string.Join(" OR ", mns.Select(m => $"\"mn\" = {InfluxSchema.Literal(m)}"))})";

    private long Ns(DateTime local) => LineProtocol.Nanoseconds(new DateTimeOffset(local, _zone.GetUtcOffset(local)));

    private DateTime Local(long nanoseconds) => TimeZoneInfo.ConvertTime(DateTimeOffset.UnixEpoch.AddTicks(nanoseconds / 100), _zone).DateTime;

}
