using Microsoft.AspNetCore.Http.HttpResults;
using EmissionMonitor.Permits;
using EmissionMonitor.Users;

namespace EmissionMonitor.Api;

/// <summary>
/// <c>GET /api/permits/deadlines?year=|from=&amp;to=&amp;enterprise=&amp;state=</c>: the calendar of the
/// enterprises' permit execution reports with what was generated for each (the bureau's view of what
/// is due and what was downloaded); JSON paged, or CSV/XLSX. Enterprise users see their own.
/// </summary>
public static class PermitsApi
{
    public static void Map(IEndpointRouteBuilder app, ApiAuth auth) =>
        new ApiArea(app, auth, "/api/permits", "permits").For(ApiArea.Everyone).MapGet("/deadlines", DeadlinesAsync);

    private static async Task<TableAnswer> DeadlinesAsync(HttpContext http, ReportDeadlines deadlines, Func<Registry.StationRegistry> registry, ApiOptions options,
            TimeZoneInfo zone, TimeProvider clock, CancellationToken ct)
    {
        var q = http.Request.Query;
        if (QueryRules.List(http, options, out string? enterprise, out int limit, out int offset) is { } bad)
        {
            return bad;
        }

        var today = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).Date;
        if (DeadlineTable.Parse(name => name == "enterprise" ? enterprise : q[name].FirstOrDefault(), registry(), today, out var error) is not { } asked)
        {
            return QueryRules.Bad(error!.Value.Parameter, error.Value.Problem);
        }

        var table = DeadlineTable.Of(await deadlines.RowsAsync(asked.From, asked.To, asked.Enterprise, asked.State, ct), zone);
        return ReportsApi.WantsFile(http) ? ReportsApi.Export(table, "deadlines") : ReportsApi.Paged(http, table, limit, offset);
    }
}
