using EmissionMonitor.Compliance.Summaries;

namespace EmissionMonitor.Storage.Influx;

/// <summary>
/// The summaries of the InfluxDB backend live in its local buffer, kept up to date by the buffer's
/// commits (every reading this instance takes in passes through it), so reports read a few thousand
/// day facts locally instead of a quarter of raw readings from the server.
/// </summary>
public sealed partial class InfluxStore
{
    public void MaintainFacts(FactMaintenance maintenance) => _buffer.MaintainFacts(maintenance);

    public Task<IReadOnlyList<FactSums>> SumFactsAsync(DateTime fromDay, DateTime toDay, string? mn, CancellationToken cancellationToken) =>
        _buffer.SumFactsAsync(fromDay, toDay, mn, cancellationToken);

    public Task<IReadOnlyList<DayFact>> QueryDayFactsAsync(DateTime fromDay, DateTime toDay, string? mn, CancellationToken cancellationToken) =>
        _buffer.QueryDayFactsAsync(fromDay, toDay, mn, cancellationToken);

    public Task<IReadOnlyList<DayFact>> QueryExceedingDaysAsync(DateTime fromDay, DateTime toDay, string? mn, CancellationToken cancellationToken) =>
        _buffer.QueryExceedingDaysAsync(fromDay, toDay, mn, cancellationToken);

    public Task<IReadOnlyList<ExceedHour>> QueryExceedHoursAsync(DateTime from, DateTime to, string? mn, CancellationToken cancellationToken) =>
        _buffer.QueryExceedHoursAsync(from, to, mn, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> FactFingerprintsAsync(CancellationToken cancellationToken) => _buffer.FactFingerprintsAsync(cancellationToken);

    public Task<int> RebuildFactsAsync(string mn, CancellationToken cancellationToken) =>
        _buffer.RebuildFactsAsync(mn, cancellationToken);
}
