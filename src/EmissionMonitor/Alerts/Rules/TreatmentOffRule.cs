using EmissionMonitor.Compliance.Facilities;
using EmissionMonitor.Registry;
using static EmissionMonitor.Alerts.Rules.AlertText;

namespace EmissionMonitor.Alerts.Rules;

/// <summary>
/// <c>treatment-off</c> (critical, DOMAIN.md §0.4): a treatment facility stopped for
/// Facilities:MinMinutes while a production facility it serves runs; judged on every commit and tick
/// from the <see cref="FacilityTracker"/>; cleared when it runs again or the production stops —
/// never on missing data (a facility without a value for Facilities:StaleAfter is unknown).
/// </summary>
public sealed class TreatmentOffRule(FacilityTracker tracker, Func<StationRegistry> registry) : IAlertRule
{
    public async ValueTask OnCommittedAsync(CommittedFrame frame, IAlertDesk desk, CancellationToken ct)
    {
        if (frame.IsNewReadings && frame.Live && frame.Enterprise is { Facilities.Count: > 0 } enterprise)
        {
            await JudgeAsync(enterprise, desk, ct);
        }
    }

    public async ValueTask OnTickAsync(IAlertDesk desk, CancellationToken ct)
    {
        foreach (var enterprise in registry().Enterprises.Where(e => e.Facilities.Count > 0))
        {
            await JudgeAsync(enterprise, desk, ct);
        }
    }

    private async Task JudgeAsync(Enterprise enterprise, IAlertDesk desk, CancellationToken ct)
    {
        var now = FacilityTracker.Now(desk);
        foreach (var treatment in enterprise.Facilities.Where(f => f.Kind == Facility.Treatment))
        {
            string state = tracker.State(enterprise, treatment, now);
            var served = enterprise.Facilities.Where(p => treatment.Serves.Contains(p.Id)).ToList();
            var running = served.Where(p => tracker.State(enterprise, p, now) == FacilityStates.Running).ToList();
            string mn = treatment.Outlets[0];
            if (state == FacilityStates.Stopped && running.Count > 0 && tracker.Seen(enterprise, treatment) is { } t && tracker.Seen(enterprise, running[0]) is { } p)
            {
                var since = t.Since > p.Since ? t.Since : p.Since;
                if (now - since >= TimeSpan.FromMinutes(tracker.Options.MinMinutes))
                {
                    await desk.RaiseAsync(new AlertDraft(AlertKinds.TreatmentOff, mn, enterprise.Id, enterprise.City, treatment.Code, t.Latest.Value, treatment.OnAbove, desk.Local(since),
                        $"{enterprise.Name}: treatment facility {treatment.Name} stopped ({N(t.Latest.Value)}) while production {running[0].Name} runs ({N(p.Latest.Value)}) since {since:yyyy-MM-dd HH:mm}")
                    {
                        SubKind = treatment.Id,
                        Params = Params(("enterprise", enterprise.Name), ("treatment", treatment.Name), ("production", running[0].Name), ("value", N(t.Latest.Value)),
                            ("productionValue", N(p.Latest.Value)), ("since", since.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture))),
                    }, ct);
                }
            }
            else if (state == FacilityStates.Running || (state == FacilityStates.Stopped && served.All(p => tracker.State(enterprise, p, now) == FacilityStates.Stopped)))
            {
                await desk.ResolveAsync(AlertKinds.TreatmentOff, mn, treatment.Code, ct, treatment.Id);
            }
        }
    }
}
