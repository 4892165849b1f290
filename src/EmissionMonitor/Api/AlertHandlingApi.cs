using Microsoft.AspNetCore.Http.HttpResults;
using System.Text.Json;
using EmissionMonitor.Alerts;
using EmissionMonitor.Orders;
using EmissionMonitor.Storage;
using EmissionMonitor.Users;

namespace EmissionMonitor.Api;

/// <summary>
/// Handling an alert (operators), every step kept in its <c>history[]</c> with who and when:
/// acknowledging one or many (响应; a comment, required while <c>Alerts:RequireComment</c>, and a
/// verdict 核实结论 <c>real | instrument | false-alarm | unknown</c>), assigning it to a user,
/// disposing of it (处置: what was done), clearing it, and making a supervision order from it.
/// </summary>
public static class AlertHandlingApi
{
    /// <summary>The most alerts one bulk acknowledgement takes.</summary>
    public const int MaxBulk = 1000;

    public sealed record BulkBody(List<string>? Ids, string? Comment, string? Verdict);

    /// <summary>The body of a handling step: its comment, verdict, the user assigned (<c>assignee</c>), an order's deadline and text.</summary>
    public sealed record StepBody(string? Comment, string? Verdict, string? Assignee, string? Deadline, string? Text);

    public static void Map(IEndpointRouteBuilder app, ApiAuth auth)
    {
        var area = new ApiArea(app, auth, "/api/alerts", "alerts");
        var everyone = area.For(ApiArea.Everyone);
        var operators = area.For(ApiArea.Operators);
        operators.MapPost("/acknowledge", AcknowledgeManyAsync);
        everyone.MapGet("/handling", HandlingAsync);
        operators.MapPost("/{id}/acknowledge", AcknowledgeAsync);
        operators.MapPost("/{id}/assign", AssignAsync);
        operators.MapPost("/{id}/dispose", DisposeAsync);
        operators.MapPost("/{id}/clear", ClearAsync);
        operators.MapPost("/{id}/order", OrderAsync);
    }

    private static async Task<BytesAnswer> AcknowledgeAsync(HttpContext http, string id, StepBody? body, AlertService alerts, ApiOptions options, AlertOptions rules, TimeZoneInfo zone,
            CancellationToken ct)
    {
        if (Acknowledgement(body?.Comment, body?.Verdict, options, rules) is { } bad)
        {
            return bad;
        }

        var changed = await alerts.AcknowledgeAsync(id, RoleFilter.User(http).DisplayName, ct, body?.Comment, body?.Verdict);
        return Changed(alerts, id, changed, zone, "the alert is acknowledged already");
    }

    private static async Task<BytesAnswer> AssignAsync(HttpContext http, string id, StepBody? body, AlertService alerts, ApiOptions options, TimeZoneInfo zone, CancellationToken ct)
    {
        if (body?.Assignee is not { Length: > 0 } assignee || assignee.Length > 100)
        {
            return QueryRules.Bad("assignee", "the name of the user to assign the alert to (at most 100 characters)");
        }

        if (options.Users.Count > 0 && !options.Users.Any(u => u.Name == assignee))
        {
            return QueryRules.Bad("assignee", $"no user named {QueryRules.Shown(assignee)}");
        }

        if (QueryRules.Comment(body.Comment, options) is { } bad)
        {
            return bad;
        }

        return Changed(alerts, id, await alerts.AssignAsync(id, RoleFilter.User(http).DisplayName, assignee, body.Comment, ct), zone, "not changed");
    }

