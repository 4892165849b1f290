using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Exceedance;
using EmissionMonitor.Compliance.Rates;
using EmissionMonitor.Compliance.Warnings;
using EmissionMonitor.Hj212;
using static EmissionMonitor.Alerts.Rules.AlertText;

namespace EmissionMonitor.Alerts.Rules;

/// <summary>
/// The registry's limits: real-time values beyond the limit <c>Alerts:WarningMinCount</c> (3) times
/// in a row raise <c>warning</c>, as many within it clear it — a value toggling across the limit is
/// no alert at all — and a warning cleared less than <c>Alerts:ReopenQuiet</c> (30 min) ago is
/// reopened rather than raised anew; a valid hourly mean (or a water daily mean) beyond it raises
/// <c>exceedance</c>, a valid one within it clears it.
/// </summary>
public sealed class LimitRule(ComplianceOptions compliance, AlertOptions? options = null) : IAlertRule
{
    private readonly RateCalculator _rates = new(compliance);
    private readonly AlertOptions _options = options ?? new AlertOptions { WarningMinCount = 1, ReopenQuiet = TimeSpan.Zero };
    private readonly Dictionary<(string Mn, string Pollutant), int> _run = []; // > 0: values beyond in a row; < 0: within

    public async ValueTask OnCommittedAsync(CommittedFrame frame, IAlertDesk desk, CancellationToken ct)
    {
        if (!frame.IsNewReadings || !frame.Live)
        {
            return;
        }

        var (outlet, enterprise, readings) = (frame.Outlet, frame.Enterprise, frame.Item.Readings);
        var detector = new ExceedanceDetector(compliance, _rates.Validity);
        foreach (var (pollutant, limit) in outlet.Limits)
        {
            if (frame.Cn == Cns.RealTime)
            {
                var r = readings.FirstOrDefault(x => x.Pollutant == pollutant);
                if ((r is null ? null : _rates.Validity.RealTimeValue(r)) is { } v)
                {
                    var key = (outlet.Mn, pollutant);
                    int run = _run.GetValueOrDefault(key);
                    if (RealTimeWarning.Crossed(v, limit) is { } b)
                    {
                        _run[key] = run = Math.Max(run, 0) + 1;
                        if (run >= _options.WarningMinCount)
                        {
                            await desk.RaiseAsync(AlertDraft.For(AlertKinds.Warning, outlet, enterprise, pollutant, v, b, desk.Local(r!.Period), $"{outlet.Name} {pollutant} real-time {v} beyond limit {b}")
                                with { Params = Params(("outlet", outlet.Name), ("pollutant", pollutant), ("value", N(v)), ("limit", N(b))), ReopenWithin = _options.ReopenQuiet }, ct);
                        }
                    }
                    else
                    {
                        _run[key] = run = Math.Min(run, 0) - 1;
                        if (-run >= _options.WarningMinCount)
                        {
                            await desk.ResolveAsync(AlertKinds.Warning, outlet.Mn, pollutant, ct);
                        }
                    }
                }

                continue;
            }

            foreach (var p in detector.Assess(outlet, pollutant, frame.Cn == Cns.Hourly ? readings : [], frame.Cn == Cns.Daily ? readings : []))
            {
                if (p.Exceeds)
                {
                    await desk.RaiseAsync(AlertDraft.For(AlertKinds.Exceedance, outlet, enterprise, pollutant, p.Value, p.Bound, desk.Local(p.Start),
                        $"{outlet.Name} {pollutant} {p.Value:0.###} ({p.ValueKind}) beyond limit {p.Bound} from {p.Start:yyyy-MM-dd HH:mm}") with
                    {
                        DataTo = desk.Local(p.Start.AddHours(frame.Cn == Cns.Daily ? 24 : 1)),
                        Params = Params(("outlet", outlet.Name), ("pollutant", pollutant), ("value", N(p.Value)), ("valueKind", p.ValueKind), ("limit", p.Bound is { } bound ? N(bound) : null),
                            ("from", p.Start.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture))),
                    }, ct);
                }
                else
                {
                    await desk.ResolveAsync(AlertKinds.Exceedance, outlet.Mn, pollutant, ct);
                }
            }
        }
    }
}
