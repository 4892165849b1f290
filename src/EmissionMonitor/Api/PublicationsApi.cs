using Microsoft.AspNetCore.Http.HttpResults;
using System.Text;
using System.Text.Json.Nodes;
using EmissionMonitor.Reports;
using EmissionMonitor.Users;

namespace EmissionMonitor.Api;

/// <summary>
/// The quarterly lists: <c>POST /api/publications</c> (<c>{quarter, city}</c>, operators; city null
/// for the province) → 201 with the publication; <c>GET /api/publications</c> (every role). For the
/// public, without login: <c>GET /api/public/publications</c> (the same, without who published) and
/// <c>GET /api/public/publications/{id}?format=csv|xlsx&amp;lang=zh|en</c> (a list's table).
/// Nothing else is reachable without a token.
/// </summary>
public static class PublicationsApi
{
    /// <summary><c>force</c>: publish a quarter that has not ended or whose data is not settled (also <c>?force=true</c>).</summary>
    public sealed record PublishBody(string? Quarter, string? City, bool? Force = null);

    public static void Map(IEndpointRouteBuilder app, ApiAuth auth)
    {
        var area = new ApiArea(app, auth, "/api", "publications");
        var operators = area.For(ApiArea.Operators);
        var everyone = area.For(ApiArea.Everyone);
        operators.MapPost("/publications", PublishAsync);
        everyone.MapGet("/publications", ListAsync);

        // Who publishes and under which title, and the service's local time (the page says "本季度未结束" by it).
        area.Open.MapGet("/public/about", About);

        area.Open.MapGet("/public/publications", PublicListAsync);

        area.Open.MapGet("/public/publications/{id}", PublicTableAsync);
    }

    /// <summary><c>POST /api/publications</c> (<c>{quarter, city, force}</c>): publishes a quarter's list (201), or says why not (409 with a code while the quarter is not ready).</summary>
    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> PublishAsync(HttpContext http, PublishBody? body, PublicationService publications, CancellationToken ct)
    {
        bool force = body?.Force == true || http.Request.Query["force"].FirstOrDefault() == "true";
        var outcome = await publications.PublishAsync(body?.Quarter, body?.City, RoleFilter.User(http).DisplayName, ct, force);
        if (outcome.Publication is { } p)
        {
            return TypedResults.Text(p.ToJsonString(), "application/json; charset=utf-8", Encoding.UTF8, statusCode: 201);
        }

        return outcome.Code is { } code // not ready: the page asks for an explicit confirmation, then sends force=true
            ? TypedResults.Problem(statusCode: 409, title: outcome.Problem, extensions: new Dictionary<string, object?> { ["code"] = code, ["parameter"] = "force" })
            : Refusals.Problem(outcome.Refusal, outcome.Problem, outcome.Parameter ?? "quarter");
    }

    /// <summary><c>GET /api/publications</c>: every list published, with who published it.</summary>
    private static async Task<ContentHttpResult> ListAsync(PublicationService publications, CancellationToken ct) =>
        List(await publications.ListAsync(withAuthor: true, ct));

    /// <summary><c>GET /api/public/about</c>: who publishes, under which title, and the service's local time.</summary>
    private static Ok<object> About(PublicationService publications, TimeZoneInfo zone, TimeProvider clock) =>
        TypedResults.Ok<object>(new
        {
            authority = publications.Public.Authority,
            title = publications.Public.Title,
            now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
            rateThreshold = publications.RateThreshold,
        });

    /// <summary><c>GET /api/public/publications</c>: every list published, without who published it.</summary>
    private static async Task<ContentHttpResult> PublicListAsync(PublicationService publications, CancellationToken ct) =>
        List(await publications.ListAsync(withAuthor: false, ct));

    /// <summary><c>GET /api/public/publications/{id}</c>: a list as JSON, or its table as CSV or XLSX in the language asked.</summary>
    private static async Task<Results<ContentHttpResult, PushStreamHttpResult, FileContentHttpResult, ProblemHttpResult>> PublicTableAsync(HttpContext http, string id, PublicationService publications, CancellationToken ct)
    {
        if (QueryRules.First(QueryRules.Choice(http, "format", ["json", "csv", "xlsx"]), QueryRules.Choice(http, "lang", ["zh", "en"])) is { } bad)
        {
            return bad;
        }

        if (await publications.FindAsync(id, withAuthor: false, ct) is not { } publication)
        {
            return Refusals.Problem(404, $"no publication {QueryRules.Shown(id)}");
        }

        bool chinese = http.Request.Query["lang"].FirstOrDefault() != "en";
        string name = $"{publication["quarter"]}-{publication["city"]?.GetValue<string>() ?? (chinese ? "全省" : "province")}-v{publication["version"]}";
        return http.Request.Query["format"].FirstOrDefault() switch
        {
            "csv" => ReportsApi.Csv(PublicationService.Table(publication, chinese), name),
            "xlsx" => TypedResults.File(Xlsx.Write(PublicationService.Table(publication, chinese), name), Xlsx.ContentType, name + ".xlsx"),
            _ => (Results<ContentHttpResult, PushStreamHttpResult, FileContentHttpResult, ProblemHttpResult>)TypedResults.Text(publication.ToJsonString(), "application/json; charset=utf-8", Encoding.UTF8),
        };
    }

    private static ContentHttpResult List(IReadOnlyList<JsonObject> publications) =>
        TypedResults.Text(new JsonArray(publications.Select(p => (JsonNode)p).ToArray()).ToJsonString(), "application/json; charset=utf-8", Encoding.UTF8);
}
