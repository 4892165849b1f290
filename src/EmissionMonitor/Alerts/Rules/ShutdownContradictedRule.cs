using EmissionMonitor.Storage;
using EmissionMonitor.Compliance.Facilities;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Registry;
using static EmissionMonitor.Alerts.Rules.AlertText;

namespace EmissionMonitor.Alerts.Rules;

/// <summary>
/// <c>shutdown-contradicted</c> (warning, DOMAIN.md §0.4): a production facility running for
/// Facilities:MinMinutes inside a shutdown mark (pending or approved) of its enterprise's outlets, on
/// the clock's ticks (the marks read every Facilities:MarksEvery); cleared when it stops or the mark ends.
/// </summary>
public sealed class ShutdownContradictedRule(FacilityTracker tracker, Func<StationRegistry> registry, Storage.IRecordStore records) : IAlertRule
{
    private Dictionary<string, List<Mark>> _shutdowns = new(StringComparer.Ordinal);
    private DateTimeOffset _marksRead = DateTimeOffset.MinValue;

    public async ValueTask OnTickAsync(IAlertDesk desk, CancellationToken ct)
    {
        var enterprises = registry().Enterprises.Where(e => e.Facilities.Any(f => f.Kind == Facility.Production)).ToList();
        var now = FacilityTracker.Now(desk);
        if (desk.Now - _marksRead >= tracker.Options.MarksEvery)
        {
            var read = new Dictionary<string, List<Mark>>(StringComparer.Ordinal);
            foreach (var e in enterprises)
            {
                var marks = new List<Mark>();
                foreach (var o in e.Outlets)
                {
                    marks.AddRange((await records.QueryMarksAsync(now.AddHours(-1), now.AddHours(1), o.Mn, ct)).Where(m => m.Kind == Mark.Shutdown && m.State is Mark.Approved or Mark.Pending));
                }

                read[e.Id] = marks;
            }

            (_shutdowns, _marksRead) = (read, desk.Now);
        }

        foreach (var enterprise in enterprises)
        {
            var mark = (_shutdowns.GetValueOrDefault(enterprise.Id) ?? []).FirstOrDefault(m => m.From <= now && m.To > now);
            foreach (var production in enterprise.Facilities.Where(f => f.Kind == Facility.Production))
            {
                string state = tracker.State(enterprise, production, now);
                if (mark is not null && state == FacilityStates.Running && tracker.Seen(enterprise, production) is { } p)
                {
                    var since = p.Since > mark.From ? p.Since : mark.From;
                    if (now - since >= TimeSpan.FromMinutes(tracker.Options.MinMinutes))
                    {
                        await desk.RaiseAsync(new AlertDraft(AlertKinds.ShutdownContradicted, production.Outlets[0], enterprise.Id, enterprise.City, production.Code, p.Latest.Value,
                            production.OnAbove, desk.Local(since), $"{enterprise.Name}: production facility {production.Name} runs ({N(p.Latest.Value)}) inside a claimed shutdown since {since:yyyy-MM-dd HH:mm}")
                        {
                            SubKind = production.Id,
                            Params = Params(("enterprise", enterprise.Name), ("production", production.Name), ("value", N(p.Latest.Value)),
                                ("since", since.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)), ("mark", mark.Id)),
                        }, ct);
                    }
                }
                else if (mark is null || state == FacilityStates.Stopped)
                {
                    await desk.ResolveAsync(AlertKinds.ShutdownContradicted, production.Outlets[0], production.Code, ct, production.Id);
                }
            }
        }
    }
}
