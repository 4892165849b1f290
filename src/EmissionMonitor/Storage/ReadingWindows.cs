using System.Runtime.CompilerServices;
using EmissionMonitor.Hj212;
using EmissionMonitor.Intake;

namespace EmissionMonitor.Storage;

/// <summary>
/// A period's readings read a window of time at a time, in period order (within a period, pollutants in
/// code order; outlets first when no MN is given): never the whole period at once — a month of one
/// outlet's real-time data every ten seconds is millions of readings — and never one read held open
/// while a slow client takes them (each window is a query of its own, so SQLite's checkpoints and
/// InfluxDB's answers stay short).
/// </summary>
public static class ReadingWindows
{
    /// <summary>
    /// The span one read covers: six hours of data sent every few seconds (real-time, raw, furnace
    /// temperature), a day of minute data, a month of hourly and daily data — each a few thousand
    /// records of one outlet.
    /// </summary>
    private static TimeSpan Of(string cn) => cn switch
    {
        Cns.RealTime or Cns.RawData or Cns.FurnaceTemperature => TimeSpan.FromHours(6),
        Cns.Minute => TimeSpan.FromDays(1),
        _ => TimeSpan.FromDays(31),
    };

    /// <summary>
    /// The readings of <paramref name="query"/>'s period, <paramref name="read"/> asked for each window
    /// [from, to) in turn (windows start on whole hours, so hours derived from minutes fall in one).
    /// </summary>
    public static async IAsyncEnumerable<Reading> ReadAsync(ReadingQuery query, Func<DateTime, DateTime, CancellationToken, Task<IReadOnlyList<Reading>>> read,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var (from, to) in Spans(query))
        {
            var part = (await read(from, to, cancellationToken)).ToArray();
            Array.Sort(part, InPeriodOrder);
            foreach (var reading in part)
            {
                yield return reading;
            }
        }
    }

    /// <summary>The plain read of one window of <paramref name="query"/> from <paramref name="store"/> (what <see cref="ReadAsync"/> and <see cref="CountAsync"/> take).</summary>
    public static Func<DateTime, DateTime, CancellationToken, Task<IReadOnlyList<Reading>>> Reader(IReadingStore store, ReadingQuery query) =>
        (from, to, ct) => store.QueryReadingsAsync(query with { From = from, To = to }, ct);

    /// <summary>How many readings <see cref="ReadAsync"/> gives (each window read and counted, nothing kept).</summary>
    public static async Task<long> CountAsync(ReadingQuery query, Func<DateTime, DateTime, CancellationToken, Task<IReadOnlyList<Reading>>> read,
        CancellationToken cancellationToken)
    {
        long n = 0;
        foreach (var (from, to) in Spans(query))
        {
            n += (await read(from, to, cancellationToken)).Count;
        }

        return n;
    }

    /// <summary>The windows of the query's period: the first from its start, each ending a window's span after the whole hour it starts in.</summary>
    private static IEnumerable<(DateTime From, DateTime To)> Spans(ReadingQuery query)
    {
        var window = Of(query.Cn);
        for (var from = query.From; from < query.To;)
        {
            var hour = new DateTime(from.Ticks - (from.Ticks % TimeSpan.TicksPerHour), from.Kind);
            var to = hour + window < query.To ? hour + window : query.To;
            yield return (from, to);
            from = to;
        }
    }

    /// <summary>Outlet, period, then pollutant.</summary>
    private static readonly Comparison<Reading> InPeriodOrder = static (a, b) =>
    {
        int c = string.CompareOrdinal(a.Mn, b.Mn);
        if (c == 0)
        {
            c = a.Period.CompareTo(b.Period);
        }

        return c != 0 ? c : string.CompareOrdinal(a.Pollutant, b.Pollutant);
    };
}
