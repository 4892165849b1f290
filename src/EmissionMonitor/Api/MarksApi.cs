using System.Globalization;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Api;

/// <summary>
/// Operator marks: <c>GET /api/marks</c> (all roles, enterprises their own; <c>format=csv</c>),
/// <c>POST /api/marks</c> (operators: span ≤ <see cref="ApiOptions.MaxMarkSpan"/>, comment bounded,
/// author recorded, id returned) and <c>POST /api/marks/{id}/revoke</c> (recorded beside the mark,
/// never deleted; a revoked mark changes no figure).
/// </summary>
public static class MarksApi
{
    public sealed record MarkBody(string? Mn, string? Kind, string? From, string? To, string? Comment);

    private static readonly string[] Columns = ["mn", "kind", "from", "to", "comment", "id", "state", "by", "createdAt", "revokedAt", "revokedBy", "revokeComment"];

    public static void Map(IEndpointRouteBuilder app, ApiAuth auth)
    {
        var readers = new RoleFilter(auth, ApiUser.Operator, ApiUser.Inspector, ApiUser.EnterpriseRole);
        var operators = new RoleFilter(auth, ApiUser.Operator);

        app.MapGet("/api/marks", async (HttpContext http, string? mn, string? from, string? to, Func<StationRegistry> registry, IRecordStore store,
            ApiOptions options, TimeZoneInfo zone, CancellationToken ct) =>
        {
            if (QueryRules.First(QueryRules.Local("from", from, out var start), QueryRules.Local("to", to, out var end), QueryRules.Choice(http, "format", ReportsApi.ExportFormats),
                QueryRules.Page(http, options, out int limit, out int offset)) is { } bad)
            {
                return bad;
            }

            var user = RoleFilter.User(http);
            var current = registry();
            var marks = await store.QueryMarksAsync(start ?? DateTime.MinValue, end ?? DateTime.MaxValue, mn, ct);
            var visible = marks.Where(m => user.Role != ApiUser.EnterpriseRole || current.FindOutlet(m.Mn)?.EnterpriseId == user.Enterprise).ToList();
            if (ReportsApi.WantsFile(http))
            {
                return ReportsApi.Export(http, new Reports.ReportTable(Columns, visible.Select(m => Row(m, zone)).ToList()), "marks");
            }

            http.Response.Headers["X-Total-Count"] = visible.Count.ToString(CultureInfo.InvariantCulture);
            return Results.Json(visible.Skip(offset).Take(limit).Select(m => Json(m, zone)));
        }).AddEndpointFilter(readers);

        app.MapPost("/api/marks", async (HttpContext http, MarkBody body, Func<StationRegistry> registry, IRecordStore store, ApiOptions options,
            TimeZoneInfo zone, TimeProvider clock, CancellationToken ct) =>
        {
            if (body.Mn is null || registry().FindOutlet(body.Mn) is null)
            {
                return QueryRules.Bad("mn", $"{QueryRules.Shown(body.Mn ?? "(missing)")} is not in the registry");
            }

            if (body.Kind is null || !Mark.Kinds.Contains(body.Kind))
            {
                return QueryRules.Bad("kind", $"must be one of {string.Join(", ", Mark.Kinds)}");
            }

            if (QueryRules.First(QueryRules.Local("from", body.From ?? string.Empty, out var from), QueryRules.Local("to", body.To ?? string.Empty, out var to),
                QueryRules.Comment(body.Comment, options)) is { } bad)
            {
                return bad;
            }

            if (to <= from)
            {
                return QueryRules.Bad("to", "must be after from");
            }

            if (to!.Value - from!.Value > options.MaxMarkSpan)
            {
                return QueryRules.Bad("to", $"a mark spans at most {options.MaxMarkSpan.TotalDays:F0} days (Api:MaxMarkSpan)");
            }

            var now = clock.GetUtcNow();
            var mark = new Mark(body.Mn, body.Kind, from.Value, to.Value, body.Comment) { Id = Mark.NewId(now), By = RoleFilter.User(http).DisplayName, CreatedAt = now };
            await store.AddMarkAsync(mark, ct);
            return Results.Created($"/api/marks/{mark.Id}", Json(mark, zone));
        }).AddEndpointFilter(operators);

        app.MapPost("/api/marks/{id}/revoke", async (HttpContext http, string id, CommentBody? body, IRecordStore store, ApiOptions options,
            TimeZoneInfo zone, TimeProvider clock, CancellationToken ct) =>
        {
            if (QueryRules.Comment(body?.Comment, options) is { } bad)
            {
                return bad;
            }

            var mark = (await store.QueryMarksAsync(DateTime.MinValue, DateTime.MaxValue, null, ct)).FirstOrDefault(m => m.Key == id);
            if (mark is null)
            {
                return Results.Problem(statusCode: 404, title: $"no mark {QueryRules.Shown(id)}");
            }

            if (!mark.IsActive)
            {
                return Results.Problem(statusCode: 409, title: $"mark {id} is already revoked");
            }

            var revoked = mark with { Id = mark.Key, Revoked = new Revocation(clock.GetUtcNow(), RoleFilter.User(http).DisplayName, body?.Comment) };
            await store.AddMarkAsync(revoked, ct);
            return Results.Json(Json(revoked, zone));
        }).AddEndpointFilter(operators);
    }

    private static string LocalText(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);

    private static string? Instant(DateTimeOffset? t, TimeZoneInfo zone) =>
        Reports.ReportFormats.Instant(t, zone);

    private static object?[] Row(Mark m, TimeZoneInfo zone) =>
        [m.Mn, m.Kind, LocalText(m.From), LocalText(m.To), m.Comment, m.Key, m.IsActive ? "approved" : "revoked", m.By, Instant(m.CreatedAt, zone),
            Instant(m.Revoked?.At, zone), m.Revoked?.By, m.Revoked?.Comment];

    /// <summary>A mark's JSON: the row's fields by name.</summary>
    public static Dictionary<string, object?> Json(Mark m, TimeZoneInfo zone) =>
        Columns.Zip(Row(m, zone)).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
}
