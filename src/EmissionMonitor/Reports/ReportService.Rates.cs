using EmissionMonitor.Compliance;

namespace EmissionMonitor.Reports;

public sealed partial class ReportService
{
    private async Task<ReportTable> RatesAsync(ReportRequest r, CancellationToken ct)
    {
        string level = r.By ?? "outlet";
        var hourly = await HourlyAsync(r.Period.From, r.Period.To, r.Mn, ct);
        var marks = await ActiveMarksAsync(r, ct);
        var groups = new Dictionary<string, (object?[] Key, RateCounts Counts)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var outlet in Outlets(r))
        {
            foreach (var pollutant in Assessed(outlet, r))
            {
                var counts = RateCounts.Of(_rates.Hours(outlet, pollutant, r.Period, NowLocal, hourly[outlet.Mn], marks));
                var key = Key(outlet, pollutant, level);
                string text = KeyText(key);
                if (!groups.TryGetValue(text, out var g))
                {
                    order.Add(text);
                    g = (key, default);
                }

                groups[text] = (key, g.Counts + counts);
            }
        }

        var rows = order.Select(k => groups[k]).Select(g => g.Key.Concat(new object?[]
        {
            Local(r.Period.From), Local(r.Period.To), g.Counts.Assessed, g.Counts.Expected, g.Counts.Received, g.Counts.Excused, g.Counts.Valid,
            g.Counts.TransmissionRate, g.Counts.ValidityRate, g.Counts.EffectiveRate, g.Counts.BelowThreshold(options.RateThreshold),
        }).ToArray()).ToList();
        return new ReportTable(Columns("from", "to", "assessed", "expected", "received", "excused", "valid",
            "transmissionRate", "validityRate", "effectiveRate", "belowThreshold").ToList(), Sorted(rows));
    }

    private async Task<ReportTable> HoursAsync(ReportRequest r, CancellationToken ct)
    {
        if (r.Mn is null || registry.FindOutlet(r.Mn) is not { } outlet)
        {
            throw new ArgumentException(r.Mn is null ? "hours needs --mn" : $"--mn {r.Mn} is not in the registry");
        }

        var hourly = await HourlyAsync(r.Period.From, r.Period.To, r.Mn, ct);
        var marks = await ActiveMarksAsync(r, ct);
        var rows = new List<object?[]>();
        foreach (var pollutant in Assessed(outlet, r))
        {
            foreach (var h in _rates.Hours(outlet, pollutant, r.Period, NowLocal, hourly[outlet.Mn], marks))
            {
                rows.Add(Key(outlet, pollutant, "pollutant").Concat(new object?[] { Local(h.Hour), Local(h.Hour.AddHours(1)), h.State, h.Flag, h.Detail }).ToArray());
            }
        }

        return new ReportTable(Columns("start", "end", "state", "flag", "detail").ToList(), Sorted(rows));
    }

    /// <summary>Sorts rows by city, enterprise, mn, pollutant, then the first time column.</summary>
    private static List<object?[]> Sorted(List<object?[]> rows) => rows
        .OrderBy(x => x[3] as string, StringComparer.Ordinal)
        .ThenBy(x => x[1] as string, StringComparer.Ordinal)
        .ThenBy(x => x[0] as string, StringComparer.Ordinal)
        .ThenBy(x => x[4] as string, StringComparer.Ordinal)
        .ThenBy(x => x.Length > 5 && x[5] is DateTimeOffset t ? t : DateTimeOffset.MinValue)
        .ToList();
}
