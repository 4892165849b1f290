using Microsoft.AspNetCore.Http.HttpResults;
using System.Globalization;
using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Cards;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Registry;
using EmissionMonitor.Reports;
using EmissionMonitor.Storage;
using EmissionMonitor.Users;

namespace EmissionMonitor.Api;

/// <summary>
/// Deciding on and lifting cards (operators): <c>POST /api/cards/{enterprise}/{quarter}/confirm</c>
/// and <c>/dismiss</c> (<c>{comment}</c>) decide a proposed card (404 for a card never proposed, 409
/// for one decided or lifted already); <c>POST /api/cards/{enterprise}/{quarter}/lift</c> needs a
/// proposed or confirmed card (404 never proposed, 409 dismissed or lifted already);
/// <c>POST /api/cards/{enterprise}/{quarter}/lift/revoke</c> revokes the standing lift. Each is
/// recorded with who and when, never deleted.
/// </summary>
public static class CardLiftsApi
{
    public static void Map(IEndpointRouteBuilder app, ApiAuth auth)
    {
        var area = new ApiArea(app, auth, "/api/cards", "cards");
        var operators = area.For(ApiArea.Operators);
        MapDecision(operators, "confirm", CardDecision.Confirmed);
        MapDecision(operators, "dismiss", CardDecision.Dismissed);

        operators.MapPost("/{enterprise}/{quarter}/lift", LiftAsync);
        operators.MapPost("/{enterprise}/{quarter}/lift/revoke", RevokeLiftAsync);
    }

    private static async Task<ObjectAnswer> LiftAsync(HttpContext http, string enterprise, string quarter, CommentBody? body,
            Func<StationRegistry> registry, Func<ReportService> reports, ReportGate gate, IRecordStore store, ApiOptions options, TimeZoneInfo zone,
            TimeProvider clock, CancellationToken ct)
    {
        var (card, problem) = await ProposedCardAsync(registry(), reports(), gate, options, enterprise, quarter, body, ct);
        if (card is null)
        {
            return problem!;
        }

        if (card.Lifted is not null || card.DecisionState == CardDecision.Dismissed)
        {
            return Refusals.Problem(409, card.Lifted is not null
                ? $"the card of {enterprise} in {quarter} is lifted already"
                : $"the card of {enterprise} in {quarter} was dismissed: there is nothing to lift");
        }

        var lift = new CardLift(enterprise, quarter, clock.GetUtcNow(), RoleFilter.User(http).DisplayName, body?.Comment) { VisibleToEnterprise = body?.VisibleToEnterprise == true };
        await store.AddCardLiftAsync(lift, ct);
        return TypedResults.Ok(Json(lift, zone));
    }

    private static async Task<ObjectAnswer> RevokeLiftAsync(HttpContext http, string enterprise, string quarter, CommentBody? body,
            Func<StationRegistry> registry, IRecordStore store, ApiOptions options, TimeZoneInfo zone, TimeProvider clock, CancellationToken ct)
    {
        if (QueryRules.First(Check(registry(), enterprise, quarter), QueryRules.Comment(body?.Comment, options)) is { } bad)
        {
            return bad;
        }

        var lifts = (await store.QueryCardLiftsAsync(ct)).Where(l => l.Enterprise == enterprise && l.Quarter == quarter).ToList();
        var standing = lifts.LastOrDefault(l => l.Revoked is null);
        if (standing is null)
        {
            return lifts.Count == 0
                ? Refusals.Problem(404, $"the card of {enterprise} in {quarter} was never lifted")
                : Refusals.Problem(409, $"the lift of {enterprise} in {quarter} is revoked already");
        }

        var revoked = standing with { Revoked = new Revocation(clock.GetUtcNow(), RoleFilter.User(http).DisplayName, body?.Comment) };
        await store.AddCardLiftAsync(revoked, ct);
        return TypedResults.Ok(Json(revoked, zone));
    }

    /// <summary>Confirm or dismiss: a decision on a proposed card, recorded with the card as it stands.</summary>
    private static void MapDecision(RouteGroupBuilder operators, string action, string decision) =>
        operators.MapPost($"/{{enterprise}}/{{quarter}}/{action}", (HttpContext http, string enterprise, string quarter, CommentBody? body, Func<StationRegistry> registry,
            Func<ReportService> reports, ReportGate gate, IRecordStore store, ApiOptions options, TimeZoneInfo zone, TimeProvider clock, CancellationToken ct) =>
            DecideAsync(decision, http, enterprise, quarter, body, registry(), reports(), gate, store, options, zone, clock, ct));

