using Microsoft.AspNetCore.Http.HttpResults;
using System.Globalization;
using EmissionMonitor.Orders;
using EmissionMonitor.Registry;
using EmissionMonitor.Users;

namespace EmissionMonitor.Api;

/// <summary>
/// Supervision orders (督办): <c>POST /api/orders</c> (operators: <c>{mn, pollutant?, alertId?, deadline, text}</c>
/// → 201), <c>GET /api/orders</c> (filters <c>state</c>, <c>mn</c>, <c>city</c>, <c>overdue</c>; <c>format=csv</c>),
/// <c>GET /api/orders/{id}</c>, <c>POST /api/orders/{id}/respond</c> (the enterprise, its own orders:
/// <c>{cause, measures}</c>), <c>/close</c> and <c>/reopen</c> (operators, <c>{comment}</c>); other
/// transitions 409. An enterprise sees and answers only its own orders (another's are 404).
/// </summary>
public static class OrdersApi
{
    public sealed record OrderBody(string? Mn, string? Pollutant, string? AlertId, string? Deadline, string? Text);

    public sealed record RespondBody(string? Cause, string? Measures);

    private static readonly string[] States = [SupervisionOrder.Open, SupervisionOrder.Answered, SupervisionOrder.Closed];

    public static void Map(IEndpointRouteBuilder app, ApiAuth auth)
    {
        var area = new ApiArea(app, auth, "/api/orders", "orders");
        var enterprises = area.For(ApiArea.Enterprises);
        var filers = area.For(ApiArea.Filers);
        var readers = area.For(ApiArea.Everyone);
        var operators = area.For(ApiArea.Operators);

        operators.MapPost("", CreateAsync);
        readers.MapGet("", ListAsync);
        readers.MapGet("/{id}", GetAsync);
        enterprises.MapPost("/{id}/respond", RespondAsync);
        filers.MapPost("/{id}/evidence", AddEvidenceAsync);
        readers.MapGet("/{id}/evidence/{file}", EvidenceAsync);
        operators.MapPost("/{id}/close", CloseAsync);
        operators.MapPost("/{id}/reopen", ReopenAsync);
    }

    private static async Task<ObjectAnswer> CreateAsync(HttpContext http, OrderBody? body, OrderService orders, TimeZoneInfo zone, CancellationToken ct) =>
        Answer(await orders.CreateAsync(body?.Mn, body?.Pollutant, body?.AlertId, body?.Deadline, body?.Text, RoleFilter.User(http).DisplayName, ct), orders, zone, 201);

    private static async Task<Results<Ok<IEnumerable<object>>, Http.Download, ProblemHttpResult>> ListAsync(HttpContext http, OrderService orders, Func<StationRegistry> registry, ApiOptions options, TimeZoneInfo zone, CancellationToken ct)
    {
        if (QueryRules.First(QueryRules.Choice(http, "state", States), QueryRules.Choice(http, "overdue", ["true", "false"]), QueryRules.Choice(http, "format", ReportsApi.ExportFormats),
            QueryRules.Page(http, options, out int limit, out int offset)) is { } bad)
        {
            return bad;
        }

        var user = RoleFilter.User(http);
        var q = http.Request.Query;
        var now = orders.NowLocal;
        var list = (await orders.ListAsync(ct)).Where(o => Visible(user, o)).Select(o => AsSeenBy(user, o, options))
            .Where(o => q["state"].FirstOrDefault() is not { } s || o.State == s)
            .Where(o => q["mn"].FirstOrDefault() is not { } mn || o.Mn == mn)
            .Where(o => q["city"].FirstOrDefault() is not { } city || o.City == city)
            .Where(o => q["overdue"].FirstOrDefault() is not { } overdue || o.IsOverdue(now) == (overdue == "true"))
            .ToList();
        if (ReportsApi.WantsFile(http))
        {
            string[] columns = ["id", "mn", "enterprise", "city", "pollutant", "alertId", "deadline", "state", "overdue", "text", "createdBy", "createdAt", "cause", "measures", "answeredAt", "closedAt"];
            return ReportsApi.Export(new Reports.ReportTable(columns, list.Select(o => new object?[]
            {
                    o.Id, o.Mn, o.Enterprise, o.City, o.Pollutant, o.AlertId, o.Deadline.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), o.State, o.IsOverdue(now), o.Text,
                    o.CreatedBy, Local(o.CreatedAt, zone), o.Response?.Cause, o.Response?.Measures, o.Response is { } r ? Local(r.At, zone) : null, o.ClosedAt is { } c ? Local(c, zone) : null,
            }).ToList()), "orders");
        }

