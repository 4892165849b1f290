using EmissionMonitor.Compliance.Warnings;
using EmissionMonitor.Hj212;
using static EmissionMonitor.Alerts.Rules.AlertText;

namespace EmissionMonitor.Alerts.Rules;

/// <summary>
/// A <c>warning</c> per process parameter (registry <c>processLimits</c>, e.g. the furnace
/// temperature <c>a01901</c> of HJ 212-2025's CN 2111 5-minute means, or a real-time value)
/// beyond its bound; cleared by the next value within it. Process parameters are watched only:
/// they never enter rates, exceedances or cards.
/// </summary>
public sealed class ProcessLimitRule : IAlertRule
{
    public async ValueTask OnCommittedAsync(CommittedFrame frame, IAlertDesk desk, CancellationToken ct)
    {
        var outlet = frame.Outlet;
        if (!frame.IsNewReadings || !frame.Live || outlet.ProcessLimits is not { Count: > 0 } limits || frame.Cn is not (Cns.FurnaceTemperature or Cns.RealTime))
        {
            return;
        }

        foreach (var r in frame.Item.Readings)
        {
            if (r.Invalid is not null || !limits.TryGetValue(r.Pollutant, out var limit) || (r.Avg ?? r.Rtd) is not { } v || !double.IsFinite(v))
            {
                continue;
            }

            if (RealTimeWarning.Crossed(v, limit) is { } bound)
            {
                string name = Hj212.Codes.CodeCatalogue.Find(r.Pollutant)?.EnglishName ?? r.Pollutant;
                await desk.RaiseAsync(AlertDraft.For(AlertKinds.Warning, outlet, frame.Enterprise, r.Pollutant, v, bound, desk.Local(r.Period),
                    $"{outlet.Name} {r.Pollutant} ({name}) {v.ToString(System.Globalization.CultureInfo.InvariantCulture)} {(v < bound ? "below" : "above")} process limit {bound.ToString(System.Globalization.CultureInfo.InvariantCulture)}") with
                {
                    MessageKey = v < bound ? "alert.process-below" : "alert.process-above",
                    Params = Params(("outlet", outlet.Name), ("pollutant", r.Pollutant), ("value", N(v)), ("limit", N(bound))),
                }, ct);
            }
            else
            {
                await desk.ResolveAsync(AlertKinds.Warning, outlet.Mn, r.Pollutant, ct);
            }
        }
    }
}
