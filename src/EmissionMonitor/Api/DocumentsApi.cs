using Microsoft.AspNetCore.Http.HttpResults;
using EmissionMonitor.Reports.Documents;
using EmissionMonitor.Users;

namespace EmissionMonitor.Api;

/// <summary>
/// <c>GET /api/documents/{kind}</c> (<c>daily|monthly|quarterly|annual</c>; <c>date|month|quarter|year</c>;
/// <c>city</c>, <c>enterprise</c>, <c>mn</c>; <c>lang</c>): the report document as a workbook, a sheet per
/// outlet (at most <c>Api:MaxDocumentOutlets</c>), streamed under the user's download slot and a slot
/// of the report gate. An enterprise user gets its own enterprise's outlets only.
/// <c>GET /api/documents/execution?enterprise=&amp;month=|quarter=</c>: the permit execution report (an enterprise user's own).
/// </summary>
public static class DocumentsApi
{
    public static void Map(IEndpointRouteBuilder app, ApiAuth auth)
    {
        var area = new ApiArea(app, auth, "/api/documents", "documents");
        var everyone = area.For(ApiArea.Everyone);
        everyone.MapGet("/{kind}", Results<ProblemHttpResult, Http.ExecutionDownload, Http.DocumentDownload> (HttpContext http, string kind, Func<Registry.StationRegistry> registry,
            ApiOptions options) =>
        {
            var user = RoleFilter.User(http);
            var q = http.Request.Query;
            string? Value(string name) => name == "enterprise" && user.Role == ApiUser.EnterpriseRole ? user.Enterprise : q[name].FirstOrDefault() is { Length: > 0 } v ? v : null;
            if (kind == "execution")
            {
                var execution = Permits.ExecutionRequest.Parse(Value, registry(), out var problem);
                return execution is null
                    ? Refusals.Problem(Outcomes.Refusal.Invalid, $"{problem!.Value.Parameter}: {problem.Value.Problem}", problem.Value.Parameter)
                    : new Http.ExecutionDownload(execution);
            }

            var request = DocumentRequest.Parse(kind, Value, registry(), options.MaxDocumentOutlets, out var error);
            return request is null
                ? Refusals.Problem(Outcomes.Refusal.Invalid, $"{error!.Value.Parameter}: {error.Value.Problem}", error.Value.Parameter)
                : new Http.DocumentDownload(request);
        });
    }
}