    /// <summary>Records an operator's <paramref name="decision"/> on a proposed card, with the card as it stands (409 once decided or lifted).</summary>
    private static async Task<ObjectAnswer> DecideAsync(string decision, HttpContext http, string enterprise, string quarter, CommentBody? body, StationRegistry registry,
        ReportService reports, ReportGate gate, IRecordStore store, ApiOptions options, TimeZoneInfo zone, TimeProvider clock, CancellationToken ct)
    {
        var (card, problem) = await ProposedCardAsync(registry, reports, gate, options, enterprise, quarter, body, ct);
        if (card is null)
        {
            return problem!;
        }

        if (card.DecisionState != CardDecision.Proposed || card.Lifted is not null)
        {
            return Refusals.Problem(409, card.Lifted is not null
                ? $"the card of {enterprise} in {quarter} is lifted: only a proposed card can be {decision}"
                : $"the card of {enterprise} in {quarter} is {card.DecisionState} already: only a proposed card can be {decision}");
        }

        var recorded = new CardDecision(enterprise, quarter, decision, clock.GetUtcNow(), RoleFilter.User(http).DisplayName, body?.Comment, card.Colour,
            card.Reasons.Select(r => r.ToString()).ToList())
        { VisibleToEnterprise = body?.VisibleToEnterprise == true };
        await store.AddCardDecisionAsync(recorded, ct);
        return TypedResults.Ok<object>(new
        {
            enterprise,
            quarter,
            card = card.Colour,
            reasons = recorded.Reasons,
            decision,
            decidedBy = recorded.By,
            decidedAt = Local(recorded.At, zone),
            decisionComment = recorded.Comment,
            rectifyBy = card.RectifyBy.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });
    }

    /// <summary>
    /// The checks every card action shares: the enterprise, quarter and comment, a report slot, then
    /// the card the rules give (with the decisions and lifts so far) — or the problem to answer
    /// (400, 404 for a card never proposed, 503 when the reports are busy).
    /// </summary>
    private static async Task<(Card? Card, ProblemHttpResult? Problem)> ProposedCardAsync(StationRegistry registry, ReportService reports, ReportGate gate, ApiOptions options,
        string enterprise, string quarter, CommentBody? body, CancellationToken ct)
    {
        if (QueryRules.First(Check(registry, enterprise, quarter), QueryRules.Comment(body?.Comment, options)) is { } bad)
        {
            return (null, bad);
        }

        using var slot = await gate.AcquireAsync(ct);
        if (!slot.IsAcquired)
        {
            return (null, ReportGate.Busy());
        }

        return await CardOfAsync(reports, enterprise, quarter, ct) is { } card
            ? (card, null)
            : (null, Refusals.Problem(404, $"no card was proposed for {enterprise} in {quarter}"));
    }

    /// <summary>The card the rules (with the decisions and lifts so far) give an enterprise in a quarter, or null.</summary>
    private static async Task<Card?> CardOfAsync(ReportService reports, string enterprise, string quarter, CancellationToken ct) =>
        (await reports.CardsAsync(new ReportRequest("cards", ReportPeriod.Quarter(quarter)!, Enterprise: enterprise), ct))
            .FirstOrDefault(r => r.Scope.Enterprise == enterprise && r.Card.Quarter == quarter)?.Card;

    private static ProblemHttpResult? Check(StationRegistry registry, string enterprise, string quarter)
    {
        if (registry.FindEnterprise(enterprise) is null)
        {
            return Refusals.Problem(404, $"no enterprise {QueryRules.Shown(enterprise)}");
        }

        return ReportPeriod.Quarter(quarter) is null
            ? QueryRules.Bad("quarter", $"must look like 2025Q3 (years {ReportPeriod.MinYear}–{ReportPeriod.MaxYear}), not '{QueryRules.Shown(quarter)}'")
            : null;
    }

    private static string Local(DateTimeOffset t, TimeZoneInfo zone) => ReportFormats.Instant(t, zone);

    private static object Json(CardLift l, TimeZoneInfo zone) => new
    {
        enterprise = l.Enterprise,
        quarter = l.Quarter,
        at = Local(l.At, zone),
        by = l.By,
        comment = l.Comment,
        revoked = l.Revoked is { } r ? new { at = Local(r.At, zone), by = r.By, comment = r.Comment } : null,
    };
}
