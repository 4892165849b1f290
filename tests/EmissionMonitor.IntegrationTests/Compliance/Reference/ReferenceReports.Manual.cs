using EmissionMonitor.Compliance.Exceedance;
using EmissionMonitor.Compliance.Manual;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;

namespace EmissionMonitor.IntegrationTests.Compliance.Reference;

public sealed partial class ReferenceReports
{
    private readonly Dictionary<(string, string), Func<DateTime, (double Value, double? Flow)?>> _manual = [];

    /// <summary>
    /// Which approved manual sample stands for an hour, written out from DOMAIN.md §0.2 without the
    /// service's <see cref="ManualHours"/>: of the outlet's approved samples of the pollutant, those of
    /// the latest sample hour not after the hour stand for it while it is before the latest end of
    /// their cover — with the mean of their values and of the flows measured.
    /// </summary>
    private async Task<Func<DateTime, (double Value, double? Flow)?>> ManualOfAsync(string mn, string pollutant, CancellationToken ct)
    {
        if (_manual.TryGetValue((mn, pollutant), out var known))
        {
            return known;
        }

        var samples = (await records.QueryAsync(DocumentRecords.ManualData, mn, ct)).Where(s => s.State == ManualSample.Approved && s.Pollutant == pollutant).ToList();
        (double, double?)? At(DateTime hour)
        {
            var before = samples.Where(s => s.CoverFrom <= hour).ToList();
            if (before.Count == 0)
            {
                return null;
            }

            var latest = before.Max(s => s.CoverFrom);
            var group = before.Where(s => s.CoverFrom == latest).ToList();
            if (hour >= group.Max(s => s.CoverTo))
            {
                return null;
            }

            var flows = group.Where(s => s.Flow is not null).Select(s => s.Flow!.Value).ToList();
            return (group.Average(s => s.Value), flows.Count == 0 ? null : flows.Average());
        }

        return _manual[(mn, pollutant)] = samples.Count == 0 ? _ => null : At;
    }

    /// <summary>
    /// The periods of <paramref name="assessed"/> (every valid period, in order) with those approved
    /// manual samples judge in [from, to): each hour without a valid one (hourly basis), each day
    /// without a valid mean, with the mean of its manual hours in the window (daily basis).
    /// </summary>
    private async Task<List<AssessedPeriod>> WithManualAsync(Outlet outlet, string pollutant, string basis, IReadOnlyList<AssessedPeriod> assessed,
        DateTime from, DateTime to, CancellationToken ct)
    {
        var stands = await ManualOfAsync(outlet.Mn, pollutant, ct);
        var limit = outlet.Limits[pollutant];
        var valid = assessed.Select(p => p.Start).ToHashSet();
        var manual = new List<(DateTime Hour, double Value)>();
        for (var hour = from; hour < to; hour = hour.AddHours(1))
        {
            if (stands(hour) is { } m)
            {
                manual.Add((hour, m.Value));
            }
        }

        var periods = assessed.ToList();
        if (basis == "hour")
        {
            periods.AddRange(manual.Where(m => !valid.Contains(m.Hour)).Select(m => ExceedanceDetector.Compare(m.Hour, m.Hour.AddHours(1), (m.Value, ValueKinds.Manual), limit)));
        }
        else
        {
            periods.AddRange(manual.GroupBy(m => m.Hour.Date).Where(d => !valid.Contains(d.Key))
                .Select(d => ExceedanceDetector.Compare(d.Key, d.Key.AddDays(1), (d.Average(m => m.Value), ValueKinds.Manual), limit)));
        }

        return [.. periods.OrderBy(p => p.Start)];
    }
}