    private static async Task<BytesAnswer> DisposeAsync(HttpContext http, string id, StepBody? body, AlertService alerts, ApiOptions options, TimeZoneInfo zone, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body?.Comment))
        {
            return QueryRules.Bad("comment", "what was done about the alert (处置)");
        }

        if (QueryRules.First(QueryRules.Comment(body.Comment, options), Verdict(body.Verdict)) is { } bad)
        {
            return bad;
        }

        return Changed(alerts, id, await alerts.DisposeAsync(id, RoleFilter.User(http).DisplayName, body.Comment, body.Verdict, ct), zone, "not changed");
    }

    private static async Task<BytesAnswer> ClearAsync(HttpContext http, string id, CommentBody? body, AlertService alerts, ApiOptions options, TimeZoneInfo zone, CancellationToken ct)
    {
        if (QueryRules.Comment(body?.Comment, options) is { } bad)
        {
            return bad;
        }

        var changed = await alerts.ClearAsync(id, RoleFilter.User(http).DisplayName, body?.Comment, ct);
        return Changed(alerts, id, changed, zone, "the alert is already cleared");
    }

    private static async Task<ObjectAnswer> OrderAsync(HttpContext http, string id, StepBody? body, OrderService orders, CancellationToken ct)
    {
        var outcome = await orders.CreateFromAlertAsync(id, body?.Deadline, body?.Text, RoleFilter.User(http).DisplayName, ct);
        return OrdersApi.Answer(outcome, orders, orders.Zone, 201);
    }

    /// <summary>
    /// <c>GET /api/alerts/handling?from&amp;to|quarter&amp;by=province|city|enterprise</c>: the handling
    /// figures of the alerts raised in the period (an enterprise user: its own); JSON, CSV or XLSX.
    /// </summary>
    private static async Task<TableAnswer> HandlingAsync(HttpContext http, IRecordStore store, Func<Registry.StationRegistry> registry, ApiOptions options, AlertOptions rules,
        ReportGate gate, TimeZoneInfo zone, TimeProvider clock, CancellationToken ct)
    {
        var q = http.Request.Query;
        if (QueryRules.First(QueryRules.Choice(http, "by", AlertHandling.Groupings), QueryRules.Choice(http, "format", ReportsApi.ExportFormats),
            QueryRules.Page(http, options, out int limit, out int offset)) is { } bad)
        {
            return bad;
        }

        var now = clock.GetUtcNow();
        var period = Compliance.ReportPeriod.Resolve(q["quarter"].FirstOrDefault(), q["from"].FirstOrDefault(), q["to"].FirstOrDefault(), TimeZoneInfo.ConvertTime(now, zone).DateTime,
            out string? error);
        if (period is null)
        {
            return QueryRules.Bad(error!.Split(' ')[0], error);
        }

        if (QueryRules.Span(period, options.MaxPeriod) is { } tooLong)
        {
            return tooLong;
        }

        var user = RoleFilter.User(http);
        string by = q["by"].FirstOrDefault() ?? "city";
        using var slot = await gate.AcquireAsync(ct);
        if (!slot.IsAcquired)
        {
            return ReportGate.Busy();
        }

        var table = await store.HandlingAsync(period, by, user.Role == ApiUser.EnterpriseRole ? user.Enterprise ?? string.Empty : null, rules, registry(), zone, now, ct);
        return ReportsApi.WantsFile(http) ? ReportsApi.Export(table, "alert-handling") : ReportsApi.Paged(http, table, limit, offset);
    }

    /// <summary>A verdict, when given, is one of <see cref="AlertVerdicts.All"/>.</summary>
    private static ProblemHttpResult? Verdict(string? verdict) =>
        verdict is null || AlertVerdicts.All.Contains(verdict) ? null : QueryRules.Bad("verdict", $"one of {string.Join(", ", AlertVerdicts.All)}, not '{QueryRules.Shown(verdict)}'");

    private static ProblemHttpResult? Acknowledgement(string? comment, string? verdict, ApiOptions options, AlertOptions rules) =>
        rules.RequireComment && string.IsNullOrWhiteSpace(comment)
            ? QueryRules.Bad("comment", "what was checked: a comment is required to acknowledge (Alerts:RequireComment)")
            : QueryRules.First(QueryRules.Comment(comment, options), Verdict(verdict));

    private static async Task<BytesAnswer> AcknowledgeManyAsync(HttpContext http, BulkBody? body, AlertService alerts, ApiOptions options, AlertOptions rules, TimeZoneInfo zone, CancellationToken ct)
    {
        if (body?.Ids is not { Count: > 0 } ids)
        {
            return QueryRules.Bad("ids", "the ids of the alerts to acknowledge, at least one");
        }

        if (ids.Count > MaxBulk || ids.Any(i => i is null || i.Length > 64))
        {
            return QueryRules.Bad("ids", $"at most {MaxBulk} alert ids of at most 64 characters each");
        }

        if (Acknowledgement(body.Comment, body.Verdict, options, rules) is { } bad)
        {
            return bad;
        }

        string by = RoleFilter.User(http).DisplayName;
        var done = new List<Alert>();
        var skipped = new List<object>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (await alerts.AcknowledgeAsync(id, by, ct, body.Comment, body.Verdict) is { } changed)
            {
                done.Add(changed);
            }
            else
            {
                skipped.Add(new { id, reason = alerts.Find(id) is not null ? "not-active" : "not-found" });
            }
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("acknowledged", done.Count);
            w.WriteStartArray("alerts");
            foreach (var a in done)
            {
                AlertJson.Write(w, a, zone);
            }

            w.WriteEndArray();
            w.WritePropertyName("skipped");
            JsonSerializer.Serialize(w, skipped);
            w.WriteEndObject();
        }

        return TypedResults.Bytes(buffer.WrittenMemory.ToArray(), "application/json; charset=utf-8");
    }

    private static BytesAnswer Changed(AlertService alerts, string id, Alert? changed, TimeZoneInfo zone, string conflict)
    {
        if (changed is not null)
        {
            return TypedResults.Bytes(AlertJson.Serialize(changed, zone), "application/json; charset=utf-8");
        }

        return alerts.Find(id) is not null
            ? Refusals.Problem(409, conflict)
            : Refusals.Problem(404, $"no alert {QueryRules.Shown(id)}");
    }
}
