namespace EmissionMonitor.Alerts.Rules;

/// <summary>
/// Outage clocks: an outage episode is an outlet's <c>silent</c> alert, from its last data. The
/// enterprise must file a mark for it (kind <c>communication</c> or <c>fault</c>) within
/// <c>Outage:ReportWithin</c> and data must resume within <c>Outage:RestoreWithin</c>; each missed
/// deadline raises an <c>outage-overdue</c> alert (sub-kind <c>report</c> or <c>restore</c>) and,
/// with <c>Outage:AutoOrder</c>, a supervision order to the enterprise. A late mark clears the
/// <c>report</c> one; data resuming (the silent alert cleared) clears both and closes the episode.
/// </summary>
public sealed class OutageRule(OutageOptions options, Storage.IRecordStore store, Func<IAlertOrders>? orders = null) : IAlertRule
{
    private DateTimeOffset _next;
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal); // open outages (silent alert ids) whose mark is found: not looked up again

    public async ValueTask OnTickAsync(IAlertDesk desk, CancellationToken ct)
    {
        var now = desk.Now;
        if (now < _next)
        {
            return;
        }

        _next = now + options.CheckInterval;
        var outages = desk.Open(AlertKinds.Silent).ToDictionary(a => a.Mn, StringComparer.Ordinal);
        foreach (var overdue in desk.Open(AlertKinds.OutageOverdue).Where(a => !outages.ContainsKey(a.Mn)).ToList())
        {
            await desk.ResolveAsync(AlertKinds.OutageOverdue, overdue.Mn, null, ct, overdue.SubKind); // data resumed: the episode is closed
        }

        _reported.IntersectWith(outages.Values.Select(a => a.Id)); // closed episodes are forgotten
        foreach (var silent in outages.Values)
        {
            var start = silent.DataFrom ?? silent.RaisedAt;
            if (now >= start + options.ReportWithin && !_reported.Contains(silent.Id))
            {
                var mark = await Outages.FirstMarkAsync(store, silent.Mn, start, now, desk.Zone, ct);
                if (mark is null)
                {
                    await OverdueAsync(desk, silent, Outages.Report, start, start + options.ReportWithin, ct);
                }
                else
                {
                    // The report is there: filed late (the deadline was missed), or at the very instant the deadline's tick found none.
                    _reported.Add(silent.Id);
                    await desk.ResolveAsync(AlertKinds.OutageOverdue, silent.Mn, null, ct, Outages.Report);
                }
            }

            if (now >= start + options.RestoreWithin)
            {
                await OverdueAsync(desk, silent, Outages.Restore, start, start + options.RestoreWithin, ct);
            }
        }
    }

    private async Task OverdueAsync(IAlertDesk desk, Alert silent, string which, DateTimeOffset start, DateTimeOffset deadline, CancellationToken ct)
    {
        string outlet = silent.Params?.GetValueOrDefault("outlet") ?? silent.Mn;
        string due = desk.LocalText(deadline, "yyyy-MM-dd HH:mm");
        string since = desk.LocalText(start, "yyyy-MM-dd HH:mm");
        string message = which == Outages.Report
            ? $"{outlet}: no data since {since} and no outage mark (communication or fault) filed by {due} (Outage:ReportWithin)"
            : $"{outlet}: no data since {since}, not restored by {due} (Outage:RestoreWithin)";
        var draft = new AlertDraft(AlertKinds.OutageOverdue, silent.Mn, silent.Enterprise, silent.City, null, null, null, start, message)
        {
            SubKind = which, Params = AlertText.Params(("outlet", outlet), ("since", since), ("deadline", due)),
        };
        if (await desk.RaiseAsync(draft, ct) is { } raised && options.AutoOrder && orders is not null)
        {
            await orders().OrderFromAlertAsync(raised.Id, AlertStep.System, ct); // resolved when needed: the order service itself uses the alert desk
        }
    }
}
