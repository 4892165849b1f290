using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Users;

namespace EmissionMonitor.Api;

/// <summary><c>GET /api/codes</c> (every role; like every /api/ path but /api/public/, not without a token): the pollutant catalogue — code, 2005 code, Chinese and English names, units — for pages that show names, not codes.</summary>
public static class CodesApi
{
    public static void Map(IEndpointRouteBuilder app, ApiAuth auth) =>
        app.MapGet("/api/codes", () => Results.Json(CodeCatalogue.All.Select(c => new
        {
            code = c.Code, code2005 = c.Code2005, name = c.Name, englishName = c.EnglishName, unit = c.Unit, couUnit = c.CouUnit,
            medium = c.Medium.ToString().ToLowerInvariant(),
        }))).RequireRole(new RoleFilter(auth, ApiUser.Operator, ApiUser.Inspector, ApiUser.EnterpriseRole));
}
