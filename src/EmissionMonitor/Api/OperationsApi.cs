using System.Globalization;
using EmissionMonitor.Alerts;
using EmissionMonitor.Compliance;
using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Hj212.Replies;
using EmissionMonitor.Ingestion;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EmissionMonitor.Api;

/// <summary>Stations and live status, an outlet's readings, operator marks, card lifting and back-fill requests.</summary>
public static class OperationsApi
{
    public sealed record MarkBody(string? Mn, string? Kind, string? From, string? To, string? Comment);

    public sealed record LiftBody(string? Comment);

    public sealed record BackfillBody(string? From, string? To);

    public static void Map(IEndpointRouteBuilder app, ApiAuth auth)
    {
        var readers = new RoleFilter(auth, ApiUser.Operator, ApiUser.Inspector, ApiUser.EnterpriseRole);
        var operators = new RoleFilter(auth, ApiUser.Operator);

        app.MapGet("/api/stations", (HttpContext http, Func<StationRegistry> registry, AlertService alerts, TimeZoneInfo zone) =>
        {
            var user = RoleFilter.User(http);
            var open = alerts.List(null).Where(a => a.IsOpen).ToLookup(a => a.Mn, StringComparer.Ordinal);
            return Results.Json(registry().Enterprises.Where(e => user.Role != ApiUser.EnterpriseRole || e.Id == user.Enterprise).Select(e => new
            {
                id = e.Id, name = e.Name, city = e.City, industry = e.Industry, permits = e.Permits,
                outlets = e.Outlets.Select(o => new
                {
                    mn = o.Mn, name = o.Name, kind = o.Kind == MediumKind.Gas ? "gas" : "water", flowUnit = o.FlowUnit, referenceO2 = o.ReferenceO2,
                    limits = o.Limits.ToDictionary(l => l.Key, l => new { min = l.Value.Min, max = l.Value.Max }),
                    lastSeen = alerts.LastSeen(o.Mn) is { } t ? TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture) : null,
                    openAlerts = open[o.Mn].Select(a => new { a.Id, a.Kind, a.Severity, a.Pollutant }),
                }),
            }));
        }).AddEndpointFilter(readers);

        app.MapGet("/api/outlets/{mn}/readings", async (HttpContext http, string mn, string? cn, string? from, string? to,
            Func<StationRegistry> registry, IReadingStore store, TimeZoneInfo zone, CancellationToken ct) =>
        {
            var user = RoleFilter.User(http);
            var outlet = registry().FindOutlet(mn);
            if (outlet is null || (user.Role == ApiUser.EnterpriseRole && outlet.EnterpriseId != user.Enterprise))
            {
                return outlet is null ? Results.Problem(statusCode: 404, title: $"no outlet {mn}") : Results.Problem(statusCode: 403, title: "not your outlet");
            }

            var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime;
            var start = from is null ? now.AddDays(-1) : ReportPeriod.ParseLocal(from);
            var end = to is null ? now.AddMinutes(1) : ReportPeriod.ParseLocal(to);
            if (start is null || end is null)
            {
                return Results.Problem(statusCode: 400, title: "from and to need YYYY-MM-DD or YYYY-MM-DDTHH:mm[:ss]");
            }

            var readings = await store.QueryReadingsAsync(new ReadingQuery(cn ?? "2061", start.Value, end.Value, mn), ct);
            return Results.Json(readings.Select(r => new
            {
                mn = r.Mn, cn = r.Cn, pollutant = r.Pollutant,
                period = new DateTimeOffset(r.Period, zone.GetUtcOffset(r.Period)).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
                rtd = r.Rtd, avg = r.Avg, min = r.Min, max = r.Max, cou = r.Cou, zsRtd = r.ZsRtd, zsAvg = r.ZsAvg, flag = r.Flag, invalid = r.Invalid,
            }));
        }).AddEndpointFilter(readers);

