using Microsoft.AspNetCore.Http.HttpResults;
using System.Globalization;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Evidence;
using EmissionMonitor.Marking;
using EmissionMonitor.Users;

namespace EmissionMonitor.Api;

/// <summary>
/// Marks with review (DESIGN.md "Marks"): <c>GET /api/marks</c> (all roles, enterprises their own;
/// filters <c>mn</c>, <c>from</c>, <c>to</c>, <c>state</c>, <c>kind</c>; <c>format=csv|xlsx</c>),
/// <c>GET /api/marks/{id}</c>, <c>POST /api/marks</c> (operators: approved at once; enterprises, for
/// their own outlets: pending), <c>POST /api/marks/{id}/approve|reject</c> (operators, pending marks),
/// <c>POST /api/marks/{id}/revoke</c> (an enterprise its pending mark, an operator an approved one),
/// <c>POST /api/marks/{id}/evidence</c> (multipart: a PDF, JPEG or PNG) and
/// <c>GET /api/marks/{id}/evidence/{file}</c>. Another enterprise's marks and files are 404.
/// </summary>
public static class MarksApi
{
    public sealed record MarkBody(string? Mn, string? Kind, string? From, string? To, string? Comment);

    private static readonly string[] Columns =
    [
        "mn", "kind", "from", "to", "comment", "id", "state", "by", "createdAt", "revokedAt", "revokedBy", "revokeComment",
        "decidedBy", "decidedAt", "decisionComment", "enterprise", "overFaultCap", "evidenceFiles",
    ];

    public static void Map(IEndpointRouteBuilder app, ApiAuth auth)
    {
        var area = new ApiArea(app, auth, "/api/marks", "marks");
        var readers = area.For(ApiArea.Everyone);
        var writers = area.For(ApiArea.Filers);
        var operators = area.For(ApiArea.Operators);

        readers.MapGet("", ListAsync);
        readers.MapGet("/{id}", GetAsync);
        writers.MapPost("", CreateAsync)
            .Accepts<MarkBody>("application/json", "multipart/form-data");

        operators.MapPost("/{id}/approve", ApproveAsync);
        operators.MapPost("/{id}/reject", RejectAsync);
        writers.MapPost("/{id}/revoke", RevokeAsync);
        writers.MapPost("/{id}/evidence", AddEvidenceAsync);
        readers.MapGet("/{id}/evidence/{file}", EvidenceAsync);
    }

    private static async Task<Results<Ok<IEnumerable<Dictionary<string, object?>>>, Http.Download, ProblemHttpResult>> ListAsync(HttpContext http, string? mn, string? from, string? to, MarkService marks, ApiOptions options,
            TimeZoneInfo zone, CancellationToken ct)
    {
        if (QueryRules.First(QueryRules.Local("from", from, out var start), QueryRules.Local("to", to, out var end), QueryRules.Choice(http, "format", ReportsApi.ExportFormats),
            QueryRules.Choice(http, "state", [.. Mark.States]), QueryRules.Choice(http, "kind", [.. Mark.Kinds]), QueryRules.Page(http, options, out int limit, out int offset)) is { } bad)
        {
            return bad;
        }

        var user = RoleFilter.User(http);
        var all = await marks.AllAsync(ct);
        var over = marks.OverFaultCap(all);
        var q = http.Request.Query;
        var visible = all.Where(m => marks.Visible(user, m))
            .Where(m => mn is null || m.Mn == mn)
            .Where(m => m.To > (start ?? DateTime.MinValue) && m.From < (end ?? DateTime.MaxValue))
            .Where(m => q["state"].FirstOrDefault() is not { } s || m.State == s)
            .Where(m => q["kind"].FirstOrDefault() is not { } k || m.Kind == k)
            .ToList();
        if (ReportsApi.WantsFile(http))
        {
            return ReportsApi.Export(new Reports.ReportTable(Columns, visible.Select(m => Row(m, over, zone)).ToList()), "marks");
        }

        http.Response.Headers["X-Total-Count"] = visible.Count.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Ok(visible.Skip(offset).Take(limit).Select(m => Json(m, over, zone)));
    }

    private static async Task<Results<Ok<Dictionary<string, object?>>, ProblemHttpResult>> GetAsync(HttpContext http, string id, MarkService marks, TimeZoneInfo zone, CancellationToken ct)
    {
        var all = await marks.AllAsync(ct);
        return all.FirstOrDefault(m => m.Key == id) is { } mark && marks.Visible(RoleFilter.User(http), mark)
            ? TypedResults.Ok(Json(mark, marks.OverFaultCap(all), zone))
            : Refusals.Problem(404, $"no mark {QueryRules.Shown(id)}");
    }

    private static async Task<RecordAnswer> ApproveAsync(HttpContext http, string id, CommentBody? body, MarkService marks, TimeZoneInfo zone, CancellationToken ct) =>
        await Answer(await marks.DecideAsync(id, approve: true, body?.Comment, RoleFilter.User(http), ct), marks, zone, ct);

    private static async Task<RecordAnswer> RejectAsync(HttpContext http, string id, CommentBody? body, MarkService marks, TimeZoneInfo zone, CancellationToken ct) =>
        await Answer(await marks.DecideAsync(id, approve: false, body?.Comment, RoleFilter.User(http), ct), marks, zone, ct);

    private static async Task<RecordAnswer> RevokeAsync(HttpContext http, string id, CommentBody? body, MarkService marks, TimeZoneInfo zone, CancellationToken ct) =>
        await Answer(await marks.RevokeAsync(id, body?.Comment, RoleFilter.User(http), ct), marks, zone, ct);

