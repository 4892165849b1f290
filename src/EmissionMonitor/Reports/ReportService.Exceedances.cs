using EmissionMonitor.Compliance;
using EmissionMonitor.Hj212.Codes;

namespace EmissionMonitor.Reports;

public sealed partial class ReportService
{
    /// <summary>How far around the period episodes are followed, so overlapping episodes are listed whole.</summary>
    private static readonly TimeSpan EpisodeMargin = TimeSpan.FromDays(62);

    private async Task<ReportTable> ExceedancesAsync(ReportRequest r, CancellationToken ct)
    {
        var from = r.Period.From - EpisodeMargin;
        var to = r.Period.To + EpisodeMargin;
        var hourly = await HourlyAsync(from, to, r.Mn, ct);
        var daily = (await store.QueryReadingsAsync(new Storage.ReadingQuery("2031", from, to, r.Mn), ct)).ToLookup(x => x.Mn, StringComparer.Ordinal);
        var detector = new ExceedanceDetector(options, _rates);
        var rows = new List<object?[]>();
        foreach (var outlet in Outlets(r))
        {
            var outletHourly = hourly[outlet.Mn].ToList();
            var outletDaily = daily[outlet.Mn].ToList();
            foreach (var pollutant in Assessed(outlet, r))
            {
                string basis = ExceedanceDetector.Basis(outlet, outlet.Limits[pollutant]);
                var periods = detector.Assess(outlet, pollutant, outletHourly, outletDaily);
                foreach (var e in ExceedanceDetector.Episodes(outlet, pollutant, basis, periods, NowLocal))
                {
                    if (e.End > r.Period.From && e.Start < r.Period.To)
                    {
                        rows.Add(Key(outlet, pollutant, "pollutant").Concat(new object?[]
                        {
                            e.Basis, e.ValueKind, Local(e.Start), Local(e.End), e.Periods, e.Peak, e.Limit, e.PeakMultiple, e.Ongoing,
                        }).ToArray());
                    }
                }
            }
        }

        return new ReportTable(Columns("basis", "valueKind", "start", "end", "periods", "peak", "limit", "peakMultiple", "ongoing").ToList(), Sorted(rows));
    }
}
