using EmissionMonitor.Compliance.Facilities;
using EmissionMonitor.Hj212;
using EmissionMonitor.Registry;
using static EmissionMonitor.Alerts.Rules.AlertText;

namespace EmissionMonitor.Alerts.Rules;

/// <summary>
/// Are the treatment facilities running (DOMAIN.md §0.4)? Reads each facility's latest real-time or
/// minute value (its code from its outlets' terminals, HJ 212-2025 ST=44) as the data arrives and, on
/// every commit and tick: <c>treatment-off</c> (critical) when a treatment facility has been stopped
/// for <see cref="FacilityOptions.MinMinutes"/> while a production facility it serves runs — cleared
/// when it runs again or the production stops, never on missing data (a facility without a value
/// for <see cref="FacilityOptions.StaleAfter"/> is unknown, not stopped); and
/// <c>emissions-without-production</c> (info) when an outlet's flow is above
/// <see cref="FacilityOptions.FlowThreshold"/> while every production facility of its enterprise is
/// known to be stopped; on ticks, <c>shutdown-contradicted</c> (warning) when a production facility
/// runs inside a shutdown mark of its enterprise (the marks read every <see cref="FacilityOptions.MarksEvery"/>).
/// </summary>
public sealed class FacilityRule(FacilityOptions options, Func<StationRegistry> registry, Storage.IRecordStore? records = null) : IAlertRule
{
    /// <summary>The shutdown marks (pending or approved) of each enterprise with facilities around now, read every Facilities:MarksEvery.</summary>
    private Dictionary<string, List<Compliance.Marks.Mark>> _shutdowns = new(StringComparer.Ordinal);

    private DateTimeOffset _marksRead = DateTimeOffset.MinValue;

    /// <summary>Each facility's latest value and since when it has been in its state (data times), by enterprise and facility id.</summary>
    private readonly Dictionary<(string Enterprise, string Facility), (FacilitySample Latest, bool Runs, DateTime Since)> _seen = [];

