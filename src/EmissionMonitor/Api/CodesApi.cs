using EmissionMonitor.Checks;
using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Users;

namespace EmissionMonitor.Api;

/// <summary>
/// Reference lists for every role (like every /api/ path but /api/public/, not without a token):
/// <c>GET /api/codes</c>, the pollutant catalogue — code, 2005 code, Chinese and English names, units —
/// for pages that show names, not codes; <c>GET /api/checks</c>, the catalogue of checks — every
/// rejection reason, flag, validity reason, anomaly kind and mark effect with its stable code, its
/// sentences in Chinese and English and its source rule (<c>category=</c> filters; <c>format=csv|xlsx</c>).
/// </summary>
public static class CodesApi
{
    public static void Map(IEndpointRouteBuilder app, ApiAuth auth)
    {
        var area = new ApiArea(app, auth, "/api", "codes");
        var everyone = area.For(ApiArea.Everyone);
        everyone.MapGet("/codes", () => Results.Json(CodeCatalogue.All.Select(c => new
        {
            code = c.Code, code2005 = c.Code2005, name = c.Name, englishName = c.EnglishName, unit = c.Unit, couUnit = c.CouUnit,
            medium = c.Medium.ToString().ToLowerInvariant(),
        })));

        everyone.MapGet("/checks", (HttpContext http, string? category) =>
        {
            if (category is not null && !CheckCatalogue.Categories.Contains(category))
            {
                return QueryRules.Bad("category", $"must be one of {string.Join("|", CheckCatalogue.Categories)}, not '{QueryRules.Shown(category)}'");
            }

            if (QueryRules.Choice(http, "format", ReportsApi.ExportFormats) is { } bad)
            {
                return bad;
            }

            var table = Reports.ReportTables.Checks(CheckCatalogue.All.Where(c => category is null || c.Category == category));
            return ReportsApi.WantsFile(http) ? ReportsApi.Export(table, "checks") : ReportsApi.Paged(http, table, int.MaxValue, 0);
        });
    }
}
