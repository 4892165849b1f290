using EmissionMonitor.Compliance.Exceedance;
using EmissionMonitor.Compliance.Summaries;
using Microsoft.Data.Sqlite;

namespace EmissionMonitor.Storage.Sqlite;

/// <summary>The summaries: day facts summed in SQL, read in detail, and replaced whole for a rebuild.</summary>
public sealed partial class SqliteStore
{
    /// <summary>True unless this store is another backend's local buffer (which keeps none: see <see cref="IFactStore.KeepsFacts"/>).</summary>
    public bool KeepsFacts => !outbox;

    public void MaintainFacts(FactMaintenance maintenance) => _maintenance = KeepsFacts ? maintenance : null;

    /// <summary>Nothing lags: each commit brings the facts of what it stored up to date.</summary>
    public Task<IReadOnlyCollection<string>> UnsettledAsync(DateTime fromDay, DateTime toDay, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyCollection<string>>([]);

    public Task<int> SettleFactsAsync(CancellationToken cancellationToken) => Task.FromResult(0);

    private long _factsVersion;

    public long? FactsVersion => Interlocked.Read(ref _factsVersion);

    /// <summary>Marks the facts as possibly changed (<see cref="FactsVersion"/>).</summary>
    private void FactsChanged() => Interlocked.Increment(ref _factsVersion);

    /// <summary>The writer's fact statements (made on first use, on the writer connection).</summary>
    private SqliteFacts Facts(SqliteConnection writer)
    {
        return _facts ??= new SqliteFacts(writer, Names(writer));
    }

    /// <summary>
    /// Whole months come from the month rows (kept with the day rows at each commit), the days
    /// before the first and after the last whole month from the day rows: a quarter for a province
    /// is a few thousand rows whatever the span.
    /// </summary>
    public async Task<IReadOnlyList<FactSums>> SumFactsAsync(DateTime fromDay, DateTime toDay, string? mn, CancellationToken cancellationToken)
    {
        var firstMonth = fromDay.Day == 1 ? fromDay : new DateTime(fromDay.Year, fromDay.Month, 1).AddMonths(1);
        var lastMonth = new DateTime(toDay.Year, toDay.Month, 1);
        var parts = new List<FactSums>();
        if (firstMonth >= lastMonth)
        {
            parts.AddRange(await SumDaysAsync(fromDay, toDay, mn, cancellationToken));
        }
        else
        {
            parts.AddRange(await SumDaysAsync(fromDay, firstMonth, mn, cancellationToken));
            parts.AddRange(await QueryAsync($"""
                SELECT o.name, p.name, f.days, f.received, f.exempt, f.valid_rate, f.valid, f.exceeding, f.kg, f.valid_kg,
                       f.water_days, f.water_exceeding, f.gas_days, f.gas_exceeding
                FROM month_facts f JOIN names o ON o.id = f.outlet JOIN names p ON p.id = f.pollutant
                WHERE {FactRange("month", mn)} AND f.days > 0
                """,
                FactParameters(SqliteFacts.MonthKey(firstMonth), SqliteFacts.MonthKey(lastMonth), mn), MapSums, cancellationToken));
            parts.AddRange(await SumDaysAsync(lastMonth, toDay, mn, cancellationToken));
        }

        return parts.GroupBy(p => (p.Mn, p.Pollutant)).Select(g => g.Skip(1).Aggregate(g.First(), (a, b) => a + b)).ToList();
    }

    private async Task<List<FactSums>> SumDaysAsync(DateTime fromDay, DateTime toDay, string? mn, CancellationToken cancellationToken) =>
        toDay <= fromDay ? [] : await QueryAsync($"""
            SELECT o.name, p.name, COUNT(*), SUM(f.received), SUM(f.exempt), SUM(f.valid_rate), SUM(f.valid), SUM(f.exceeding),
                   SUM(f.kg), SUM(f.valid_kg), SUM(f.day_state > 0), SUM(f.day_state = 2), SUM(f.gas_state > 0), SUM(f.gas_state = 2)
            FROM day_facts f JOIN names o ON o.id = f.outlet JOIN names p ON p.id = f.pollutant
            WHERE {FactRange("day", mn)}
            GROUP BY f.outlet, f.pollutant
            """,
            FactParameters(SqliteFacts.DayKey(fromDay), SqliteFacts.DayKey(toDay), mn), MapSums, cancellationToken);

    private static FactSums MapSums(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5), r.GetInt32(6),
        r.GetInt32(7), r.GetDouble(8), r.GetDouble(9), r.GetInt32(10), r.GetInt32(11), r.GetInt32(12), r.GetInt32(13));