        app.MapGet("/api/marks", async (HttpContext http, string? mn, string? from, string? to, Func<StationRegistry> registry, IReadingStore store, CancellationToken ct) =>
        {
            var user = RoleFilter.User(http);
            var start = from is null ? DateTime.MinValue : ReportPeriod.ParseLocal(from) ?? DateTime.MinValue;
            var end = to is null ? DateTime.MaxValue : ReportPeriod.ParseLocal(to) ?? DateTime.MaxValue;
            var marks = await store.QueryMarksAsync(start, end, mn, ct);
            var current = registry();
            var visible = marks.Where(m => user.Role != ApiUser.EnterpriseRole || current.FindOutlet(m.Mn)?.EnterpriseId == user.Enterprise).ToList();
            if (http.Request.Query["format"] == "csv")
            {
                return ReportsApi.Csv(new Reports.ReportTable(["mn", "kind", "from", "to", "comment"],
                    visible.Select(m => new object?[] { m.Mn, m.Kind, m.From.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), m.To.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), m.Comment }).ToList()), "marks");
            }

            return Results.Json(visible.Select(m => new { mn = m.Mn, kind = m.Kind, from = m.From.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), to = m.To.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), comment = m.Comment }));
        }).AddEndpointFilter(readers);

        app.MapPost("/api/marks", async (MarkBody body, Func<StationRegistry> registry, IReadingStore store, CancellationToken ct) =>
        {
            if (body.Mn is null || registry().FindOutlet(body.Mn) is null)
            {
                return Results.Problem(statusCode: 400, title: $"mn: {body.Mn ?? "(missing)"} is not in the registry");
            }

            if (body.Kind is null || !Mark.Kinds.Contains(body.Kind))
            {
                return Results.Problem(statusCode: 400, title: $"kind must be one of {string.Join(", ", Mark.Kinds)}");
            }

            var from = body.From is null ? null : ReportPeriod.ParseLocal(body.From);
            var to = body.To is null ? null : ReportPeriod.ParseLocal(body.To);
            if (from is null || to is null || to <= from)
            {
                return Results.Problem(statusCode: 400, title: "from and to need local times YYYY-MM-DD[THH:mm[:ss]], to after from");
            }

            var mark = new Mark(body.Mn, body.Kind, from.Value, to.Value, body.Comment);
            await store.AddMarkAsync(mark, ct);
            return Results.Created("/api/marks", new { mn = mark.Mn, kind = mark.Kind, from = body.From, to = body.To, comment = mark.Comment });
        }).AddEndpointFilter(operators);

        app.MapPost("/api/cards/{enterprise}/{quarter}/lift", async (HttpContext http, string enterprise, string quarter, LiftBody? body,
            Func<StationRegistry> registry, IReadingStore store, TimeZoneInfo zone, CancellationToken ct) =>
        {
            if (registry().FindEnterprise(enterprise) is null)
            {
                return Results.Problem(statusCode: 404, title: $"no enterprise {enterprise}");
            }

            if (ReportPeriod.Quarter(quarter) is null)
            {
                return Results.Problem(statusCode: 400, title: $"quarter must look like 2025Q3, not '{quarter}'");
            }

            var lift = new CardLift(enterprise, quarter, DateTimeOffset.UtcNow, RoleFilter.User(http).DisplayName, body?.Comment);
            await store.AddCardLiftAsync(lift, ct);
            return Results.Json(new { enterprise, quarter, at = TimeZoneInfo.ConvertTime(lift.At, zone).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture), by = lift.By, comment = lift.Comment });
        }).AddEndpointFilter(operators);

        app.MapPost("/api/outlets/{mn}/backfill", async (string mn, BackfillBody body, Func<StationRegistry> registry, Hj212Gateway gateway, TimeZoneInfo zone, CancellationToken ct) =>
        {
            var outlet = registry().FindOutlet(mn);
            var from = body.From is null ? null : ReportPeriod.ParseLocal(body.From);
            var to = body.To is null ? null : ReportPeriod.ParseLocal(body.To);
            if (outlet is null)
            {
                return Results.Problem(statusCode: 404, title: $"no outlet {mn}");
            }

            if (from is null || to is null || to <= from)
            {
                return Results.Problem(statusCode: 400, title: "from and to need local times, to after from");
            }

            var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime;
            var request = Hj212Replies.HistoryRequest(new HistoryRequest(mn, outlet.Password, outlet.Kind == MediumKind.Gas ? "31" : "32", "2061", from.Value, to.Value, now));
            return await gateway.SendAsync(mn, request, ct)
                ? Results.Accepted(value: new { mn, qn = request.Qn, sent = request.ToString().TrimEnd() })
                : Results.Problem(statusCode: 409, title: $"terminal {mn} is not connected over the HJ 212 TCP link");
        }).AddEndpointFilter(operators);
    }
}
