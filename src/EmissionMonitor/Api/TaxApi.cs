using Microsoft.AspNetCore.Http.HttpResults;
using EmissionMonitor.Compliance.Tax;
using EmissionMonitor.Reports;
using EmissionMonitor.Users;

namespace EmissionMonitor.Api;

/// <summary>
/// <c>GET /api/tax?month=YYYY-MM[&amp;by=outlet|enterprise|city|province]</c>: the environmental-tax
/// pre-check of a month (the previous one by default) with the report filters, the same table as
/// <c>report tax</c>; JSON paged, or the whole table as CSV or XLSX. Enterprise users see only their
/// own enterprise. <c>GET /api/tax/rates</c>: the rules in force (whose rates, the rates, item counts,
/// reduction bands, kg per equivalent), which the dashboard shows with the figures.
/// </summary>
public static class TaxApi
{
    public static void Map(IEndpointRouteBuilder app, ApiAuth auth)
    {
        var area = new ApiArea(app, auth, "/api/tax", "tax");
        var readers = area.For(ApiArea.Everyone);
        readers.MapGet("/rates", Rates);
        readers.MapGet("", ListAsync);
    }

    /// <summary><c>GET /api/tax/rates</c>: the rates and equivalents the pre-check uses.</summary>
    private static Ok<object> Rates(TaxOptions tax) =>
        TypedResults.Ok<object>(new
        {
            name = tax.RatesName,
            airRate = tax.AirRate,
            waterRate = tax.WaterRate,
            airItems = tax.AirItems,
            waterItems = tax.WaterItems,
            waterClass1Items = tax.WaterClass1Items,
            reduce75Below = tax.Reduce75Below,
            reduce50Below = tax.Reduce50Below,
            equivalents = tax.Equivalents.OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary(e => e.Key, e => e.Value),
        });

    private static async Task<TableAnswer> ListAsync(HttpContext http, Func<ReportService> reports, Func<Registry.StationRegistry> registry, TaxOptions tax, ApiOptions options,
            ReportGate gate, TimeZoneInfo zone, TimeProvider clock, CancellationToken ct)
    {
        var q = http.Request.Query;
        if (QueryRules.List(http, options, out string? enterprise, out int limit, out int offset) is { } bad)
        {
            return bad;
        }

        var now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime;
        if (ReportRequestParser.ParseMonth("tax", name => name == "enterprise" ? enterprise : q[name].FirstOrDefault(), ReportTables.TaxGroupings, registry(),
            now, out var error) is not { } request)
        {
            return QueryRules.Bad(error!.Parameter, error.Problem);
        }

        using var slot = await gate.AcquireAsync(ct);
        if (!slot.IsAcquired)
        {
            return ReportGate.Busy();
        }

        string month = request.Period.From.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var table = ReportTables.Tax(await reports().TaxAsync(request, tax, ct), request.By, month);
        return ReportsApi.WantsFile(http) ? ReportsApi.Export(table, "tax") : ReportsApi.Paged(http, table, limit, offset);
    }
}