    public async Task<IReadOnlyList<DayFact>> QueryDayFactsAsync(DateTime fromDay, DateTime toDay, string? mn, CancellationToken cancellationToken) =>
        await QueryRowsAsync($"SELECT {DayFactColumns} FROM day_facts f WHERE {FactRange("day", mn)} ORDER BY f.day",
            FactParameters(SqliteFacts.DayKey(fromDay), SqliteFacts.DayKey(toDay), mn), MapDayFact, cancellationToken);

    /// <summary>One index seek per outlet (the minimum of the outlet's day index), on one connection.</summary>
    public async Task<IReadOnlyDictionary<string, DateTime>> FirstFactDaysAsync(IReadOnlyCollection<string> mns, CancellationToken cancellationToken)
    {
        var first = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        if (mns.Count == 0)
        {
            return first;
        }

        await using var connection = await OpenAsync(cancellationToken);
        using var statement = new SqliteStatement(connection, "SELECT MIN(day) FROM day_facts WHERE outlet = (SELECT id FROM names WHERE name = $mn)");
        foreach (var mn in mns)
        {
            cancellationToken.ThrowIfCancellationRequested();
            statement.Bind("$mn", mn).ReadFirst(row =>
            {
                if (row.ColumnReal(0) is not null)
                {
                    first[mn] = SqliteFacts.FromDayKey(row.ColumnInteger(0));
                }
            });
        }

        return first;
    }

    public async Task<IReadOnlyList<DayFact>> QueryExceedingDaysAsync(DateTime fromDay, DateTime toDay, IReadOnlyCollection<string>? mns, CancellationToken cancellationToken) =>
        // The partial index of exceeding days: the day range alone would walk every day summary of the period.
        await QueryRowsAsync($"SELECT {DayFactColumns} FROM day_facts f INDEXED BY day_facts_exceeding WHERE {FactRange("day", mns)} AND f.day_state = 2 ORDER BY f.day",
            FactParameters(SqliteFacts.DayKey(fromDay), SqliteFacts.DayKey(toDay), mns), MapDayFact, cancellationToken);

    public async Task<IReadOnlyList<ExceedHour>> QueryExceedHoursAsync(DateTime from, DateTime to, IReadOnlyCollection<string>? mns, CancellationToken cancellationToken)
    {
        // Many rows (a province's exceeding hours): ids mapped through the store's cache of the names, no join, no string per row.
        return await QueryRowsAsync($"SELECT f.outlet, f.pollutant, f.hour, f.value, f.kind, f.bound, f.min_bound FROM exceed_hours f WHERE {FactRange("hour", mns)} ORDER BY f.outlet, f.hour",
            FactParameters(SqliteFacts.HourKey(from), SqliteFacts.HourKey(to), mns),
            r => new ExceedHour(NameOf(r.ColumnInteger(0)), NameOf(r.ColumnInteger(1)), SqliteFacts.FromHourKey(r.ColumnInteger(2)), r.ColumnDouble(3), ValueKinds.Shared(r.ColumnUtf8(4)),
                r.ColumnDouble(5), r.ColumnInteger(6) == 1),
            cancellationToken);
    }

