using Microsoft.AspNetCore.Http.HttpResults;
using EmissionMonitor.Reports;
using EmissionMonitor.Users;

namespace EmissionMonitor.Api;

/// <summary>
/// <c>GET /api/rates|exceedances|totals|cards|hours</c>: the report options as query parameters, the
/// same JSON as <c>report --format json</c> (one implementation behind both), paged with
/// <c>limit</c>/<c>offset</c> and <c>X-Total-Count</c>; <c>format=csv</c> gives the whole table as
/// CSV with a BOM. Enterprise users see only their own enterprise.
/// </summary>
public static class ReportsApi
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
    public static Http.Download Export(ReportTable table, string name) => new Http.Download(name, _ => table.AsParts(), gated: false);

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
        var area = new ApiArea(app, auth, "/api", "reports");
        var everyone = area.For(ApiArea.Everyone);
        var staff = area.For(ApiArea.Staff);
        foreach (var kind in ReportRequest.Kinds)
        {
            everyone.MapGet($"/{kind}", (HttpContext http, Func<ReportService> reports, Func<Registry.StationRegistry> registry, ApiOptions options, ReportGate gate,
                    TimeZoneInfo zone, TimeProvider clock, CancellationToken ct) => GetAsync(kind, http, reports(), registry(), options, gate, zone, clock, ct));
        }

        // The city target barometer: cities' figures, for the bureau's staff (operators, inspectors).
        staff.MapGet("/barometer", BarometerAsync);
    }

    private static async Task<TableAnswer> BarometerAsync(HttpContext http, Func<ReportService> reports, Compliance.BarometerOptions levels, ReportGate gate, TimeZoneInfo zone,
            TimeProvider clock, CancellationToken ct)
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
    }

    private static async Task<TableAnswer> GetAsync(string kind, HttpContext http, ReportService reports, Registry.StationRegistry registry, ApiOptions options,
        ReportGate gate, TimeZoneInfo zone, TimeProvider clock, CancellationToken ct)
    {
        var q = http.Request.Query;
        if (RoleFilter.Enterprise(http, out string? enterprise) is { } notYours)
        {
            return notYours;
        }

        if (QueryRules.First(QueryRules.Choice(http, "format", Formats), QueryRules.Page(http, options, out int limit, out int offset)) is { } bad)
        {
            return bad;
        }

        var now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime;
        string? Value(string name) => name == "enterprise" ? enterprise : q[name].FirstOrDefault();
        if (ReportRequestParser.Parse(kind, Value, registry, now, out var error) is not { } request)
        {
            return QueryRules.Bad(error!.Parameter, error.Problem);
        }

        if (QueryRules.Span(request.Period, options.MaxPeriod) is { } tooLong)
        {
            return tooLong;
        }

        if (kind == "means" && WantsFile(http))
        {
            return new Http.Download(kind, token => reports.StreamMeansTablesAsync(request, ReportService.OutletsPerPart, token), gated: true);
        }

        if (kind == "exceedances" && WantsFile(http))
        {
            // Streamed a part of outlets at a time, under a file slot of the gate held while it is written: a
            // province's quarter of episodes is never held whole, as a table or as a file.
            return new Http.Download(kind, token => reports.StreamExceedanceTablesAsync(request, ReportService.OutletsPerPart, t => t, 1, token), gated: true);
        }

        using var slot = await gate.AcquireAsync(ct);
        if (!slot.IsAcquired)
        {
            return ReportGate.Busy();
        }

        try
        {
            return await AnswerAsync(request, http, reports, limit, offset, zone, ct);
        }
        catch (ArgumentException e)
        {
            return Refusals.Problem(400, e.Message);
        }
    }

    /// <summary>A report checked and under a slot of the gate: a page of it, or the whole as a file.</summary>
    private static async Task<TableAnswer> AnswerAsync(ReportRequest request, HttpContext http, ReportService reports, int limit, int offset, TimeZoneInfo zone, CancellationToken ct)
    {
        string kind = request.Kind;
        if (kind == "means")
        {
            // A page of a province's days reads only the outlets it shows.
            var (count, means) = await reports.MeansPageAsync(request, offset, limit, ct);
            http.Response.Headers["X-Total-Count"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Json(means);
        }

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

        var table = kind == "cards" && RoleFilter.User(http).Role == ApiUser.EnterpriseRole
            ? ReportTables.Cards(await reports.CardsAsync(request, ct), zone, forEnterprise: true) // without the operators' names and internal comments
            : await reports.BuildAsync(request, ct);
        return Table(http, table, kind, limit, offset);
    }

    /// <summary>A table as the request asks for it: the whole of it as a file (<c>format=csv|xlsx</c>), or a page of it as JSON.</summary>
    public static TableAnswer Table(HttpContext http, ReportTable table, string name, int limit, int offset) =>
        WantsFile(http) ? Export(table, name) : Paged(http, table, limit, offset);

    /// <summary>The whole table as CSV (never paged), with a UTF-8 BOM so spreadsheets read Chinese text; streamed.</summary>
    public static PushStreamHttpResult Csv(ReportTable table, string name) =>
        TypedResults.Stream(async body => await ReportFormats.WriteCsvAsync(table.AsParts(), body, bom: true, CancellationToken.None), "text/csv; charset=utf-8", $"{name}.csv");

    /// <summary>Applies limit/offset (checked by <see cref="QueryRules.Page"/>), sets X-Total-Count and writes the JSON array.</summary>
    public static FileContentHttpResult Paged(HttpContext http, ReportTable table, int limit, int offset)
    {
        http.Response.Headers["X-Total-Count"] = table.Rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Json(table with { Rows = table.Rows.Skip(offset).Take(limit).ToList() });
    }

    public static FileContentHttpResult Json(ReportTable page)
    {
        var buffer = new MemoryStream();
        ReportFormats.WriteJson(page, buffer);
        return TypedResults.Bytes(buffer.ToArray(), "application/json; charset=utf-8");
    }
}
