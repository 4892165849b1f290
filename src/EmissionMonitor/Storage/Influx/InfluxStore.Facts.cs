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
