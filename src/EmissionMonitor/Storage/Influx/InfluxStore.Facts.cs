using EmissionMonitor.Compliance.Summaries;

namespace EmissionMonitor.Storage.Influx;

/// <summary>
/// The InfluxDB backend keeps no summaries of its own yet: the instances of a scale-out share one
/// server but each local buffer holds only the frames its instance took in, so summaries kept there
/// would differ between instances. Every outlet is therefore reported as having none, and reports
/// compute its day facts from the server's readings, one outlet at a time (bounded by the outlet and
/// the period). Keeping the summaries in InfluxDB itself is the open part of the scale issue.
/// </summary>
public sealed partial class InfluxStore
{
    public bool KeepsFacts => false;

    public void MaintainFacts(FactMaintenance maintenance)
    {
        // Nothing kept: see the class summary.
    }

    public Task<IReadOnlyList<FactSums>> SumFactsAsync(DateTime fromDay, DateTime toDay, string? mn, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FactSums>>([]);

    public Task<IReadOnlyList<DayFact>> QueryDayFactsAsync(DateTime fromDay, DateTime toDay, string? mn, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DayFact>>([]);

    public Task<IReadOnlyList<DayFact>> QueryExceedingDaysAsync(DateTime fromDay, DateTime toDay, string? mn, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DayFact>>([]);

    public Task<IReadOnlyList<ExceedHour>> QueryExceedHoursAsync(DateTime from, DateTime to, string? mn, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ExceedHour>>([]);

    public long FactsVersion => 0; // no facts kept: reports compute from the readings every time

    public Task<IReadOnlyDictionary<string, string>> FactFingerprintsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());

    public Task<int> RebuildFactsAsync(string mn, CancellationToken cancellationToken) => Task.FromResult(0);

    /// <summary>
    /// The local buffer keeps only what is not yet forwarded and what first-wins duplicate detection
    /// needs: frames (InfluxDB holds them) a day after they were received, readings once older than
    /// the duplicate window (<c>Intake:MaxAge</c>: older frames are refused anyway); nothing pending.
    /// </summary>
    public Task<PruneResult> PruneAsync(RetentionOptions options, DateTimeOffset now, TimeZoneInfo zone, IReadOnlyCollection<string> mns, CancellationToken cancellationToken)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var frames = new[] { Sqlite.FrameBlocks.Events, Sqlite.FrameBlocks.RealTime, Sqlite.FrameBlocks.Minute, Sqlite.FrameBlocks.Data }
            .ToDictionary(c => c, _ => now - TimeSpan.FromDays(1));
        var readings = InfluxSchema.MeasurementOfCn.Keys
            .ToDictionary(c => c, _ => local - _dedupeWindow, StringComparer.Ordinal);
        return _buffer.PruneAsync(new RetentionPlan(frames, readings, null, options.BatchRows), mns, cancellationToken);
    }
}