    private static async Task<Results<RecordAnswer, ProblemHttpResult>> AddEvidenceAsync(HttpContext http, string id, MarkService marks, EvidenceStore evidence, TimeZoneInfo zone, CancellationToken ct)
    {
        var user = RoleFilter.User(http);
        if (await marks.FindAsync(id, ct) is not { } mark || !marks.Visible(user, mark))
        {
            return Refusals.Problem(404, $"no mark {QueryRules.Shown(id)}");
        }

        if (marks.MayAddEvidence(mark, user) is { Mark: null } refused)
        {
            return Problem(refused);
        }

        return await evidence.AttachAsync(http.Request, mark.Key, user.DisplayName, async file =>
        {
            var outcome = await marks.AddEvidenceAsync(mark.Key, file, user, ct);
            return (await Answer(outcome, marks, zone, ct), outcome.Mark is not null);
        }, ct);
    }

    private static async Task<FileAnswer> EvidenceAsync(HttpContext http, string id, string file, MarkService marks, EvidenceStore evidence, CancellationToken ct) =>
        await marks.FindAsync(id, ct) is { } mark && marks.Visible(RoleFilter.User(http), mark) && mark.Evidence.FirstOrDefault(f => f.Id == file) is { } found
                ? evidence.Serve(mark.Key, found)
                : Refusals.Problem(404, $"no evidence {QueryRules.Shown(file)} of mark {QueryRules.Shown(id)}");

    /// <summary>
    /// Files a mark: a JSON body, or a form (<c>multipart/form-data</c>) with the same fields and its
    /// evidence files — one request: the files are checked and kept first, and a refused file or a
    /// refused mark leaves nothing behind (no mark, no file).
    /// </summary>
    private static async Task<RecordAnswer> CreateAsync(HttpContext http, MarkService marks, EvidenceStore evidence, UserLimits limits, TimeZoneInfo zone, CancellationToken ct)
    {
        var user = RoleFilter.User(http);
        if (!EvidenceStore.IsMultipart(http.Request))
        {
            MarkBody? body;
            try
            {
                body = await http.Request.ReadFromJsonAsync<MarkBody>(ct);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
            {
                return Refusals.Problem(Outcomes.Refusal.Invalid, "the body is a JSON object {mn, kind, from, to, comment} or a multipart form with those fields and files", "body");
            }

            return await Answer(await marks.CreateAsync(user, body?.Mn, body?.Kind, body?.From, body?.To, body?.Comment, ct), marks, zone, ct);
        }

        string id = marks.NewId();
        var form = await evidence.ReceiveFormAsync(http.Request, id, user.DisplayName, limits.MaxEvidenceFiles, ct);
        if (form.Refusal != Outcomes.Refusal.None)
        {
            return Refusals.Problem(form.Refusal, form.Problem, "file");
        }

        string? Field(string name) => form.Fields.TryGetValue(name, out string? v) && v.Length > 0 ? v : null;
        var outcome = await marks.CreateAsync(user, Field("mn"), Field("kind"), Field("from"), Field("to"), Field("comment"), ct, id, form.Files);
        if (outcome.Mark is null)
        {
            foreach (var file in form.Files)
            {
                evidence.Discard(id, file);
            }
        }

        return await Answer(outcome, marks, zone, ct);
    }

    private static async Task<RecordAnswer> Answer(MarkOutcome outcome, MarkService marks, TimeZoneInfo zone, CancellationToken ct)
    {
        if (outcome.Mark is not { } m)
        {
            return Problem(outcome);
        }

        var json = Json(m, marks.OverFaultCap(await marks.AllAsync(ct)), zone);
        return outcome.Created ? TypedResults.Created($"/api/marks/{m.Key}", json) : TypedResults.Ok(json);
    }

    private static ProblemHttpResult Problem(MarkOutcome outcome) => Refusals.Problem(outcome.Refusal, outcome.Problem, outcome.Parameter);

    private static string LocalText(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);

    private static string? Instant(DateTimeOffset? t, TimeZoneInfo zone) => Reports.ReportFormats.Instant(t, zone);

    private static object?[] Row(Mark m, IReadOnlySet<string> overCap, TimeZoneInfo zone) =>
    [
        m.Mn, m.Kind, LocalText(m.From), LocalText(m.To), m.Comment, m.Key, m.State, m.By, Instant(m.CreatedAt, zone), Instant(m.Revoked?.At, zone), m.Revoked?.By,
        m.Revoked?.Comment, m.DecidedBy, Instant(m.DecidedAt, zone), m.DecisionComment, m.Enterprise, overCap.Contains(m.Key), m.Evidence.Count,
    ];

    /// <summary>A mark's JSON: the row's fields by name, and its evidence files.</summary>
    public static Dictionary<string, object?> Json(Mark m, IReadOnlySet<string> overCap, TimeZoneInfo zone)
    {
        var json = Columns.Zip(Row(m, overCap, zone)).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        json.Remove("evidenceFiles");
        json["evidence"] = EvidenceJson(m.Evidence, $"/api/marks/{Uri.EscapeDataString(m.Key)}/evidence", zone);
        return json;
    }

    /// <summary>Evidence files as JSON, each with the path it downloads from.</summary>
    public static IEnumerable<object> EvidenceJson(IEnumerable<EvidenceFile> files, string basePath, TimeZoneInfo zone) =>
        files.Select(f => new { id = f.Id, name = f.Name, contentType = f.ContentType, bytes = f.Bytes, sha256 = f.Sha256, by = f.By, at = Instant(f.At, zone), href = $"{basePath}/{f.Id}" });
}
