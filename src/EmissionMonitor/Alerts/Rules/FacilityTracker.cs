using EmissionMonitor.Compliance.Facilities;
using EmissionMonitor.Hj212;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Alerts.Rules;

/// <summary>
/// What the facility rules read (DOMAIN.md §0.4): each facility's latest real-time or minute value of
/// its code from its outlets' terminals (HJ 212-2025 ST=44) and since when it has been in its state.
/// Registered before the facility rules, so a frame is seen before they judge it; it raises nothing.
/// </summary>
public sealed class FacilityTracker(FacilityOptions options) : IAlertRule
{
    private readonly Dictionary<(string Enterprise, string Facility), (FacilitySample Latest, bool Runs, DateTime Since)> _seen = [];

    public FacilityOptions Options => options;

    public ValueTask OnCommittedAsync(CommittedFrame frame, IAlertDesk desk, CancellationToken ct)
    {
        if (!frame.IsNewReadings || !frame.Live || frame.Enterprise is not { Facilities.Count: > 0 } enterprise || frame.Cn is not (Cns.RealTime or Cns.Minute))
        {
            return ValueTask.CompletedTask;
        }

        foreach (var r in frame.Item.Readings)
        {
            if ((r.Rtd ?? r.Avg) is not { } v || !double.IsFinite(v))
            {
                continue;
            }

            foreach (var f in enterprise.Facilities.Where(f => f.Code == r.Pollutant && f.Outlets.Contains(frame.Outlet.Mn)))
            {
                var key = (enterprise.Id, f.Id);
                bool runs = f.Runs(v);
                _seen[key] = _seen.TryGetValue(key, out var before) && before.Runs == runs && r.Period - before.Latest.At < options.StaleAfter
                    ? (new FacilitySample(r.Period, v), runs, before.Since)
                    : (new FacilitySample(r.Period, v), runs, r.Period);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The facility's state at <paramref name="now"/> (local): running, stopped, or unknown without a value for Facilities:StaleAfter.</summary>
    public string State(Enterprise enterprise, Facility f, DateTime now) =>
        FacilityStates.At(f, _seen.TryGetValue((enterprise.Id, f.Id), out var s) ? s.Latest : null, now, options.StaleAfter);

    /// <summary>The facility's latest value and since when it has been in its state, when one was seen.</summary>
    public (FacilitySample Latest, DateTime Since)? Seen(Enterprise enterprise, Facility f) =>
        _seen.TryGetValue((enterprise.Id, f.Id), out var s) ? (s.Latest, s.Since) : null;

    /// <summary>The desk's now as a local time.</summary>
    public static DateTime Now(IAlertDesk desk) => TimeZoneInfo.ConvertTime(desk.Now, desk.Zone).DateTime;
}
