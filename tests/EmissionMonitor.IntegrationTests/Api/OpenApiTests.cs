using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EmissionMonitor.IntegrationTests.Api;

/// <summary>The OpenAPI document at /openapi/v1.json names every query parameter, body and problem; /docs is the reference page, served from the package.</summary>
public sealed partial class OpenApiTests
{
    [Fact]
    public async Task TheDocument_NamesParametersBodiesAndProblems_AndTheReferencePageNeedsNothingFromOutside()
    {
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?> { ["Api:Users:0:Token"] = "operator-token-1", ["Api:Users:0:Role"] = "operator" });
        using var http = new HttpClient { BaseAddress = service.HttpBase };
        var paths = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");

        HashSet<string> Parameters(string path, string method) =>
            paths.GetProperty(path).GetProperty(method).TryGetProperty("parameters", out var ps) ? ps.EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToHashSet() : [];
        HashSet<string> Statuses(string path, string method) => paths.GetProperty(path).GetProperty(method).GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();

        Assert.Superset(new HashSet<string> { "state", "kind", "subKind", "severity", "city", "enterprise", "mn", "pollutant", "assignee", "limit", "offset", "format", "lang" }, Parameters("/api/alerts", "get"));
        Assert.Superset(new HashSet<string> { "quarter", "from", "to", "city", "enterprise", "mn", "pollutant", "by", "limit", "offset", "format" }, Parameters("/api/rates", "get"));
        Assert.Superset(new HashSet<string> { "from", "to", "quarter", "by", "format" }, Parameters("/api/alerts/handling", "get"));
        Assert.Superset(new HashSet<string> { "month", "by", "city", "enterprise", "format", "limit" }, Parameters("/api/tax", "get"));
        Assert.Superset(new HashSet<string> { "200", "400", "401", "403", "429" }, Statuses("/api/alerts", "get"));

        var acknowledge = paths.GetProperty("/api/alerts/{id}/acknowledge").GetProperty("post");
        var body = acknowledge.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Contains("#/components/schemas/StepBody", body.ToString(), StringComparison.Ordinal); // the body may be left out (oneOf null or the body)
        Assert.Superset(new HashSet<string> { "200", "400", "401", "403", "404", "409", "429" }, Statuses("/api/alerts/{id}/acknowledge", "post"));
        Assert.Contains("id", Parameters("/api/alerts/{id}/acknowledge", "post"));
        Assert.Superset(new HashSet<string> { "413", "415" }, Statuses("/api/marks/{id}/evidence", "post"));
        Assert.Contains("Roles: operator", acknowledge.GetProperty("description").GetString(), StringComparison.Ordinal);

        // Typed results: each answer's status and type come from the handler's signature.
        string Schema(string path, string method, string status) =>
            paths.GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty(status).GetProperty("content").GetProperty("application/json").GetProperty("schema").ToString();
        Assert.Contains("#/components/schemas/SessionJson", Schema("/api/session", "get", "200"), StringComparison.Ordinal);
        Assert.Contains("#/components/schemas/CodeJson", Schema("/api/codes", "get", "200"), StringComparison.Ordinal);
        Assert.Superset(new HashSet<string> { "200", "201" }, Statuses("/api/marks/{id}/approve", "post")); // a record answered as it stands, or made
        Assert.Contains("204", Statuses("/api/session", "delete"));
        Assert.Contains("202", Statuses("/api/outlets/{mn}/backfill", "post"));
        Assert.Equal("marks", paths.GetProperty("/api/marks").GetProperty("get").GetProperty("tags")[0].GetString()); // the area's group

        // The reference page: its script from this service, nothing from a CDN.
        var docs = await http.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        string html = await docs.Content.ReadAsStringAsync();
        var scripts = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        Assert.All(scripts, s => Assert.False(s.StartsWith("http", StringComparison.Ordinal) || s.StartsWith("//", StringComparison.Ordinal), s));
        foreach (var script in scripts)
        {
            var asset = await http.GetAsync(new Uri(new Uri(service.HttpBase, "/docs/"), script));
            Assert.True(asset.IsSuccessStatusCode, $"{script}: {(int)asset.StatusCode}");
        }
    }

    [Fact]
    public async Task EveryProblem_CarriesACodeAndParams_ForThePageToSayInTheUsersLanguage()
    {
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?> { ["Api:Users:0:Token"] = "operator-token-1", ["Api:Users:0:Role"] = "operator" });
        using var anonymous = new HttpClient { BaseAddress = service.HttpBase };
        using var op = ApiCalls.Client(service.HttpBase, "operator-token-1");
        async Task<JsonElement> ProblemAsync(HttpClient http, string path) => JsonDocument.Parse(await (await http.GetAsync(path)).Content.ReadAsStringAsync()).RootElement;

        var invalid = await ProblemAsync(op, "/api/alerts?severity=loud");
        Assert.Equal(("invalid", "severity"), (invalid.GetProperty("code").GetString(), invalid.GetProperty("params").GetProperty("parameter").GetString()));
        Assert.StartsWith("severity", invalid.GetProperty("title").GetString(), StringComparison.Ordinal); // the English title stays
        Assert.Equal("unauthorized", (await ProblemAsync(anonymous, "/api/alerts")).GetProperty("code").GetString());
        Assert.Equal("not-found", (await ProblemAsync(op, "/api/alerts/no-such-alert")).GetProperty("code").GetString());
        Assert.Equal("not-found", (await ProblemAsync(op, "/api/no-such-path")).GetProperty("code").GetString());
    }

    [GeneratedRegex("<script[^>]*src=\"([^\"]+)\"")]
    private static partial Regex ScriptSource();
}
