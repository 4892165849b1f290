using System.Text;
using EmissionMonitor.Compliance.Summaries;
using EmissionMonitor.Hj212;

namespace EmissionMonitor.Storage.Influx;

/// <summary>
/// The summaries' upkeep in InfluxDB (see <c>InfluxStore.Facts.cs</c>): each outlet's rules
/// fingerprint, the outlets a report must compute from readings until settled, the settling pass over
/// the dirty markers, and an outlet's facts rebuilt from the server's readings.
/// </summary>
public sealed partial class InfluxStore
{
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
}
