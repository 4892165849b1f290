using EmissionMonitor.Hj212;
using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Exceedance;
using EmissionMonitor.Compliance.Results;

using EmissionMonitor.Reports;

namespace EmissionMonitor.IntegrationTests.Compliance.Reference;

public sealed partial class ReferenceReports
{
    /// <summary>The exceedance episodes overlapping the period, each listed whole.</summary>
    public async Task<IReadOnlyList<ExceedanceResult>> ExceedancesAsync(ReportRequest r, CancellationToken ct)
    {
        var from = r.Period.From - ExceedanceDetector.EpisodeMargin;
        var to = r.Period.To + ExceedanceDetector.EpisodeMargin;
        var hourly = await HourlyAsync(from, to, r.Mn, ct);
        var daily = (await store.QueryReadingsAsync(new EmissionMonitor.Storage.ReadingQuery(Cns.Daily, from, to, r.Mn), ct)).ToLookup(x => x.Mn, StringComparer.Ordinal);
        var detector = new ExceedanceDetector(options, _rates.Validity);
        var rows = new List<ExceedanceResult>();
        foreach (var outlet in Outlets(r))
        {
            var outletHourly = hourly[outlet.Mn].ToList();
            var outletDaily = daily[outlet.Mn].ToList();
            foreach (var pollutant in Assessed(outlet, r))
            {
                string basis = ExceedanceDetector.Basis(outlet, outlet.Limits[pollutant]);
                var periods = detector.Assess(outlet, pollutant, outletHourly, outletDaily);
                var scope = Key(outlet, pollutant, "pollutant");
                rows.AddRange(ExceedanceDetector.Episodes(outlet, pollutant, basis, periods, NowLocal)
                    .Where(e => e.End > r.Period.From && e.Start < r.Period.To)
                    .Select(e => new ExceedanceResult(scope, e)));
            }
        }

        return rows.OrderBy(x => x.Scope, Scope.Order).ThenBy(x => x.Episode.Start).ToList();
    }
}
