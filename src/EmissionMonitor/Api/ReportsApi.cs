using System.Text;
using EmissionMonitor.Compliance;
using EmissionMonitor.Reports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EmissionMonitor.Api;

/// <summary>
/// <c>GET /api/rates|exceedances|totals|cards|hours</c>: the report options as query parameters, the
/// same JSON as <c>report --format json</c> (one implementation behind both), paged with
/// <c>limit</c>/<c>offset</c> and <c>X-Total-Count</c>; <c>format=csv</c> gives the whole table as
/// CSV with a BOM. Enterprise users see only their own enterprise.
/// </summary>
public static class ReportsApi
{
    public static void Map(IEndpointRouteBuilder app, ApiAuth auth)
    {
        foreach (var kind in ReportRequest.Kinds)
        {
            app.MapGet($"/api/{kind}", (HttpContext http, Func<ReportService> reports, TimeZoneInfo zone, CancellationToken ct) => GetAsync(kind, http, reports(), zone, ct))
                .AddEndpointFilter(new RoleFilter(auth, ApiUser.Operator, ApiUser.Inspector, ApiUser.EnterpriseRole));
        }
    }

    private static async Task<IResult> GetAsync(string kind, HttpContext http, ReportService reports, TimeZoneInfo zone, CancellationToken ct)
    {
        var q = http.Request.Query;
        var user = RoleFilter.User(http);
        string? enterprise = q["enterprise"].FirstOrDefault(), mn = q["mn"].FirstOrDefault(), by = q["by"].FirstOrDefault();
        if (user.Role == ApiUser.EnterpriseRole)
        {
            if (enterprise is not null && enterprise != user.Enterprise)
            {
                return Results.Problem(statusCode: 403, title: "an enterprise user sees only its own enterprise");
            }

            enterprise = user.Enterprise;
        }

        if (by is not null && !ReportRequest.Groupings.Contains(by))
        {
            return Results.Problem(statusCode: 400, title: $"by must be one of {string.Join("|", ReportRequest.Groupings)}");
        }

        if (kind == "hours" && mn is null)
        {
            return Results.Problem(statusCode: 400, title: "hours needs mn");
        }

        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime;
        var period = ReportPeriod.Resolve(q["quarter"].FirstOrDefault(), q["from"].FirstOrDefault(), q["to"].FirstOrDefault(), now, out string? error);
        if (period is null)
        {
            return Results.Problem(statusCode: 400, title: error);
        }

        var request = new ReportRequest(kind, period, q["city"].FirstOrDefault(), enterprise, mn, q["pollutant"].FirstOrDefault(), by);
        ReportTable table;
        try
        {
            table = await reports.BuildAsync(request, ct);
        }
        catch (ArgumentException e)
        {
            return Results.Problem(statusCode: 400, title: e.Message);
        }

        if (enterprise is not null)
        {
            int col = table.Columns.ToList().IndexOf("enterprise");
            table = table with { Rows = table.Rows.Where(r => r[col] as string == enterprise).ToList() };
        }

        return q["format"].FirstOrDefault() == "csv" ? Csv(table, kind) : Paged(http, table);
    }

    /// <summary>The whole table as CSV (never paged), with a UTF-8 BOM so spreadsheets read Chinese text.</summary>
    public static IResult Csv(ReportTable table, string name) =>
        Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(ReportFormats.Csv(table))).ToArray(), "text/csv; charset=utf-8", $"{name}.csv");

    /// <summary>Applies limit/offset (default 1000/0), sets X-Total-Count and writes the JSON array.</summary>
    public static IResult Paged(HttpContext http, ReportTable table)
    {
        int limit = int.TryParse(http.Request.Query["limit"], out int l) && l >= 0 ? Math.Min(l, 100_000) : 1000;
        int offset = int.TryParse(http.Request.Query["offset"], out int o) && o >= 0 ? o : 0;
        http.Response.Headers["X-Total-Count"] = table.Rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var page = table with { Rows = table.Rows.Skip(offset).Take(limit).ToList() };
        var buffer = new MemoryStream();
        ReportFormats.WriteJson(page, buffer);
        return Results.Bytes(buffer.ToArray(), "application/json; charset=utf-8");
    }
}
