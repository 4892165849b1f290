using EmissionMonitor.Compliance.Manual;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Simulation;

/// <summary>
/// The demo's outage covered by manual data (issue 31): one outlet's data acquisition was down for
/// three days, from five days before the demo starts to two days before; its enterprise marked the
/// fault and sampled by hand every 6 hours, and the bureau approved it all — so the demo shows
/// hours excused by manual data, a manual exceedance and manual kg in the totals. Seeded once (its
/// records have fixed ids), only when the back-fill reaches back that far.
/// </summary>
public static class DemoOutage
{
    /// <summary>The member of the demo's TCP 2017 fleet that goes down.</summary>
    public const int Index = 11;

    /// <summary>The outage's local hours [From, To) for a demo whose back-fill of <paramref name="backfill"/> hours ends at <paramref name="thisHour"/>, or null when it does not reach back.</summary>
    public static (DateTime From, DateTime To)? Plan(DateTime thisHour, int backfill) =>
        backfill >= 5 * 24 ? (thisHour.Date.AddDays(-5), thisHour.Date.AddDays(-2)) : null;

    /// <summary>Records the fault mark and the approved manual samples of the outage (none when they are there already).</summary>
    public static async Task SeedAsync(IRecordStore store, Outlet outlet, (DateTime From, DateTime To) outage, TimeProvider clock, CancellationToken ct)
    {
        string markId = $"mk-demo-outage-{outlet.Mn}-{outage.From:yyyyMMdd}";
        var now = clock.GetUtcNow();
        if ((await store.QueryMarksAsync(outage.From, outage.To, outlet.Mn, ct)).Any(m => m.Key == markId))
        {
            return;
        }

        const string by = "演示企业环保专员", reviewer = "演示值班员";
        await store.AddMarkAsync(new Mark(outlet.Mn, Mark.Fault, outage.From, outage.To, "数采仪主板故障，已报修；停运期间每6小时手工监测一次")
        {
            Id = markId, By = by, CreatedAt = now, Enterprise = outlet.EnterpriseId, Decision = Mark.Approved, DecidedBy = reviewer, DecidedAt = now, DecisionComment = "情况属实",
        }, ct);
        int n = 0;
        for (var at = outage.From.AddMinutes(20); at < outage.To; at = at.AddHours(6), n++)
        {
            foreach (var (code, limit) in outlet.Limits.Where(l => l.Value.Max is not null && l.Value.Min is null).OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                double share = n / 4 == 1 ? 1.15 : 0.45 + (0.05 * (n % 4)); // the second day above the limit: a manual exceedance (each sample, and the day's mean)
                var hour = new DateTime(at.Year, at.Month, at.Day, at.Hour, 0, 0);
                await store.SaveAsync(DocumentRecords.ManualData, new ManualSample
                {
                    Id = $"md-demo-{outlet.Mn}-{at:yyyyMMddHH}-{code}", Mn = outlet.Mn, Pollutant = code, SampledAt = at, Value = Math.Round(limit.Max!.Value * share, 2),
                    Unit = outlet.Kind == Hj212.Codes.MediumKind.Water ? "mg/L" : "mg/m3", Enterprise = outlet.EnterpriseId, MarkId = markId,
                    CoverFrom = hour, CoverTo = hour.AddHours(6) < outage.To ? hour.AddHours(6) : outage.To, By = by, CreatedAt = now, State = ManualSample.Approved,
                    DecidedBy = reviewer, DecidedAt = now, DecisionComment = "检测报告齐全",
                    History = [new ManualStep(now, by, "filed", "第三方检测"), new ManualStep(now, reviewer, "approved", "检测报告齐全")],
                }, ct);
            }
        }
    }
}
