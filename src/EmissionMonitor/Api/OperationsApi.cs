using Microsoft.AspNetCore.Http.HttpResults;
using EmissionMonitor.Hj212;
using System.Globalization;
using EmissionMonitor.Alerts;
using EmissionMonitor.Compliance;
using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;
using EmissionMonitor.Users;

namespace EmissionMonitor.Api;

/// <summary>Stations and live status, an outlet's readings and back-fill requests.</summary>
public static class OperationsApi
{
    public sealed record BackfillBody(string? From, string? To);

    /// <summary><c>POST /api/outlets/{mn}/key</c>: a key to set, or none for a fresh random one.</summary>
    public sealed record KeyBody(string? Key);

    private static readonly string[] ReadingCns = [Cns.RealTime, Cns.Minute, Cns.Hourly, Cns.Daily, Cns.RawData, Cns.FurnaceTemperature];

    /// <summary>A terminal's hardware identity (CN 1001) for <c>/api/stations</c>: the current one and, after a change, the one before.</summary>
    private static object? Identity((TerminalIdentity? Current, TerminalIdentity? Previous) known, TimeZoneInfo zone, bool withPrevious = true) =>
        known.Current is not { } i ? null : new
        {
            loggerId = i.LoggerId,
            cpuId = i.CpuId,
            macs = i.MacList,
            reportedAt = Reports.ReportFormats.Instant(i.ReportedAt, zone),
            previous = withPrevious ? Identity((known.Previous, null), zone, false) : null,
        };

    public static void Map(IEndpointRouteBuilder app, ApiAuth auth)
    {
        var area = new ApiArea(app, auth, "/api", "outlets");
        var readers = area.For(ApiArea.Everyone);
        var operators = area.For(ApiArea.Operators);

        readers.MapGet("/stations", Stations);
        readers.MapGet("/outlets/{mn}/readings", ReadingsAsync);
        operators.MapPost("/outlets/{mn}/key", ReplaceKeyAsync);
    }

    /// <summary><c>GET /api/stations</c>: the registry's outlets the caller may see, each with its live state, key age and identity.</summary>
    private static Ok<IEnumerable<object>> Stations(HttpContext http, Func<StationRegistry> registry, AlertService alerts, Security.KeyRing keys, Security.TerminalIdentities identities,
            Commands.CommandLedger commands, TimeZoneInfo zone)
    {
        var user = RoleFilter.User(http);
        var open = alerts.List(null).Where(a => a.IsOpen).ToLookup(a => a.Mn, StringComparer.Ordinal);
        return TypedResults.Ok(registry().Enterprises.Where(e => user.Role != ApiUser.EnterpriseRole || e.Id == user.Enterprise).Select(object (e) => new
        {
            id = e.Id,
            name = e.Name,
            city = e.City,
            industry = e.Industry,
            permitNumber = e.PermitNumber,
            permits = e.Permits,
            outlets = e.Outlets.Select(o => (Outlet: o, Key: keys.Info(o.Mn))).Select(x => new
            {
                mn = x.Outlet.Mn,
                name = x.Outlet.Name,
                code = x.Outlet.Code,
                kind = x.Outlet.Kind == MediumKind.Gas ? "gas" : "water",
                flowUnit = x.Outlet.FlowUnit,
                referenceO2 = x.Outlet.ReferenceO2,
                limits = x.Outlet.Limits.ToDictionary(l => l.Key, l => new { min = l.Value.Min, max = l.Value.Max }),
                lastSeen = Reports.ReportFormats.Instant(alerts.LastSeen(x.Outlet.Mn), zone),
                openAlerts = open[x.Outlet.Mn].Select(a => new { a.Id, a.Kind, a.Severity, a.Pollutant }),
                encryption = x.Outlet.EffectiveEncryption(x.Key is not null).ToString().ToLowerInvariant(),
                key = x.Key is { } k
                    ? new { createdAt = Reports.ReportFormats.Instant(k.CreatedAt, zone), source = k.Source, ageDays = k.AgeDays, tooOld = k.TooOld }
                    : null,
                identity = Identity(identities.Of(x.Outlet.Mn), zone),
                clock = commands.Clock(x.Outlet.Mn) is { } c
                    ? new { offsetSeconds = c.OffsetSeconds, measuredAt = Reports.ReportFormats.Instant(c.MeasuredAt, zone) }
                    : null,
                lastCommand = commands.Last(x.Outlet.Mn) is { } last
                    ? new
                    {
                        id = last.Id,
                        command = last.Command,
                        state = last.State,
                        requestedBy = last.RequestedBy,
                        requestedAt = Reports.ReportFormats.Instant(last.RequestedAt, zone),
                    }
                    : null,
            }),
            facilities = e.Facilities.Select(f => new
            {
                id = f.Id,
                name = f.Name,
                kind = f.Kind,
                code = f.Code,
                unit = f.Unit,
                onAbove = f.OnAbove,
                serves = f.Serves,
                outlets = f.Outlets,
                declaredCode = f.DeclaredCode,
                declaredOnAbove = f.DeclaredCode is null ? (double?)null : f.DeclaredOnAbove,
            }),
        }));
    }

