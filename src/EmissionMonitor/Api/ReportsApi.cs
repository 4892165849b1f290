using System.Text;
using EmissionMonitor.Compliance;
using EmissionMonitor.Reports;
using EmissionMonitor.Users;

namespace EmissionMonitor.Api;

/// <summary>
/// <c>GET /api/rates|exceedances|totals|cards|hours</c>: the report options as query parameters, the
/// same JSON as <c>report --format json</c> (one implementation behind both), paged with
/// <c>limit</c>/<c>offset</c> and <c>X-Total-Count</c>; <c>format=csv</c> gives the whole table as
/// CSV with a BOM. Enterprise users see only their own enterprise.
/// </summary>
public static partial class ReportsApi
{
    /// <summary>The formats every list answers in: JSON (paged), or the whole table as CSV or an Excel workbook.</summary>
    public static readonly string[] ExportFormats = ["json", "csv", "xlsx"];

    private static readonly string[] Formats = ExportFormats;

    /// <summary>True when the request asks for a file (<c>format=csv</c> or <c>format=xlsx</c>) rather than JSON.</summary>
    public static bool WantsFile(HttpContext http) => http.Request.Query["format"].FirstOrDefault() is "csv" or "xlsx";

    /// <summary>
    /// The whole table as the file the request asks for: CSV with a UTF-8 BOM, or XLSX
    /// (<c>lang=zh</c> gives it Chinese headers, the column keys otherwise) — streamed, under the
    /// user's download slot (<see cref="Http.Download"/>).
    /// </summary>
    public static IResult Export(ReportTable table, string name) => new Http.Download(name, _ => Http.Download.One(table), gated: false);

    /// <summary>
    /// A downloaded table (CSV or workbook, the same columns) carries each pollutant's Chinese name
    /// in a column of its own, <c>pollutantName</c>, besides its code; it comes last, so the columns
    /// before it keep their contract order for scripts.
    /// </summary>
    public static ReportTable WithPollutantNames(ReportTable table)
    {
        int code = table.Columns.ToList().IndexOf("pollutant");
        if (code < 0 || table.Columns.Contains("pollutantName"))
        {
            return table;
        }

        return new ReportTable([.. table.Columns, "pollutantName"],
            table.Rows.Select(row => (object?[])[.. row, row[code] is string c ? Hj212.Codes.CodeCatalogue.Find(c)?.Name : null]).ToList());
    }