    public async ValueTask OnCommittedAsync(CommittedFrame frame, IAlertDesk desk, CancellationToken ct)
    {
        if (!frame.IsNewReadings || !frame.Live || frame.Enterprise is not { Facilities.Count: > 0 } enterprise || frame.Cn is not (Cns.RealTime or Cns.Minute))
        {
            return;
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

        await JudgeAsync(enterprise, desk, ct);
        await FlowAsync(frame, enterprise, desk, ct);
    }

    public async ValueTask OnTickAsync(IAlertDesk desk, CancellationToken ct)
    {
        var enterprises = registry().Enterprises.Where(e => e.Facilities.Count > 0).ToList();
        if (records is not null && desk.Now - _marksRead >= options.MarksEvery)
        {
            var now = TimeZoneInfo.ConvertTime(desk.Now, desk.Zone).DateTime;
            var read = new Dictionary<string, List<Compliance.Marks.Mark>>(StringComparer.Ordinal);
            foreach (var e in enterprises)
            {
                var marks = new List<Compliance.Marks.Mark>();
                foreach (var o in e.Outlets)
                {
                    marks.AddRange((await records.QueryMarksAsync(now.AddHours(-1), now.AddHours(1), o.Mn, ct))
                        .Where(m => m.Kind == Compliance.Marks.Mark.Shutdown && m.State is Compliance.Marks.Mark.Approved or Compliance.Marks.Mark.Pending));
                }

                read[e.Id] = marks;
            }

            (_shutdowns, _marksRead) = (read, desk.Now);
        }

        foreach (var enterprise in enterprises)
        {
            await JudgeAsync(enterprise, desk, ct);
            await ShutdownAsync(enterprise, desk, ct);
        }
    }

    /// <summary>
    /// <c>shutdown-contradicted</c> (warning): a production facility running for Facilities:MinMinutes
    /// inside a shutdown mark (pending or approved) of its enterprise; cleared when it stops or the mark ends.
    /// </summary>
    private async Task ShutdownAsync(Enterprise enterprise, IAlertDesk desk, CancellationToken ct)
    {
        var now = TimeZoneInfo.ConvertTime(desk.Now, desk.Zone).DateTime;
        var marks = _shutdowns.GetValueOrDefault(enterprise.Id) ?? [];
        foreach (var production in enterprise.Facilities.Where(f => f.Kind == Facility.Production))
        {
            var mark = marks.FirstOrDefault(m => m.From <= now && m.To > now);
            bool running = State(enterprise, production, now) == FacilityStates.Running;
            if (mark is not null && running && _seen.TryGetValue((enterprise.Id, production.Id), out var p))
            {
                var since = p.Since > mark.From ? p.Since : mark.From;
                if (now - since >= TimeSpan.FromMinutes(options.MinMinutes))
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
            else if (mark is null || State(enterprise, production, now) == FacilityStates.Stopped)
            {
                await desk.ResolveAsync(AlertKinds.ShutdownContradicted, production.Outlets[0], production.Code, ct, production.Id);
            }
        }
    }

    private string State(Enterprise enterprise, Facility f, DateTime now) =>
        FacilityStates.At(f, _seen.TryGetValue((enterprise.Id, f.Id), out var s) ? s.Latest : null, now, options.StaleAfter);

    private async Task JudgeAsync(Enterprise enterprise, IAlertDesk desk, CancellationToken ct)
    {
        var now = TimeZoneInfo.ConvertTime(desk.Now, desk.Zone).DateTime;
        foreach (var treatment in enterprise.Facilities.Where(f => f.Kind == Facility.Treatment))
        {
            string treatmentState = State(enterprise, treatment, now);
            var running = enterprise.Facilities.Where(p => treatment.Serves.Contains(p.Id) && State(enterprise, p, now) == FacilityStates.Running).ToList();
            string mn = treatment.Outlets[0];
            if (treatmentState == FacilityStates.Stopped && running.Count > 0)
            {
                var t = _seen[(enterprise.Id, treatment.Id)];
                var p = _seen[(enterprise.Id, running[0].Id)];
                var since = t.Since > p.Since ? t.Since : p.Since;
                if (now - since >= TimeSpan.FromMinutes(options.MinMinutes))
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
            else if (treatmentState == FacilityStates.Running || (treatmentState == FacilityStates.Stopped && running.Count == 0
                && treatment.Serves.All(id => enterprise.Facilities.FirstOrDefault(f => f.Id == id) is not { } p || State(enterprise, p, now) == FacilityStates.Stopped)))
            {
                await desk.ResolveAsync(AlertKinds.TreatmentOff, mn, treatment.Code, ct, treatment.Id);
            }
        }
    }

    private async Task FlowAsync(CommittedFrame frame, Enterprise enterprise, IAlertDesk desk, CancellationToken ct)
    {
        string flowCode = frame.Outlet.Kind == Hj212.Codes.MediumKind.Gas ? Hj212.Codes.CodeCatalogue.GasFlow : Hj212.Codes.CodeCatalogue.WaterFlow;
        if (frame.Item.Readings.FirstOrDefault(r => r.Pollutant == flowCode) is not { } flow || (flow.Rtd ?? flow.Avg) is not { } q)
        {
            return;
        }

        var now = TimeZoneInfo.ConvertTime(desk.Now, desk.Zone).DateTime;
        var production = enterprise.Facilities.Where(f => f.Kind == Facility.Production).ToList();
        if (production.Count > 0 && q > options.FlowThreshold && production.All(p => State(enterprise, p, now) == FacilityStates.Stopped))
        {
            await desk.RaiseAsync(AlertDraft.For(AlertKinds.EmissionsWithoutProduction, frame.Outlet, enterprise, flowCode, q, options.FlowThreshold, desk.Local(flow.Period),
                $"{frame.Outlet.Name}: flow {N(q)} while every production facility of {enterprise.Name} is stopped") with
            {
                Params = Params(("outlet", frame.Outlet.Name), ("enterprise", enterprise.Name), ("value", N(q))),
            }, ct);
        }
        else if (q <= options.FlowThreshold || production.Any(p => State(enterprise, p, now) == FacilityStates.Running))
        {
            await desk.ResolveAsync(AlertKinds.EmissionsWithoutProduction, frame.Outlet.Mn, flowCode, ct);
        }
    }
}