    private static async Task<Results<Ok<object>, Http.Download, ProblemHttpResult>> ReadingsAsync(HttpContext http, string mn, string? cn, string? from, string? to,
            Func<StationRegistry> registry, IReadingStore store, Func<Reports.ReportService> reports, ApiOptions options, TimeZoneInfo zone, TimeProvider clock, CancellationToken ct)
    {
        var user = RoleFilter.User(http);
        var outlet = registry().FindOutlet(mn);
        if (outlet is null || (user.Role == ApiUser.EnterpriseRole && outlet.EnterpriseId != user.Enterprise))
        {
            return outlet is null ? Refusals.Problem(404, $"no outlet {QueryRules.Shown(mn)}") : Refusals.Problem(403, "not your outlet");
        }

        if (QueryRules.First(QueryRules.Choice(http, "cn", ReadingCns), QueryRules.Local("from", from, out var start), QueryRules.Local("to", to, out var end),
            QueryRules.Choice(http, "format", ReportsApi.ExportFormats), QueryRules.Page(http, options, out int limit, out int offset)) is { } bad)
        {
            return bad;
        }

        var now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime;
        var period = new ReportPeriod(start ?? now.AddDays(-1), end ?? now.AddMinutes(1));
        if (period.To <= period.From)
        {
            return QueryRules.Bad("to", "must be after from");
        }

        // Real-time and minute data come every few seconds: their periods are bounded more tightly.
        if (QueryRules.Span(period, cn is Cns.RealTime or Cns.Minute or Cns.RawData or Cns.FurnaceTemperature ? TimeSpan.FromDays(Math.Min(31, options.MaxPeriod.TotalDays)) : options.MaxPeriod) is { } tooLong)
        {
            return tooLong;
        }

        // Hourly data: with the hours derived from minute records where none came (derived: true).
        var readings = (cn ?? Cns.Hourly) == Cns.Hourly
            ? (await Reports.ReportService.HourlyReadingsAsync(store, reports().Rules.Options, period.From, period.To, mn, ct)).OrderBy(r => r.Period).ToList()
            : await store.QueryReadingsAsync(new ReadingQuery(cn!, period.From, period.To, mn), ct);
        if (ReportsApi.WantsFile(http))
        {
            return ReadingsFile(readings, $"{mn}-{cn ?? Cns.Hourly}", zone);
        }

        http.Response.Headers["X-Total-Count"] = readings.Count.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Ok<object>(readings.Skip(offset).Take(limit).Select(r => ReadingJson(r, zone)));
    }

    /// <summary>The data query's download: every value of the period, with its flag (the pollutant's name added last).</summary>
    private static Http.Download ReadingsFile(IReadOnlyList<Intake.Reading> readings, string name, TimeZoneInfo zone)
    {
        string[] columns = ["mn", "cn", "period", "pollutant", "rtd", "avg", "min", "max", "cou", "zsRtd", "zsAvg", "flag", "invalid", "rf", "derived"];
        return ReportsApi.Export(new Reports.ReportTable(columns, readings.Select(r => new object?[]
        {
            r.Mn, r.Cn, new DateTimeOffset(r.Period, zone.GetUtcOffset(r.Period)), r.Pollutant, r.Rtd, r.Avg, r.Min, r.Max, r.Cou, r.ZsRtd, r.ZsAvg, r.Flag, r.Invalid, r.Rf, r.Derived,
        }).ToList()), name);
    }

    /// <summary>A reading as the data query's JSON shows it.</summary>
    private static object ReadingJson(Intake.Reading r, TimeZoneInfo zone) => new
    {
        mn = r.Mn,
        cn = r.Cn,
        pollutant = r.Pollutant,
        period = new DateTimeOffset(r.Period, zone.GetUtcOffset(r.Period)).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
        rtd = r.Rtd,
        avg = r.Avg,
        min = r.Min,
        max = r.Max,
        cou = r.Cou,
        zsRtd = r.ZsRtd,
        zsAvg = r.ZsAvg,
        flag = r.Flag,
        invalid = r.Invalid,
        rf = r.Rf,
        rawAvg = r.RawAvg,
        derived = r.Derived,
    };

    private static async Task<Results<Created<object>, ProblemHttpResult>> ReplaceKeyAsync(HttpContext http, string mn, KeyBody? body, Func<StationRegistry> registry, Security.KeyRing keys, TimeZoneInfo zone, CancellationToken ct)
    {
        if (registry().FindOutlet(mn) is null)
        {
            return Refusals.Problem(404, $"no outlet {QueryRules.Shown(mn)}");
        }

        Hj212.Crypto.Sm4Key? given = null;
        if (body?.Key is { } text && !Hj212.Crypto.Sm4Key.TryParse(text, out given, out string? why))
        {
            return QueryRules.Bad("key", why!); // the reason never repeats the key
        }

        var (key, record) = await keys.ReplaceAsync(mn, given, TerminalKey.FromOperator, ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created<object>((string?)null, new
        {
            mn,
            createdAt = Reports.ReportFormats.Instant(record.CreatedAt, zone),
            source = record.Source,
            key = given is null ? key.Reveal() : null, // a generated key is shown this once, to hand to the terminal
        });
    }
}
