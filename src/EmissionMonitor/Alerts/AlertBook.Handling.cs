namespace EmissionMonitor.Alerts;

/// <summary>The handling of an alert by people: each step changes it and is appended to its history.</summary>
public sealed partial class AlertBook
{
    /// <summary>
    /// Acknowledges an alert (响应) with a comment and a verdict (核实结论): an active one becomes
    /// acknowledged; one cleared before anyone acknowledged it keeps its state and gets the response.
    /// Null when it is not in memory or was acknowledged already.
    /// </summary>
    public Alert? Acknowledge(string id, string by, DateTimeOffset now, string? comment = null, string? verdict = null) =>
        Change(id, alert => alert.AcknowledgedAt is not null || (alert.State != Alert.Active && alert.State != Alert.Cleared) ? null
            : (alert with
            {
                State = alert.State == Alert.Active ? Alert.Acknowledged : alert.State, AcknowledgedAt = now, AcknowledgedBy = by,
                AcknowledgeComment = Blank(comment), Verdict = verdict ?? alert.Verdict,
            }).WithStep(new AlertStep(AlertStep.Acknowledge, by, now, Blank(comment), verdict)));

    /// <summary>Assigns an alert (any state) to a user; null when it is not in memory.</summary>
    public Alert? Assign(string id, string by, string assignee, string? comment, DateTimeOffset now) =>
        Change(id, alert => (alert with { Assignee = assignee }).WithStep(new AlertStep(AlertStep.Assign, by, now, Blank(comment)) { Assignee = assignee }));

    /// <summary>Records what was done about an alert (处置), in any state, with an optional verdict; null when it is not in memory.</summary>
    public Alert? Dispose(string id, string by, string comment, string? verdict, DateTimeOffset now) =>
        Change(id, alert => (alert with { DisposedAt = now, DisposedBy = by, DisposeComment = comment, Verdict = verdict ?? alert.Verdict })
            .WithStep(new AlertStep(AlertStep.Dispose, by, now, comment, verdict)));

    /// <summary>Links the supervision order made from an alert; null when it is not in memory.</summary>
    public Alert? LinkOrder(string id, string by, string orderId, DateTimeOffset now) =>
        Change(id, alert => (alert with { OrderId = orderId }).WithStep(new AlertStep(AlertStep.Order, by, now) { OrderId = orderId }));

    /// <summary>Clears an open alert by hand, with the operator's comment (kept as data, and in its message as before).</summary>
    public Alert? Clear(string id, string by, string? comment, DateTimeOffset now)
    {
        lock (_lock)
        {
            return _byId.TryGetValue(id, out var alert) && alert.IsOpen
                ? Close(alert with { ClearedBy = by, ClearComment = Blank(comment) }, now, $"{alert.Message} — cleared by {by}{(Blank(comment) is { } said ? ": " + said : string.Empty)}", by, comment)
                : null;
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    /// <summary>Applies a change to the alert of an id (null from the change: nothing changed).</summary>
    private Alert? Change(string id, Func<Alert, Alert?> change)
    {
        lock (_lock)
        {
            if (!_byId.TryGetValue(id, out var alert) || change(alert) is not { } changed)
            {
                return null;
            }

            _byId[id] = changed;
            if (changed.IsOpen)
            {
                _open[(KeyOf(alert.Kind, alert.SubKind), alert.Mn, alert.Pollutant)] = changed;
            }

            return changed;
        }
    }
}
