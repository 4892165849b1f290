using Microsoft.AspNetCore.Http.HttpResults;
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
        everyone.MapGet("/codes", Codes);
        everyone.MapGet("/checks", Checks);
    }

    /// <summary>A pollutant code of the catalogue as the API lists it.</summary>
    public sealed record CodeJson(string Code, string? Code2005, string Name, string EnglishName, string Unit, string? CouUnit, string Medium);

    /// <summary><c>GET /api/codes</c>: the pollutant codes the service knows, with their 2005 codes, names and units.</summary>
    private static Ok<IEnumerable<CodeJson>> Codes() =>
        TypedResults.Ok(CodeCatalogue.All.Select(c => new CodeJson(c.Code, c.Code2005, c.Name, c.EnglishName, c.Unit, c.CouUnit, c.Medium.ToString().ToLowerInvariant())));

    /// <summary><c>GET /api/checks</c>: the catalogue of checks, of one category or all; JSON, CSV or XLSX.</summary>
    private static TableAnswer Checks(HttpContext http, string? category)
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
        return ReportsApi.Table(http, table, "checks", int.MaxValue, 0);
    }
}
