using System.Globalization;
using EmissionMonitor.Alerts;
using EmissionMonitor.Outcomes;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Orders;

/// <summary>
/// Supervision orders (DESIGN.md "Orders"): operators issue, close and reopen them, the enterprise
/// answers; every step is kept in the order, the order in the store. An open order past its
/// deadline is <c>overdue</c> and raises an alert of kind <c>order-overdue</c> on its outlet (checked
/// every Orders:CheckInterval), cleared when no order of that outlet is overdue any more.
/// </summary>
public sealed partial class OrderService(IRecordStore store, Func<StationRegistry> registry, AlertService alerts, Users.UserLimits api, TimeZoneInfo zone, TimeProvider clock,
    OrderOptions options, ILogger<OrderService> logger, Notify.NotificationService? notifications = null) : BackgroundService, IAlertOrders
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _overdueOutlets = new(StringComparer.Ordinal);

    public DateTime NowLocal => TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime;

    public TimeZoneInfo Zone => zone;

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    /// <summary>Every order, newest first.</summary>
    public async Task<IReadOnlyList<SupervisionOrder>> ListAsync(CancellationToken ct) =>
        await store.QueryAsync(SupervisionOrder.Records, null, ct);

    public async Task<SupervisionOrder?> FindAsync(string id, CancellationToken ct) => (await ListAsync(ct)).FirstOrDefault(o => o.Id == id);

    public async Task<OrderOutcome> CreateAsync(string? mn, string? pollutant, string? alertId, string? deadline, string? text, string by, CancellationToken ct)
    {
        if (mn is null || registry().FindOutlet(mn) is not { } outlet)
        {
            return new OrderOutcome(null, Refusal.Invalid, "mn", mn is null ? "mn: which outlet the order is about" : $"mn: no outlet {Shown(mn)}");
        }

        if (pollutant is not null && !outlet.Limits.ContainsKey(pollutant))
        {
            return new OrderOutcome(null, Refusal.Invalid, "pollutant", $"pollutant: {Shown(pollutant)} is not monitored at {mn}");
        }

        deadline ??= NowLocal.Add(options.DefaultDeadline).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture); // none given: Orders:DefaultDeadline from the service's clock
        if (!DateTime.TryParseExact(deadline, "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return new OrderOutcome(null, Refusal.Invalid, "deadline", "deadline: a local time YYYY-MM-DDTHH:mm:ss, without an offset");
        }

        var nowLocal = NowLocal;
        if (local < nowLocal.AddYears(-1) || local > nowLocal.AddYears(5))
        {
            return new OrderOutcome(null, Refusal.Invalid, "deadline", "deadline: within a year before and five years after now");
        }

        if (string.IsNullOrWhiteSpace(text) || text.Length > api.MaxCommentLength)
        {
            return new OrderOutcome(null, Refusal.Invalid, "text", $"text: what the enterprise must do, at most {api.MaxCommentLength} characters (Api:MaxCommentLength)");
        }

        if (alertId is not null && alerts.Find(alertId) is null)
        {
            return new OrderOutcome(null, Refusal.Invalid, "alertId", $"alertId: no alert {Shown(alertId)}");
        }

        var enterprise = registry().FindEnterprise(outlet.EnterpriseId);
        var now = clock.GetUtcNow();
        var order = new SupervisionOrder
        {
            Id = "ord-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)), Mn = mn, Enterprise = outlet.EnterpriseId,
            City = enterprise?.City, Pollutant = pollutant, AlertId = alertId, Deadline = local, Text = text, CreatedBy = by, CreatedAt = now,
            History = [new OrderEvent(now, by, "issued", null)],
        };
        await store.SaveAsync(SupervisionOrder.Records, order, ct);
        // The people responsible hear of a new order as of an alert of kind "order" (their filters apply).
        notifications?.Tell(new Alert(order.Id, "order", "warning", Alert.Active, mn, outlet.EnterpriseId, enterprise?.City, pollutant, null, null, now, null, null, null,
            $"期限 {local:yyyy-MM-dd HH:mm}：{text}")); // the order's words, as the operator wrote them
        if (alertId is not null)
        {
            await alerts.LinkOrderAsync(alertId, by, order.Id, ct); // the alert shows its order
        }

        return new OrderOutcome(order, Refusal.None, null, null);
    }

    public async Task<string?> OrderFromAlertAsync(string alertId, string by, CancellationToken ct) =>
        (await CreateFromAlertAsync(alertId, null, null, by, ct)).Order?.Id;

    /// <summary>
    /// A supervision order made from an alert: its outlet and pollutant, the deadline given or
    /// <see cref="OrderOptions.DefaultDeadline"/> from now, the text given or one naming the alert.
    /// Conflict when the alert has an order already.
    /// </summary>
    public async Task<OrderOutcome> CreateFromAlertAsync(string alertId, string? deadline, string? text, string by, CancellationToken ct)
    {
        await _gate.WaitAsync(ct); // two requests for the same alert at once make one order, the other a conflict
        try
        {
            if (alerts.Find(alertId) is not { } alert)
            {
                return new OrderOutcome(null, Refusal.NotFound, null, $"no alert {Shown(alertId)}");
            }

            if (alert.OrderId is { } existing)
            {
                return new OrderOutcome(null, Refusal.Conflict, null, $"the alert has an order already: {existing}");
            }

            var outlet = registry().FindOutlet(alert.Mn);
            string when = TimeZoneInfo.ConvertTime(alert.DataFrom ?? alert.RaisedAt, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            text ??= $"{outlet?.Name ?? alert.Mn}（MN {alert.Mn}）{when} 起{AlertNames.Kind(alert.Kind)}报警" + (alert.Pollutant is { } p ? $"（{Hj212.Codes.CodeCatalogue.Find(p)?.Name ?? p}）" : string.Empty)
                + "：请核查原因，采取整改措施，并在期限内答复。";
            return await CreateAsync(alert.Mn, alert.Pollutant is { } q && outlet?.Limits.ContainsKey(q) == true ? q : null, alertId, deadline, text, by, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The enterprise's answer: an open order becomes answered.</summary>
    public Task<OrderOutcome> RespondAsync(string id, string? cause, string? measures, string by, Func<SupervisionOrder, bool> mayTouch, CancellationToken ct) =>
        ChangeAsync(id, mayTouch, order =>
        {
            if (string.IsNullOrWhiteSpace(cause) || string.IsNullOrWhiteSpace(measures) || cause.Length > api.MaxCommentLength || measures.Length > api.MaxCommentLength)
            {
                return (Refusal.Invalid, string.IsNullOrWhiteSpace(cause) ? "cause" : "measures", $"cause and measures are both required, at most {api.MaxCommentLength} characters each");
            }

            if (order.State != SupervisionOrder.Open)
            {
                return (Refusal.Conflict, null, $"order {order.Id} is {order.State}: only an open order can be answered");
            }

            var now = clock.GetUtcNow();
            order.Response = new OrderResponse(cause, measures, by, now);
            order.State = SupervisionOrder.Answered;
            order.History.Add(new OrderEvent(now, by, "answered", null));
            return (Refusal.None, null, null);
        }, ct);

    /// <summary>Whether a file may be attached now: not to a closed order, and not beyond Api:MaxEvidenceFiles.</summary>
    public (Refusal Refusal, string? Problem) MayAttach(SupervisionOrder order) =>
        order.State == SupervisionOrder.Closed ? (Refusal.Conflict, $"order {order.Id} is closed: nothing more is attached to it")
        : order.Evidence.Count >= api.MaxEvidenceFiles ? (Refusal.Conflict, $"order {order.Id} has {order.Evidence.Count} files, the most one order may carry (Api:MaxEvidenceFiles)")
        : (Refusal.None, null);

    /// <summary>Records an uploaded file on the order.</summary>
    public Task<OrderOutcome> AttachAsync(string id, Compliance.Marks.EvidenceFile file, Func<SupervisionOrder, bool> mayTouch, CancellationToken ct) =>
        ChangeAsync(id, mayTouch, order =>
        {
            var (refusal, problem) = MayAttach(order);
            if (refusal != Refusal.None)
            {
                return (refusal, null, problem);
            }

            order.Evidence.Add(file);
            order.History.Add(new OrderEvent(file.At, file.By, "attached", file.Name));
            return (Refusal.None, null, null);
        }, ct);

    /// <summary>An operator closes an answered order, or an open one with a comment.</summary>
    public Task<OrderOutcome> CloseAsync(string id, string? comment, string by, CancellationToken ct, bool visibleToEnterprise = false) =>
        ChangeAsync(id, _ => true, order =>
        {
            if (order.State == SupervisionOrder.Closed)
            {
                return (Refusal.Conflict, null, $"order {order.Id} is closed already");
            }

            if (order.State == SupervisionOrder.Open && string.IsNullOrWhiteSpace(comment))
            {
                return (Refusal.Invalid, "comment", "comment: closing an order that was not answered needs a comment");
            }

            var now = clock.GetUtcNow();
            order.State = SupervisionOrder.Closed;
            order.ClosedAt = now;
            order.History.Add(new OrderEvent(now, by, "closed", comment, visibleToEnterprise));
            return (Refusal.None, null, null);
        }, ct);

    /// <summary>An operator sends an answered order back: open again.</summary>
    public Task<OrderOutcome> ReopenAsync(string id, string? comment, string by, CancellationToken ct, bool visibleToEnterprise = false) =>
        ChangeAsync(id, _ => true, order =>
        {
            if (order.State != SupervisionOrder.Answered)
            {
                return (Refusal.Conflict, null, $"order {order.Id} is {order.State}: only an answered order can be reopened");
            }

            order.State = SupervisionOrder.Open;
            order.History.Add(new OrderEvent(clock.GetUtcNow(), by, "reopened", comment, visibleToEnterprise));
            return (Refusal.None, null, null);
        }, ct);

    private async Task<OrderOutcome> ChangeAsync(string id, Func<SupervisionOrder, bool> mayTouch, Func<SupervisionOrder, (Refusal Refusal, string? Parameter, string? Problem)> change,
        CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (await FindAsync(id, ct) is not { } order || !mayTouch(order))
            {
                return new OrderOutcome(null, Refusal.NotFound, null, $"no order {Shown(id)}"); // another enterprise's orders are not revealed
            }

            var (refusal, parameter, problem) = change(order);
            if (refusal != Refusal.None)
            {
                return new OrderOutcome(null, refusal, parameter, problem);
            }

            await store.SaveAsync(SupervisionOrder.Records, order, ct);
            return new OrderOutcome(order, Refusal.None, null, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckOverdueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogCheckFailed(logger, e.Message);
            }

            await Task.Delay(options.CheckInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>An <c>order-overdue</c> alert per outlet with an open order past its deadline; cleared when none is.</summary>
    private async Task CheckOverdueAsync(CancellationToken ct)
    {
        var now = NowLocal;
        var overdue = (await ListAsync(ct)).Where(o => o.IsOverdue(now)).GroupBy(o => o.Mn).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var current = registry();
        foreach (var (mn, orders) in overdue)
        {
            if (current.FindOutlet(mn) is not { } outlet)
            {
                continue;
            }

            try
            {
                var first = orders.MinBy(o => o.Deadline)!;
                await alerts.SetConditionAsync(AlertKinds.OrderOverdue, outlet, true, orders.Count, null,
                    new DateTimeOffset(first.Deadline, zone.GetUtcOffset(first.Deadline)),
                    $"{outlet.Name}: {orders.Count} supervision order(s) past the deadline ({string.Join(", ", orders.Select(o => $"{o.Id} due {o.Deadline:yyyy-MM-dd HH:mm}"))})", ct,
                    new Dictionary<string, string?>
                    {
                        ["count"] = orders.Count.ToString(CultureInfo.InvariantCulture),
                        ["deadline"] = first.Deadline.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    });
                _overdueOutlets.Add(mn);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One bad record (a deadline stored before deadlines were bounded) never stops the check of the others.
                LogOutletFailed(logger, e, mn);
            }
        }

        foreach (var mn in _overdueOutlets.Where(m => !overdue.ContainsKey(m)).ToList())
        {
            if (current.FindOutlet(mn) is { } outlet)
            {
                await alerts.SetConditionAsync(AlertKinds.OrderOverdue, outlet, false, null, null, clock.GetUtcNow(), string.Empty, ct);
            }

            _overdueOutlets.Remove(mn);
        }
    }

    private static string Shown(string text) => text.Length > 40 ? text[..40] + "…" : text;

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "Order deadline check of outlet {Mn} failed; the others go on")]
    private static partial void LogOutletFailed(ILogger logger, Exception exception, string mn);

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "Order deadline check failed: {Reason}")]
    private static partial void LogCheckFailed(ILogger logger, string reason);
}
