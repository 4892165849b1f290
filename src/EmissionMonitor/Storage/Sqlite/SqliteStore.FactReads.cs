using EmissionMonitor.Compliance.Summaries;

namespace EmissionMonitor.Storage.Sqlite;

/// <summary>
/// The summary reads of many outlets at once: the day facts of a group of outlets (for
/// substitution, the tax's concentrations; read in the order of the outlets' ids, the table's order
/// within a day) and the exceeding hours counted per day (the trend).
/// </summary>
public sealed partial class SqliteStore
{
    /// <summary>The outlets' name ids: the day facts lie in that order within each day.</summary>
    public IReadOnlyDictionary<string, long>? ReadingKeys(IReadOnlyCollection<string> mns)
    {
        if (_idOf is null || mns.Any(m => !_idOf.ContainsKey(m)))
        {
            LoadNames();
        }

        var idOf = _idOf!;
        return mns.Where(idOf.ContainsKey).ToDictionary(m => m, m => idOf[m], StringComparer.Ordinal);
    }

    /// <summary>The day facts of <paramref name="mns"/>' <paramref name="pollutants"/> in [fromDay, toDay), through the outlet index.</summary>
    public async Task<IReadOnlyList<DayFact>> QueryDayFactsOfAsync(DateTime fromDay, DateTime toDay, IReadOnlyCollection<string> mns, IReadOnlyCollection<string> pollutants,
        CancellationToken cancellationToken) =>
        mns.Count == 0 || pollutants.Count == 0 ? [] : await QueryRowsAsync(
            $"SELECT {DayFactColumns} FROM day_facts f WHERE {FactRange("day", mns)} "
            + $"AND f.pollutant IN (SELECT id FROM names WHERE name IN ({string.Join(", ", pollutants.Select((_, i) => "$p" + i))})) ORDER BY f.day",
            [.. FactParameters(SqliteFacts.DayKey(fromDay), SqliteFacts.DayKey(toDay), mns), .. pollutants.Select((p, i) => ("$p" + i, (object?)p))], MapDayFact, cancellationToken);

    /// <summary>
    /// The exceeding hours per outlet, pollutant and day from the day summaries' exceed masks (a
    /// partial index holds only the days with one), the first and last day's masks cut to the hours of
    /// [from, to): a quarter of a province reads its exceeding days, never a row per hour.
    /// </summary>
    public async Task<IReadOnlyList<ExceedDayCount>> CountExceedHoursByDayAsync(DateTime from, DateTime to, IReadOnlyCollection<string>? mns, CancellationToken cancellationToken)
    {
        var rows = await QueryRowsAsync(
            $"SELECT f.outlet, f.pollutant, f.day, f.exceed_mask FROM day_facts f INDEXED BY day_facts_exceed_masks WHERE {FactRange("day", mns)} AND f.exceed_mask <> 0",
            FactParameters(SqliteFacts.DayKey(from.Date), SqliteFacts.DayKey(to.TimeOfDay == TimeSpan.Zero ? to : to.Date.AddDays(1)), mns),
            r => (Outlet: r.ColumnInteger(0), Pollutant: r.ColumnInteger(1), Day: SqliteFacts.FromDayKey(r.ColumnInteger(2)), Mask: (int)r.ColumnInteger(3)),
            cancellationToken);
        var counts = new List<ExceedDayCount>(rows.Count);
        foreach (var (outlet, pollutant, day, mask) in rows)
        {
            int hours = System.Numerics.BitOperations.PopCount((uint)(mask & HoursWithin(day, from, to)));
            if (hours > 0)
            {
                counts.Add(new ExceedDayCount(NameOf(outlet), NameOf(pollutant), day, hours));
            }
        }

        return counts;
    }

    /// <summary>
    /// The exceeding hours per day over the counted pairs, in one pass over the exceed masks' index
    /// (ordered by day, outlet, pollutant): whether a pair counts is decided once per pair, the
    /// outlets of a day are the changes of outlet within it — nothing is kept per row.
    /// </summary>
    public async Task<IReadOnlyList<ExceedDayTotal>> SumExceedHoursByDayAsync(DateTime from, DateTime to, IReadOnlyCollection<string>? mns, Func<string, string, bool> counted,
        CancellationToken cancellationToken)
    {
        var decided = new Dictionary<(long Outlet, long Pollutant), bool>();
        var totals = new List<ExceedDayTotal>();
        long day = -1, outlet = -1;
        int hours = 0, mask = 0;
        var outlets = new List<string>();
        void Close()
        {
            if (outlets.Count > 0)
            {
                totals.Add(new ExceedDayTotal(SqliteFacts.FromDayKey(day), hours, outlets.ToList()));
            }

            outlets.Clear();
            hours = 0;
        }

        await ReadEachAsync(
            $"SELECT f.day, f.outlet, f.pollutant, f.exceed_mask FROM day_facts f INDEXED BY day_facts_exceed_masks WHERE {FactRange("day", mns)} AND f.exceed_mask <> 0 ORDER BY f.day, f.outlet",
            FactParameters(SqliteFacts.DayKey(from.Date), SqliteFacts.DayKey(to.TimeOfDay == TimeSpan.Zero ? to : to.Date.AddDays(1)), mns),
            r =>
            {
                long rowDay = r.ColumnInteger(0), rowOutlet = r.ColumnInteger(1), pollutant = r.ColumnInteger(2);
                if (!decided.TryGetValue((rowOutlet, pollutant), out bool counts))
                {
                    decided[(rowOutlet, pollutant)] = counts = counted(NameOf(rowOutlet), NameOf(pollutant));
                }

                if (rowDay != day)
                {
                    Close();
                    day = rowDay;
                    outlet = -1;
                    mask = HoursWithin(SqliteFacts.FromDayKey(day), from, to);
                }

                int n = counts ? System.Numerics.BitOperations.PopCount((uint)(r.ColumnInteger(3) & mask)) : 0;
                if (n > 0)
                {
                    hours += n;
                    if (rowOutlet != outlet)
                    {
                        outlets.Add(NameOf(rowOutlet));
                        outlet = rowOutlet;
                    }
                }
            },
            cancellationToken);
        Close();
        return totals;
    }

    /// <summary>The hours of <paramref name="day"/> in [from, to) as the hour keys count them (an hour from the one holding <paramref name="from"/>), as a mask.</summary>
    private static int HoursWithin(DateTime day, DateTime from, DateTime to)
    {
        int first = from <= day ? 0 : (int)Math.Floor((from - day).TotalHours);
        int end = to >= day.AddDays(1) ? DayFact.HoursPerDay : (int)Math.Floor((to - day).TotalHours);
        return first >= end ? 0 : (int)(((1L << end) - 1) & ~((1L << first) - 1));
    }
}