        http.Response.Headers["X-Total-Count"] = list.Count.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Ok(list.Skip(offset).Take(limit).Select(o => Json(o, now, zone)));
    }

    private static async Task<ObjectAnswer> GetAsync(HttpContext http, string id, OrderService orders, ApiOptions options, TimeZoneInfo zone, CancellationToken ct) =>
        await orders.FindAsync(id, ct) is { } o && Visible(RoleFilter.User(http), o)
                ? TypedResults.Ok(Json(AsSeenBy(RoleFilter.User(http), o, options), orders.NowLocal, zone))
                : Refusals.Problem(404, $"no order {QueryRules.Shown(id)}");

    private static async Task<ObjectAnswer> RespondAsync(HttpContext http, string id, RespondBody? body, OrderService orders, ApiOptions options, TimeZoneInfo zone, CancellationToken ct)
    {
        var user = RoleFilter.User(http);
        return Answer(Seen(await orders.RespondAsync(id, body?.Cause, body?.Measures, user.DisplayName, o => Visible(user, o), ct), user, options), orders, zone, 200);
    }

    private static async Task<Results<ObjectAnswer, ProblemHttpResult>> AddEvidenceAsync(HttpContext http, string id, OrderService orders, Evidence.EvidenceStore evidence, ApiOptions options, TimeZoneInfo zone,
            CancellationToken ct)
    {
        var user = RoleFilter.User(http);
        if (await orders.FindAsync(id, ct) is not { } order || !Visible(user, order))
        {
            return Refusals.Problem(404, $"no order {QueryRules.Shown(id)}");
        }

        if (orders.MayAttach(order) is { Refusal: not Outcomes.Refusal.None } refused)
        {
            return Refusals.Problem(refused.Refusal, refused.Problem);
        }

        return await evidence.AttachAsync(http.Request, order.Id, user.DisplayName, async file =>
        {
            var outcome = await orders.AttachAsync(order.Id, file, o => Visible(user, o), ct);
            return (Answer(Seen(outcome, user, options), orders, zone, 201), outcome.Order is not null);
        }, ct);
    }

    private static async Task<FileAnswer> EvidenceAsync(HttpContext http, string id, string file, OrderService orders, Evidence.EvidenceStore evidence, CancellationToken ct) =>
        await orders.FindAsync(id, ct) is { } o && Visible(RoleFilter.User(http), o) && o.Evidence.FirstOrDefault(f => f.Id == file) is { } found
                ? evidence.Serve(o.Id, found)
                : Refusals.Problem(404, $"no evidence {QueryRules.Shown(file)} of order {QueryRules.Shown(id)}");

    private static async Task<ObjectAnswer> CloseAsync(HttpContext http, string id, CommentBody? body, OrderService orders, TimeZoneInfo zone, CancellationToken ct) =>
        Answer(await orders.CloseAsync(id, body?.Comment, RoleFilter.User(http).DisplayName, ct, body?.VisibleToEnterprise == true), orders, zone, 200);

    private static async Task<ObjectAnswer> ReopenAsync(HttpContext http, string id, CommentBody? body, OrderService orders, TimeZoneInfo zone, CancellationToken ct) =>
        Answer(await orders.ReopenAsync(id, body?.Comment, RoleFilter.User(http).DisplayName, ct, body?.VisibleToEnterprise == true), orders, zone, 200);

    private static bool Visible(ApiUser user, SupervisionOrder order) => user.Role != ApiUser.EnterpriseRole || order.Enterprise == user.Enterprise;

    /// <summary>
    /// The order as <paramref name="user"/> may see it: an enterprise user sees the bureau's steps
    /// under the bureau's name (not the operators'), and an operator's comment only when it was
    /// addressed to the enterprise (<c>visibleToEnterprise</c>); its own steps as they are.
    /// </summary>
    private static SupervisionOrder AsSeenBy(ApiUser user, SupervisionOrder order, ApiOptions options)
    {
        if (user.Role != ApiUser.EnterpriseRole)
        {
            return order;
        }

        var own = options.Users.Where(u => u.Role == ApiUser.EnterpriseRole && u.Enterprise == order.Enterprise).Select(u => u.DisplayName).ToHashSet(StringComparer.Ordinal);
        string Name(string by) => own.Contains(by) ? by : Reports.ReportTables.Bureau;
        return new SupervisionOrder
        {
            Id = order.Id,
            Mn = order.Mn,
            Enterprise = order.Enterprise,
            City = order.City,
            Pollutant = order.Pollutant,
            AlertId = order.AlertId,
            Deadline = order.Deadline,
            Text = order.Text,
            State = order.State,
            CreatedBy = Name(order.CreatedBy),
            CreatedAt = order.CreatedAt,
            Response = order.Response,
            ClosedAt = order.ClosedAt,
            History = order.History.Select(h => own.Contains(h.By) || h.Action == "answered" ? h
                : h with { By = Name(h.By), Comment = h.Action == "attached" || h.VisibleToEnterprise ? h.Comment : null }).ToList(),
            Evidence = order.Evidence.Select(f => f with { By = Name(f.By) }).ToList(),
        };
    }

    private static OrderOutcome Seen(OrderOutcome outcome, ApiUser user, ApiOptions options) =>
        outcome.Order is { } o ? outcome with { Order = AsSeenBy(user, o, options) } : outcome;

    internal static ObjectAnswer Answer(OrderOutcome outcome, OrderService orders, TimeZoneInfo zone, int success) => outcome.Order is { } o
        ? TypedResults.Json(Json(o, orders.NowLocal, zone), statusCode: success)
        : Refusals.Problem(outcome.Refusal, outcome.Problem, outcome.Parameter);

    private static string Local(DateTimeOffset t, TimeZoneInfo zone) => Reports.ReportFormats.Instant(t, zone);

    private static object Json(SupervisionOrder o, DateTime now, TimeZoneInfo zone) => new
    {
        id = o.Id,
        mn = o.Mn,
        enterprise = o.Enterprise,
        city = o.City,
        pollutant = o.Pollutant,
        alertId = o.AlertId,
        deadline = o.Deadline.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        text = o.Text,
        state = o.State,
        overdue = o.IsOverdue(now),
        createdBy = o.CreatedBy,
        createdAt = Local(o.CreatedAt, zone),
        response = o.Response is { } r ? new { cause = r.Cause, measures = r.Measures, by = r.By, at = Local(r.At, zone) } : null,
        closedAt = o.ClosedAt is { } c ? Local(c, zone) : null,
        history = o.History.Select(h => new { at = Local(h.At, zone), by = h.By, action = h.Action, comment = h.Comment }),
        evidence = MarksApi.EvidenceJson(o.Evidence, $"/api/orders/{Uri.EscapeDataString(o.Id)}/evidence", zone),
    };
}
