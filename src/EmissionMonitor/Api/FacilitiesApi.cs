using Microsoft.AspNetCore.Http.HttpResults;
using EmissionMonitor.Compliance.Facilities;
using EmissionMonitor.Reports;
using EmissionMonitor.Users;

namespace EmissionMonitor.Api;

/// <summary>
/// <c>GET /api/facilities/episodes</c> and <c>GET /api/facilities/findings</c> (<c>quarter</c> or
/// <c>from</c>/<c>to</c>, <c>enterprise</c>; JSON paged, or CSV/XLSX): each facility's running /
/// stopped / unknown episodes from its values, and the findings they make (treatment off while
/// production runs, production inside a claimed shutdown). Enterprise users see their own.
/// </summary>
public static class FacilitiesApi
{
    public static void Map(IEndpointRouteBuilder app, ApiAuth auth)
    {
        var area = new ApiArea(app, auth, "/api/facilities", "facilities");
        var readers = area.For(ApiArea.Everyone);
        readers.MapGet("/episodes", (HttpContext http, Func<ReportService> reports, Func<Registry.StationRegistry> registry, FacilityOptions facilities, ApiOptions options,
            ReportGate gate, TimeZoneInfo zone, TimeProvider clock, CancellationToken ct) => ListAsync("episodes", http, reports(), registry(), facilities, options, gate, zone, clock, ct));
        readers.MapGet("/findings", (HttpContext http, Func<ReportService> reports, Func<Registry.StationRegistry> registry, FacilityOptions facilities, ApiOptions options,
            ReportGate gate, TimeZoneInfo zone, TimeProvider clock, CancellationToken ct) => ListAsync("findings", http, reports(), registry(), facilities, options, gate, zone, clock, ct));
    }

    /// <summary>A facility list (<paramref name="what"/>: <c>episodes</c> or <c>findings</c>) of a period and the caller's enterprises; JSON, CSV or XLSX.</summary>
    private static async Task<TableAnswer> ListAsync(string what, HttpContext http, ReportService reports, Registry.StationRegistry registry, FacilityOptions facilities,
        ApiOptions options, ReportGate gate, TimeZoneInfo zone, TimeProvider clock, CancellationToken ct)
    {
        var q = http.Request.Query;
        if (QueryRules.List(http, options, out string? enterprise, out int limit, out int offset) is { } bad)
        {
            return bad;
        }

        if (enterprise is not null && registry.FindEnterprise(enterprise) is null)
        {
            return QueryRules.Bad("enterprise", $"'{QueryRules.Shown(enterprise)}' is not in the registry");
        }

        var now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime;
        if (Compliance.ReportPeriod.Resolve(q["quarter"].FirstOrDefault(), q["from"].FirstOrDefault(), q["to"].FirstOrDefault(), now, out string? problem) is not { } period)
        {
            return QueryRules.Bad(problem!.Split(' ')[0], problem);
        }

        if (QueryRules.Span(period, options.MaxPeriod) is { } tooLong)
        {
            return tooLong;
        }

        using var slot = await gate.AcquireAsync(ct);
        if (!slot.IsAcquired)
        {
            return ReportGate.Busy();
        }

        var table = what == "episodes"
            ? ReportTables.FacilityEpisodes(await reports.FacilityEpisodesAsync(period, enterprise, facilities, ct), zone)
            : ReportTables.FacilityFindings(await reports.FacilityFindingsAsync(period, enterprise, facilities, ct), zone);
        return ReportsApi.Table(http, table, "facilities-" + what, limit, offset);
    }
}
