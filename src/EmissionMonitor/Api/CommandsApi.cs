using Microsoft.AspNetCore.Http.HttpResults;
using System.Text;
using System.Text.Json;
using EmissionMonitor.Commands;
using EmissionMonitor.Registry;
using EmissionMonitor.Users;

namespace EmissionMonitor.Api;

/// <summary>
/// Operators' commands to terminals: <c>POST /api/outlets/{mn}/commands</c> (<c>{command, params?}</c>
/// → 202 with the command; 404, 400 naming the parameter, 409 unreachable or queue full),
/// <c>GET /api/outlets/{mn}/commands</c> (newest first, paged, <c>format=csv</c>), <c>GET /api/commands/{id}</c>;
/// <c>POST /api/outlets/{mn}/backfill</c> is the <c>history</c> command's alias.
/// </summary>
public static class CommandsApi
{
    public sealed record CommandBody(string? Command, JsonElement? Params);

    private static readonly JsonSerializerOptions CatalogueJson = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static void Map(IEndpointRouteBuilder app, ApiAuth auth)
    {
        var area = new ApiArea(app, auth, "/api", "commands");
        var readers = area.For(ApiArea.Everyone);
        var operators = area.For(ApiArea.Operators);

        operators.MapPost("/outlets/{mn}/commands", SubmitAsync);
        operators.MapPost("/outlets/{mn}/backfill", BackfillAsync);
        readers.MapGet("/outlets/{mn}/commands", ListAsync);

        // What each command takes, for the page's form (the same rules the POST checks).
        readers.MapGet("/commands/catalogue", Catalogue);
        readers.MapGet("/commands/{id}", GetAsync);
    }

    private static async Task<ContentAnswer> SubmitAsync(HttpContext http, string mn, CommandBody? body, CommandService commands, CancellationToken ct) =>
        Answer(await commands.SubmitAsync(mn, body?.Command, body?.Params, RoleFilter.User(http).DisplayName, ct), commands);

    private static async Task<Results<ContentHttpResult, Accepted<object>, ProblemHttpResult>> BackfillAsync(HttpContext http, string mn, OperationsApi.BackfillBody? body, CommandService commands, CancellationToken ct)
    {
        // The history command with the alias's body: {from, to} (local dates or times), hourly data.
        var parameters = JsonSerializer.SerializeToElement(new Dictionary<string, string?> { ["cn"] = "2061", ["from"] = body?.From, ["to"] = body?.To }
            .Where(p => p.Value is not null).ToDictionary());
        var outcome = await commands.SubmitAsync(mn, "history", parameters, RoleFilter.User(http).DisplayName, ct);
        if (outcome.Command is not { } command)
        {
            return Refused(outcome); // not taken: no command
        }

        var shown = JsonDocument.Parse(outcome.Json ?? commands.Live(command)).RootElement; // as taken, with its first frame
        string? sent = shown.TryGetProperty("exchanges", out var ex) && ex.GetArrayLength() > 0 ? ex[0].GetProperty("frame").GetString() : null;
        return TypedResults.Accepted<object>((string?)null, new { id = command.Id, mn, qn = command.Qn, sent, state = shown.GetProperty("state").GetString(), link = command.Link });
    }

    private static async Task<Results<ContentHttpResult, Http.Download, ProblemHttpResult>> ListAsync(HttpContext http, string mn, Func<StationRegistry> registry, CommandService commands, ApiOptions options, CancellationToken ct)
    {
        var user = RoleFilter.User(http);
        if (registry().FindOutlet(mn) is not { } outlet)
        {
            return Refusals.Problem(404, $"no outlet {QueryRules.Shown(mn)}");
        }

        if (user.Role == ApiUser.EnterpriseRole && outlet.EnterpriseId != user.Enterprise)
        {
            return Refusals.Problem(403, "not your outlet");
        }

        if (QueryRules.First(QueryRules.Choice(http, "format", ReportsApi.ExportFormats), QueryRules.Page(http, options, out int limit, out int offset)) is { } bad)
        {
            return bad;
        }

        var list = (await commands.ListAsync(mn, limit, offset, ct)).Select(j => JsonDocument.Parse(j).RootElement).ToList();
        if (ReportsApi.WantsFile(http))
        {
            string[] columns = ["id", "mn", "command", "cn", "qn", "params", "link", "state", "requestedBy", "requestedAt", "sentAt", "acceptedAt", "finishedAt",
                    "attempts", "qnRtn", "exeRtn", "reason", "result"];
            return ReportsApi.Export(new Reports.ReportTable(columns, list.Select(c => columns.Select(k => Cell(c, k)).ToArray()).ToList()), $"commands-{mn}");
        }

        return TypedResults.Text("[" + string.Join(",", list.Select(c => c.GetRawText())) + "]", "application/json; charset=utf-8", Encoding.UTF8);
    }

    /// <summary><c>GET /api/commands/catalogue</c>: the commands an operator may send, with their parameters.</summary>
    private static JsonHttpResult<IEnumerable<Commands.CommandDescription>> Catalogue() =>
        TypedResults.Json(Commands.CommandCatalogue.Describe(), CatalogueJson);

    private static async Task<ContentAnswer> GetAsync(HttpContext http, string id, Func<StationRegistry> registry, CommandService commands, CancellationToken ct)
    {
        if (await commands.FindAsync(id, ct) is not { } json)
        {
            return Refusals.Problem(404, $"no command {QueryRules.Shown(id)}");
        }

        var user = RoleFilter.User(http);
        string mn = JsonDocument.Parse(json).RootElement.GetProperty("mn").GetString()!;
        if (user.Role == ApiUser.EnterpriseRole && registry().FindOutlet(mn)?.EnterpriseId != user.Enterprise)
        {
            return Refusals.Problem(404, $"no command {QueryRules.Shown(id)}"); // another enterprise's commands are not revealed
        }

        return TypedResults.Text(json, "application/json; charset=utf-8", Encoding.UTF8);
    }

    private static ContentAnswer Answer(SubmitOutcome outcome, CommandService commands) => outcome.Refusal == Outcomes.Refusal.None
        ? TypedResults.Text(outcome.Json ?? commands.Live(outcome.Command!), "application/json; charset=utf-8", Encoding.UTF8, statusCode: 202)
        : Refused(outcome);

    /// <summary>The problem of a command not taken (its parameter named, else <c>command</c>).</summary>
    private static ProblemHttpResult Refused(SubmitOutcome outcome) => Refusals.Problem(outcome.Refusal, outcome.Problem, outcome.Parameter ?? "command");

    /// <summary>A CSV cell: strings as they are (the CSV writer encodes them), objects as compact JSON.</summary>
    private static object? Cell(JsonElement command, string key) =>
        !command.TryGetProperty(key, out var v) ? null : v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => v.GetRawText(),
        };
}
