using System.Text;

namespace EmissionMonitor.Storage.Influx;

/// <summary>Writing to and executing on the InfluxDB server, and pruning it.</summary>
public sealed partial class InfluxStore
{
    /// <summary>Writes points through the pipeline; a server that does not take them is a <see cref="StoreUnavailableException"/>.</summary>
    private async Task WriteServerAsync(StringBuilder lines, CancellationToken cancellationToken)
    {
        var text = lines.ToString().TrimEnd('\n');
        if (text.Length == 0)
        {
            return;
        }

        try
        {
            await _pipeline.ExecuteAsync(async t => await _connection.WriteAsync(text.Split('\n'), t), cancellationToken);
        }
        catch (Exception e) when (IsServerFailure(e, cancellationToken))
        {
            throw new StoreUnavailableException($"InfluxDB at {_url} did not take the summaries ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <summary>Runs InfluxQL statements that change data (DELETE) through the pipeline.</summary>
    private async Task ExecuteServerAsync(string statements, CancellationToken cancellationToken)
    {
        try
        {
            await _pipeline.ExecuteAsync(async t => await _connection.ExecuteAsync(statements, t), cancellationToken);
        }
        catch (Exception e) when (IsServerFailure(e, cancellationToken))
        {
            throw new StoreUnavailableException($"InfluxDB at {_url} did not run {statements.Split(' ')[0]} ({e.GetType().Name}: {e.Message})", e);
        }
    }

    private static bool IsServerFailure(Exception e, CancellationToken cancellationToken) =>
        e is Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException or HttpRequestException
            or InfluxDB.Client.Core.Exceptions.InfluxException or InfluxException or TaskCanceledException && !cancellationToken.IsCancellationRequested;

    /// <summary>
    /// On the server, what the retention options say (any instance may run it: a DELETE is the same
    /// twice): readings of each CN and frames of each retention class past their age (frames written
    /// before the <c>class</c> tag stay), summaries before the month of their age. The local buffer
    /// keeps only what is not yet forwarded and what first-wins duplicate detection needs: frames
    /// (InfluxDB holds them) a day after they were received, readings once older than the duplicate
    /// window (<c>Intake:MaxAge</c>: older frames are refused anyway); nothing pending.
    /// </summary>
    public async Task<PruneResult> PruneAsync(RetentionOptions options, DateTimeOffset now, TimeZoneInfo zone, IReadOnlyCollection<string> mns, CancellationToken cancellationToken)
    {
        var plan = RetentionPlan.Of(options, now, zone);
        var statements = new List<string>();
        foreach (var (cn, before) in plan.ReadingsBefore)
        {
            if (InfluxSchema.MeasurementOfCn.TryGetValue(cn, out var measurement))
            {
                statements.Add($"DELETE FROM \"{measurement}\" WHERE time < {Ns(before)}");
            }
        }

        foreach (var (cls, before) in plan.FramesBefore)
        {
            statements.Add($"DELETE FROM \"{InfluxSchema.Frames}\" WHERE \"class\" = {InfluxSchema.Literal(Sqlite.FrameBlocks.ClassNames[cls])} AND time < {LineProtocol.Nanoseconds(before)}");
        }

        if (plan.SummariesBefore is { } summaries)
        {
            long month = Ns(new DateTime(summaries.Year, summaries.Month, 1)); // whole months, so a month's point and its days go together
            statements.AddRange(new[] { InfluxSchema.DayFacts, InfluxSchema.MonthFacts, InfluxSchema.ExceedDays, InfluxSchema.ExceedingDays, InfluxSchema.ExceedHours }.Select(m => $"DELETE FROM \"{m}\" WHERE time < {month}"));
        }

        if (statements.Count > 0)
        {
            await ExecuteServerAsync(string.Join(";", statements), cancellationToken);
        }

        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var frames = new[] { Sqlite.FrameBlocks.Events, Sqlite.FrameBlocks.RealTime, Sqlite.FrameBlocks.Minute, Sqlite.FrameBlocks.Data }
            .ToDictionary(c => c, _ => now - TimeSpan.FromDays(1));
        var readings = InfluxSchema.MeasurementOfCn.Keys
            .ToDictionary(c => c, _ => local - _dedupeWindow, StringComparer.Ordinal);
        return await _buffer.PruneAsync(new RetentionPlan(frames, readings, null, options.BatchRows), mns, cancellationToken);
    }
}
