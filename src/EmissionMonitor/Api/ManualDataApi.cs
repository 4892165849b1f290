using Microsoft.AspNetCore.Http.HttpResults;
using EmissionMonitor.Compliance.Manual;
using EmissionMonitor.Evidence;
using EmissionMonitor.ManualData;
using EmissionMonitor.Reports;
using EmissionMonitor.Users;

namespace EmissionMonitor.Api;

/// <summary>
/// Manual monitoring data (手工监测数据, DOMAIN.md §0.2): <c>GET /api/manual-data</c> (all roles,
/// enterprises their own; the period as the reports' — <c>quarter</c> or <c>from</c>/<c>to</c> of the
/// sampling time — and <c>mn</c>, <c>enterprise</c>, <c>pollutant</c>, <c>state</c>;
/// <c>format=csv|xlsx</c>), <c>GET /api/manual-data/{id}</c> (with its history and files),
/// <c>POST /api/manual-data</c> (a multipart form: <c>mn</c>, <c>pollutant</c>, <c>sampledAt</c>,
/// <c>value</c>, <c>unit</c>, <c>flow</c> (m³/h, optional), <c>comment</c> and the monitoring report
/// as a PDF file; enterprises for their own outlets: pending; operators: approved at once),
/// <c>POST /api/manual-data/{id}/approve|reject</c> (operators), <c>POST /api/manual-data/{id}/revoke</c>
/// (an enterprise withdraws its pending sample, an operator revokes an approved one) and
/// <c>GET /api/manual-data/{id}/evidence/{file}</c>. Another enterprise's samples are 404.
/// </summary>
public static class ManualDataApi
{
    public static void Map(IEndpointRouteBuilder app, ApiAuth auth)
    {
        var area = new ApiArea(app, auth, "/api/manual-data", "manual data");
        var readers = area.For(ApiArea.Everyone);
        var writers = area.For(ApiArea.Filers);
        var operators = area.For(ApiArea.Operators);

        readers.MapGet("", ListAsync);
        readers.MapGet("/{id}", GetAsync);
        writers.MapPost("", CreateAsync)
            .Accepts<ManualFiling>("multipart/form-data");

        operators.MapPost("/{id}/approve", ApproveAsync);
        operators.MapPost("/{id}/reject", RejectAsync);
        writers.MapPost("/{id}/revoke", RevokeAsync);
        readers.MapGet("/{id}/evidence/{file}", EvidenceAsync);
    }

    private static async Task<TableAnswer> ListAsync(HttpContext http, Func<ReportService> reports, Func<Registry.StationRegistry> registry, ApiOptions options,
            TimeZoneInfo zone, TimeProvider clock, CancellationToken ct)
    {
        var q = http.Request.Query;
        if (QueryRules.First(QueryRules.List(http, options, out string? enterprise, out int limit, out int offset), QueryRules.Choice(http, "state", [.. ManualSample.States])) is { } bad)
        {
            return bad;
        }

        var now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime;
        if (ReportRequestParser.Parse("manual", name => name == "enterprise" ? enterprise : q[name].FirstOrDefault(), registry(), now, out var error) is not { } request)
        {
            return QueryRules.Bad(error!.Parameter, error.Problem);
        }

        var table = await reports().ManualTableAsync(request, q["state"].FirstOrDefault(), ct);
        return ReportsApi.WantsFile(http) ? ReportsApi.Export(table, "manual-data") : ReportsApi.Paged(http, table, limit, offset);
    }

    private static async Task<Results<Ok<Dictionary<string, object?>>, ProblemHttpResult>> GetAsync(HttpContext http, string id, ManualDataService manual, TimeZoneInfo zone, CancellationToken ct) =>
        await manual.FindAsync(id, ct) is { } sample && manual.Visible(RoleFilter.User(http), sample)
                ? TypedResults.Ok(Json(sample, zone))
                : Refusals.Problem(404, $"no manual sample {QueryRules.Shown(id)}");

    private static async Task<RecordAnswer> ApproveAsync(HttpContext http, string id, CommentBody? body, ManualDataService manual, TimeZoneInfo zone, CancellationToken ct) =>
        Answer(await manual.DecideAsync(id, approve: true, body?.Comment, RoleFilter.User(http), ct), zone);

    private static async Task<RecordAnswer> RejectAsync(HttpContext http, string id, CommentBody? body, ManualDataService manual, TimeZoneInfo zone, CancellationToken ct) =>
        Answer(await manual.DecideAsync(id, approve: false, body?.Comment, RoleFilter.User(http), ct), zone);

