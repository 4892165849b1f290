using EmissionMonitor.Compliance.Facilities;
using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Registry;
using static EmissionMonitor.Alerts.Rules.AlertText;

namespace EmissionMonitor.Alerts.Rules;

/// <summary>
/// <c>emissions-without-production</c> (info, DOMAIN.md §0.4): an outlet's flow above
/// Facilities:FlowThreshold while every production facility of its enterprise is known to be stopped;
/// cleared by a flow at or below it or a production facility running.
/// </summary>
public sealed class EmissionsWithoutProductionRule(FacilityTracker tracker) : IAlertRule
{
    public async ValueTask OnCommittedAsync(CommittedFrame frame, IAlertDesk desk, CancellationToken ct)
    {
        if (!frame.IsNewReadings || !frame.Live || frame.Enterprise is not { Facilities.Count: > 0 } enterprise)
        {
            return;
        }

        string flowCode = frame.Outlet.Kind == MediumKind.Gas ? CodeCatalogue.GasFlow : CodeCatalogue.WaterFlow;
        if (frame.Item.Readings.FirstOrDefault(r => r.Pollutant == flowCode) is not { } flow || (flow.Rtd ?? flow.Avg) is not { } q)
        {
            return;
        }

        var now = FacilityTracker.Now(desk);
        var production = enterprise.Facilities.Where(f => f.Kind == Facility.Production).ToList();
        double threshold = tracker.Options.FlowThreshold;
        if (production.Count > 0 && q > threshold && production.All(p => tracker.State(enterprise, p, now) == FacilityStates.Stopped))
        {
            await desk.RaiseAsync(AlertDraft.For(AlertKinds.EmissionsWithoutProduction, frame.Outlet, enterprise, flowCode, q, threshold, desk.Local(flow.Period),
                $"{frame.Outlet.Name}: flow {N(q)} while every production facility of {enterprise.Name} is stopped") with
            {
                Params = Params(("outlet", frame.Outlet.Name), ("enterprise", enterprise.Name), ("value", N(q))),
            }, ct);
        }
        else if (q <= threshold || production.Any(p => tracker.State(enterprise, p, now) == FacilityStates.Running))
        {
            await desk.ResolveAsync(AlertKinds.EmissionsWithoutProduction, frame.Outlet.Mn, flowCode, ct);
        }
    }
}
