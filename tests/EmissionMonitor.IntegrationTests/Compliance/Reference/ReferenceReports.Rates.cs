using EmissionMonitor.Compliance.Rates;
using EmissionMonitor.Compliance.Results;

using EmissionMonitor.Reports;

namespace EmissionMonitor.IntegrationTests.Compliance.Reference;

public sealed partial class ReferenceReports
{
    /// <summary>Transmission rates of each assessed outlet and pollutant, summed up to the grouping asked (<c>by</c>, outlet by default).</summary>
    public async Task<IReadOnlyList<RateResult>> RatesAsync(ReportRequest r, CancellationToken ct)
    {
        string level = r.By ?? "outlet";
        var hourly = await HourlyAsync(r.Period.From, r.Period.To, r.Mn, ct);
        var marks = await ActiveMarksAsync(r, ct);
        var groups = new Dictionary<Scope, RateCounts>();
        var order = new List<Scope>();
        foreach (var outlet in Outlets(r))
        {
            foreach (var pollutant in Assessed(outlet, r))
            {
                // An hour an approved manual sample stands for, without a valid automatic value, is received and excused.
                var stands = await ManualOfAsync(outlet.Mn, pollutant, ct);
                var counts = RateCounts.Of(_rates.Hours(outlet, pollutant, r.Period, NowLocal, hourly[outlet.Mn], marks)
                    .Select(h => h.State is HourState.Missing or HourState.Invalid or HourState.Excused && stands(h.Hour) is not null ? h with { State = HourState.Excused } : h));
                var key = Key(outlet, pollutant, level);
                if (!groups.TryGetValue(key, out var sum))
                {
                    order.Add(key);
                }

                groups[key] = sum + counts;
            }
        }

        return order.Select(k => new RateResult(k, r.Period, groups[k], groups[k].BelowThreshold(options.RateThreshold)))
            .OrderBy(x => x.Scope, Scope.Order).ToList();
    }
}