    public static void Map(IEndpointRouteBuilder app, ApiAuth auth)
    {
        foreach (var kind in ReportRequest.Kinds)
        {
            app.MapGet($"/api/{kind}", (HttpContext http, Func<ReportService> reports, Func<Registry.StationRegistry> registry, ApiOptions options, ReportGate gate,
                    TimeZoneInfo zone, TimeProvider clock, CancellationToken ct) => GetAsync(kind, http, reports(), registry(), options, gate, zone, clock, ct))
                .RequireRole(new RoleFilter(auth, ApiUser.Operator, ApiUser.Inspector, ApiUser.EnterpriseRole));
        }

        // The city target barometer: cities' figures, for the bureau's staff (operators, inspectors).
        app.MapGet("/api/barometer", async (HttpContext http, Func<ReportService> reports, Compliance.BarometerOptions levels, ReportGate gate, TimeZoneInfo zone,
            TimeProvider clock, CancellationToken ct) =>
        {
            int year = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).Year;
            if (http.Request.Query["year"].FirstOrDefault() is { } text
                && (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out year)
                    || year < Compliance.ReportPeriod.MinYear || year > Compliance.ReportPeriod.MaxYear))
            {
                return QueryRules.Bad("year", $"must be a year {Compliance.ReportPeriod.MinYear}–{Compliance.ReportPeriod.MaxYear}, not '{QueryRules.Shown(text)}'");
            }

            if (QueryRules.Choice(http, "format", Formats) is { } bad)
            {
                return bad;
            }

            using var slot = await gate.AcquireAsync(ct);
            if (!slot.IsAcquired)
            {
                return ReportGate.Busy();
            }

            var table = ReportTables.Barometer(await reports().BarometerAsync(year, levels, ct));
            return WantsFile(http) ? Export(table, $"barometer-{year}") : Json(table);
        }).RequireRole(new RoleFilter(auth, ApiUser.Operator, ApiUser.Inspector));
    }

    private static async Task<IResult> GetAsync(string kind, HttpContext http, ReportService reports, Registry.StationRegistry registry, ApiOptions options,
        ReportGate gate, TimeZoneInfo zone, TimeProvider clock, CancellationToken ct)
    {
        var q = http.Request.Query;
        var user = RoleFilter.User(http);
        string? enterprise = q["enterprise"].FirstOrDefault(), mn = q["mn"].FirstOrDefault(), by = q["by"].FirstOrDefault();
        string? city = q["city"].FirstOrDefault(), pollutant = q["pollutant"].FirstOrDefault();
        if (user.Role == ApiUser.EnterpriseRole)
        {
            if (enterprise is not null && enterprise != user.Enterprise)
            {
                return Results.Problem(statusCode: 403, title: "an enterprise user sees only its own enterprise");
            }

            enterprise = user.Enterprise;
        }

        if (QueryRules.First(QueryRules.Choice(http, "by", ReportRequest.Groupings.ToList()), QueryRules.Choice(http, "format", Formats), QueryRules.Page(http, options, out int limit, out int offset)) is { } bad)
        {
            return bad;
        }

        if (Filters(registry, city, enterprise, mn, pollutant) is { } badFilter)
        {
            return badFilter;
        }

        if (kind == "hours" && mn is null)
        {
            return QueryRules.Bad("mn", "hours needs mn");
        }

        var now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime;
        var period = ReportPeriod.Resolve(q["quarter"].FirstOrDefault(), q["from"].FirstOrDefault(), q["to"].FirstOrDefault(), now, out string? error);
        if (period is null)
        {
            return QueryRules.Bad(error!.Split(' ')[0], error);
        }

        if (QueryRules.Span(period, options.MaxPeriod) is { } tooLong)
        {
            return tooLong;
        }

        var request = new ReportRequest(kind, period, city, enterprise, mn, pollutant, by);
        if (kind == "exceedances" && WantsFile(http))
        {
            // Streamed a part of outlets at a time, under a slot of the gate held while it is written: a
            // province's quarter of episodes is never held whole, as a table or as a file.
            return new Http.Download(kind, token => reports.StreamExceedanceTablesAsync(request, ReportService.OutletsPerPart, t => t, 1, token), gated: true);
        }

        using var slot = await gate.AcquireAsync(ct);
        if (!slot.IsAcquired)
        {
            return ReportGate.Busy();
        }

        ReportTable table;
        try
        {
            if (kind == "exceedances" && !WantsFile(http))
            {
                // Episodes are always an outlet's (already limited to the user's enterprise by the
                // request): paged before they become rows, from the episode cache or streamed, so a
                // province's 200,000 episodes are not all turned into a table for one page and a
                // country's are never all held.
                var (total, page) = await reports.ExceedancePageAsync(request, offset, limit, ct);
                http.Response.Headers["X-Total-Count"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Json(ReportTables.Exceedances(page, zone));
            }

            table = kind == "cards" && user.Role == ApiUser.EnterpriseRole
                ? ReportTables.Cards(await reports.CardsAsync(request, ct), zone, forEnterprise: true) // without the operators' names and internal comments
                : await reports.BuildAsync(request, ct);
        }
        catch (ArgumentException e)
        {
            return Results.Problem(statusCode: 400, title: e.Message);
        }

        if (enterprise is not null && table.Columns.ToList().IndexOf("enterprise") is int col and >= 0)
        {
            table = table with { Rows = table.Rows.Where(r => r[col] as string == enterprise).ToList() };
        }

        return WantsFile(http) ? Export(table, kind) : Paged(http, table, limit, offset);
    }

    /// <summary>Filters must name what the registry holds: a typo is a 400, not an empty answer.</summary>
    private static IResult? Filters(Registry.StationRegistry registry, string? city, string? enterprise, string? mn, string? pollutant)
    {
        if (city is not null && !registry.Enterprises.Any(e => e.City == city))
        {
            return QueryRules.Bad("city", $"no enterprise of the registry is in '{QueryRules.Shown(city)}'");
        }

        if (enterprise is not null && registry.FindEnterprise(enterprise) is null)
        {
            return QueryRules.Bad("enterprise", $"'{QueryRules.Shown(enterprise)}' is not in the registry");
        }

        if (mn is not null && registry.FindOutlet(mn) is null)
        {
            return QueryRules.Bad("mn", $"'{QueryRules.Shown(mn)}' is not in the registry");
        }

        if (pollutant is not null && !PollutantCode().IsMatch(pollutant))
        {
            return QueryRules.Bad("pollutant", $"needs a 2017 code such as a21026 or w01018, not '{QueryRules.Shown(pollutant)}'");
        }

        return null;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z][0-9]{5}$")]
    private static partial System.Text.RegularExpressions.Regex PollutantCode();

    /// <summary>The whole table as CSV (never paged), with a UTF-8 BOM so spreadsheets read Chinese text; streamed.</summary>
    public static IResult Csv(ReportTable table, string name) =>
        Results.Stream(async body => await ReportFormats.WriteCsvAsync(Http.Download.One(table), body, bom: true, CancellationToken.None), "text/csv; charset=utf-8", $"{name}.csv");

    /// <summary>Applies limit/offset (checked by <see cref="QueryRules.Page"/>), sets X-Total-Count and writes the JSON array.</summary>
    public static IResult Paged(HttpContext http, ReportTable table, int limit, int offset)
    {
        http.Response.Headers["X-Total-Count"] = table.Rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Json(table with { Rows = table.Rows.Skip(offset).Take(limit).ToList() });
    }

    private static IResult Json(ReportTable page)
    {
        var buffer = new MemoryStream();
        ReportFormats.WriteJson(page, buffer);
        return Results.Bytes(buffer.ToArray(), "application/json; charset=utf-8");
    }
}