    private static async Task<RecordAnswer> RevokeAsync(HttpContext http, string id, CommentBody? body, ManualDataService manual, TimeZoneInfo zone, CancellationToken ct) =>
        Answer(await manual.RevokeAsync(id, body?.Comment, RoleFilter.User(http), ct), zone);

    private static async Task<FileAnswer> EvidenceAsync(HttpContext http, string id, string file, ManualDataService manual, EvidenceStore evidence, CancellationToken ct) =>
        await manual.FindAsync(id, ct) is { } sample && manual.Visible(RoleFilter.User(http), sample) && sample.Evidence.FirstOrDefault(f => f.Id == file) is { } found
                ? evidence.Serve(sample.Id, found)
                : Refusals.Problem(404, $"no evidence {QueryRules.Shown(file)} of manual sample {QueryRules.Shown(id)}");

    /// <summary>
    /// Files a sample from a form with its report: the files are checked and kept first, and a refused
    /// file or a refused sample leaves nothing behind.
    /// </summary>
    private static async Task<RecordAnswer> CreateAsync(HttpContext http, ManualDataService manual, EvidenceStore evidence, UserLimits limits, TimeZoneInfo zone, CancellationToken ct)
    {
        if (!EvidenceStore.IsMultipart(http.Request))
        {
            return Refusals.Problem(Outcomes.Refusal.UnsupportedContent,
                "a manual sample is filed as multipart/form-data: the fields mn, pollutant, sampledAt, value, unit, flow, comment and its monitoring report (a PDF file)", "body");
        }

        var user = RoleFilter.User(http);
        string id = manual.NewId();
        var form = await evidence.ReceiveFormAsync(http.Request, id, user.DisplayName, limits.MaxEvidenceFiles, ct);
        if (form.Refusal != Outcomes.Refusal.None)
        {
            return Refusals.Problem(form.Refusal, form.Problem, "report");
        }

        string? Field(string name) => form.Fields.TryGetValue(name, out string? v) && v.Length > 0 ? v : null;
        var filing = new ManualFiling(Field("mn"), Field("pollutant"), Field("sampledAt"), Field("value"), Field("unit"), Field("flow"), Field("comment"));
        var outcome = await manual.CreateAsync(user, filing, form.Files, id, ct);
        if (outcome.Sample is null)
        {
            foreach (var file in form.Files)
            {
                evidence.Discard(id, file);
            }
        }

        return Answer(outcome, zone);
    }

    private static RecordAnswer Answer(ManualOutcome outcome, TimeZoneInfo zone) =>
        outcome.Sample is not { } s ? Refusals.Problem(outcome.Refusal, outcome.Problem, outcome.Parameter)
        : outcome.Created ? TypedResults.Created($"/api/manual-data/{s.Id}", Json(s, zone))
        : TypedResults.Ok(Json(s, zone));

    private static string Local(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A sample's JSON: its fields, its history and its files (each with the path it downloads from).</summary>
    public static Dictionary<string, object?> Json(ManualSample s, TimeZoneInfo zone) => new(StringComparer.Ordinal)
    {
        ["id"] = s.Id,
        ["mn"] = s.Mn,
        ["pollutant"] = s.Pollutant,
        ["sampledAt"] = Local(s.SampledAt),
        ["value"] = s.Value,
        ["unit"] = s.Unit,
        ["flow"] = s.Flow,
        ["state"] = s.State,
        ["coverFrom"] = Local(s.CoverFrom),
        ["coverTo"] = Local(s.CoverTo),
        ["markId"] = s.MarkId,
        ["enterprise"] = s.Enterprise,
        ["comment"] = s.Comment,
        ["by"] = s.By,
        ["createdAt"] = ReportFormats.Instant(s.CreatedAt, zone),
        ["decidedBy"] = s.DecidedBy,
        ["decidedAt"] = ReportFormats.Instant(s.DecidedAt, zone),
        ["decisionComment"] = s.DecisionComment,
        ["history"] = s.History.Select(h => new { action = h.Action, by = h.By, at = ReportFormats.Instant(h.At, zone), comment = h.Comment }),
        ["evidence"] = MarksApi.EvidenceJson(s.Evidence, $"/api/manual-data/{Uri.EscapeDataString(s.Id)}/evidence", zone),
    };
}