    /// <summary>
    /// <see cref="IFactStore.CountEpisodesAsync"/> counted in SQL, no row brought out: the exceeding
    /// hours of the range that begin an episode (their <c>start</c>, kept by the writer; counted in
    /// its partial index, in outlet and pollutant order), those of the range's first hour that do
    /// not; the exceeding days that are the first or follow a day that does not exceed.
    /// </summary>
    public async Task<EpisodeCounts> CountEpisodesAsync(DateTime from, DateTime to, IReadOnlyCollection<string>? mns, CancellationToken cancellationToken)
    {
        long firstHour = SqliteFacts.HourKey(EpisodeCounts.FirstHour(from));
        string outlets = mns is null ? string.Empty : $"{OutletIn(mns)} AND ";
        var hourly = await QueryRowsAsync($"""
            SELECT f.outlet, f.pollutant, COUNT(*) FROM exceed_hours f INDEXED BY exceed_starts WHERE {outlets}f.start = 1 AND f.hour >= $from AND f.hour < $to
                GROUP BY f.outlet, f.pollutant
            UNION ALL
            SELECT f.outlet, f.pollutant, COUNT(*) FROM exceed_hours f WHERE {outlets}f.hour = $from AND f.start = 0 GROUP BY f.outlet, f.pollutant
            """, FactParameters(firstHour, SqliteFacts.HourKey(LocalSpans.CeilHour(to)), mns), Count, cancellationToken);
        long firstDay = SqliteFacts.DayKey(EpisodeCounts.FirstDay(from));
        var daily = await QueryRowsAsync($"""
            SELECT f.outlet, f.pollutant, SUM(f.day = $from OR NOT EXISTS (SELECT 1 FROM day_facts g
                WHERE g.day = f.day - 1 AND g.outlet = f.outlet AND g.pollutant = f.pollutant AND g.day_state = {DayStates.Exceeding}))
            FROM day_facts f WHERE {FactRange("day", mns)} AND f.day_state = {DayStates.Exceeding} GROUP BY f.outlet, f.pollutant
            """, FactParameters(firstDay, SqliteFacts.DayKey(LocalSpans.CeilDay(to)), mns), Count, cancellationToken);
        return new EpisodeCounts(hourly.GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Count)), daily.ToDictionary(c => c.Key, c => c.Count));

        ((string, string) Key, int Count) Count(SqliteStatement r) => ((NameOf(r.ColumnInteger(0)), NameOf(r.ColumnInteger(1))), (int)r.ColumnInteger(2));
    }

    public async Task<IReadOnlyDictionary<string, string>> FactFingerprintsAsync(CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT o.name, s.fingerprint FROM fact_state s JOIN names o ON o.id = s.outlet", [], r => (r.GetString(0), r.GetString(1)), cancellationToken))
        .ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);

    public async Task<int> RebuildFactsAsync(string mn, CancellationToken cancellationToken)
    {
        try
        {
            return await RebuildOutletFactsAsync(mn, cancellationToken);
        }
        finally
        {
            FactsChanged(); // after its transactions
        }
    }

    private async Task<int> RebuildOutletFactsAsync(string mn, CancellationToken cancellationToken)
    {
        var maintenance = _maintenance ?? throw new InvalidOperationException("facts are not maintained by this store");
        if (maintenance.Outlet(mn) is not { } outlet)
        {
            return 0;
        }

        var span = await QueryAsync("""
            SELECT MIN(period), MAX(period) FROM records
            WHERE outlet = (SELECT id FROM names WHERE name = $mn) AND cn IN (SELECT id FROM names WHERE name IN ($h, $d))
            """,
            [("$mn", mn), ("$h", Hj212.Cns.Hourly), ("$d", Hj212.Cns.Daily)],
            r => r.IsDBNull(0) ? ((DateTime, DateTime)?)null : (SqliteFacts.FromPeriodKey(r.GetInt64(0)), SqliteFacts.FromPeriodKey(r.GetInt64(1))),
            cancellationToken);
        int days = 0;
        if (span[0] is var (first, last))
        {
            for (var month = new DateTime(first.Year, first.Month, 1); month <= last; month = month.AddMonths(1))
            {
                days += await WriteAsync(facts => facts.Rebuild(maintenance.Rules, outlet, month, month.AddMonths(1)), cancellationToken);
            }
        }

        string fingerprint = maintenance.Rules.Fingerprint(outlet);
        await WriteAsync(facts => facts.SetFingerprint(mn, fingerprint), cancellationToken);
        return days;
    }

    /// <summary>Runs <paramref name="work"/> on the writer's fact statements in one write transaction.</summary>
    private Task<int> WriteAsync(Func<SqliteFacts, int> work, CancellationToken cancellationToken) =>
        WriteTransactionAsync((writer, _) => Task.FromResult(work(Facts(writer))), cancellationToken);

    /// <summary>The range condition of a facts query: [$from, $to) of <paramref name="column"/>.</summary>
    private static string FactRange(string column) =>
        $"f.{column} >= $from AND f.{column} < $to";

    /// <summary>The range condition, and one outlet's when <paramref name="mn"/> is given (then its index serves the query).</summary>
    private static string FactRange(string column, string? mn) =>
        mn is null ? FactRange(column) : $"f.outlet = (SELECT id FROM names WHERE name = $mn) AND {FactRange(column)}";

    private static (string, object?)[] FactParameters(long from, long to, string? mn) => [("$from", from), ("$to", to), ("$mn", mn)];

    /// <summary>The range condition, and the outlets' when <paramref name="mns"/> is given (then the outlet index serves each).</summary>
    private static string FactRange(string column, IReadOnlyCollection<string>? mns) => mns is null
        ? FactRange(column)
        : $"{OutletIn(mns)} AND {FactRange(column)}";

    /// <summary>The condition that a fact is of one of the outlets <paramref name="mns"/> names (bound by <see cref="FactParameters(long, long, IReadOnlyCollection{string}?)"/>).</summary>
    private static string OutletIn(IReadOnlyCollection<string> mns) =>
        $"f.outlet IN (SELECT id FROM names WHERE name IN ({string.Join(", ", mns.Select((_, i) => "$m" + i))}))";

    private static (string, object?)[] FactParameters(long from, long to, IReadOnlyCollection<string>? mns) =>
        [("$from", from), ("$to", to), .. (mns ?? []).Select((m, i) => ("$m" + i, (object?)m))];

    /// <summary>A day fact's columns, outlet and pollutant by name id (mapped through the store's cache of the names: no join, no string per row).</summary>
    private const string DayFactColumns =
        "f.outlet, f.pollutant, f.day, f.flags, f.valid_mask, f.exceed_mask, f.value_sum, f.kg, f.valid_kg, f.daily, f.daily_value, f.day_state, f.gas_state, f.hour_values";

    private static readonly string[] SingleFlags = Enumerable.Range(0, 128).Select(c => ((char)c).ToString()).ToArray();

    /// <summary>A day fact from its row: a province's quarter is a million of them, so nothing is copied that can be read in place.</summary>
    private DayFact MapDayFact(SqliteStatement r)
    {
        var fact = new DayFact(NameOf(r.ColumnInteger(0)), NameOf(r.ColumnInteger(1)), SqliteFacts.FromDayKey(r.ColumnInteger(2)))
        {
            ValidMask = (int)r.ColumnInteger(4), ExceedMask = (int)r.ColumnInteger(5), ValueSum = r.ColumnDouble(6), Kg = r.ColumnDouble(7), ValidKg = r.ColumnDouble(8),
            Daily = r.ColumnInteger(9) == 1, DailyValue = r.ColumnReal(10), DayState = (int)r.ColumnInteger(11), GasDayState = (int)r.ColumnInteger(12),
        };
        fact.ReadHourValues(r.ColumnBlob(13));
        var utf8 = r.ColumnUtf8(3);
        Span<char> flags = utf8.Length <= 256 ? stackalloc char[utf8.Length] : new char[utf8.Length];
        int n = System.Text.Encoding.UTF8.GetChars(utf8, flags);
        fact.ReadFlags(flags[..n], c => c < 128 ? SingleFlags[c] : c.ToString());
        return fact;
    }
}
