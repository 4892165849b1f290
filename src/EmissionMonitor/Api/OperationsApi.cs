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

        // Read a window of the period at a time (ReadingWindows), in period order: a month of real-time
        // data is never held, neither for the page nor for a download.
        var query = new ReadingQuery(cn ?? Cns.Hourly, period.From, period.To, mn);
        var rules = reports().Rules.Options;
        if (ReportsApi.WantsFile(http))
        {
            return ReadingsFile(Readings(store, rules, query), $"{mn}-{query.Cn}", zone);
        }

        http.Response.Headers["X-Total-Count"] = (await CountAsync(store, rules, query, ct)).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Ok<object>(Page(Readings(store, rules, query), offset, limit, zone, ct));
    }

    /// <summary>The readings of the query in period order; hourly data with the hours derived from minute records where none came (derived: true).</summary>
    private static IAsyncEnumerable<Intake.Reading> Readings(IReadingStore store, Compliance.ComplianceOptions rules, ReadingQuery query) =>
        ReadingWindows.ReadAsync(query, Window(store, rules, query), default);

    /// <summary>How many readings the query gives: the store's count, or (hours derived from minutes) counted a window at a time.</summary>
    private static Task<long> CountAsync(IReadingStore store, Compliance.ComplianceOptions rules, ReadingQuery query, CancellationToken ct) =>
        query.Cn == Cns.Hourly && new Compliance.Validity.DerivedHours(rules).Enabled
            ? ReadingWindows.CountAsync(query, Window(store, rules, query), ct)
            : store.CountReadingsAsync(query, ct);

    /// <summary>The read of one window of the query.</summary>
    private static Func<DateTime, DateTime, CancellationToken, Task<IReadOnlyList<Intake.Reading>>> Window(IReadingStore store, Compliance.ComplianceOptions rules, ReadingQuery query) =>
        query.Cn == Cns.Hourly
            ? async (from, to, ct) => await Reports.ReportService.HourlyReadingsAsync(store, rules, from, to, query.Mn, ct)
            : ReadingWindows.Reader(store, query);

    /// <summary>The page [offset, offset + limit) of the readings as JSON objects, written as they are read.</summary>
    private static async IAsyncEnumerable<object> Page(IAsyncEnumerable<Intake.Reading> readings, int offset, int limit, TimeZoneInfo zone,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        int index = 0;
        await foreach (var r in readings.WithCancellation(ct))
        {
            if (index >= offset + (long)limit)
            {
                yield break;
            }

            if (index++ >= offset)
            {
                yield return ReadingJson(r, zone);
            }
        }
    }

    /// <summary>The data query's download: every value of the period, with its flag (the pollutant's name added last), a part of rows at a time.</summary>
    private static Http.Download ReadingsFile(IAsyncEnumerable<Intake.Reading> readings, string name, TimeZoneInfo zone)
    {
        string[] columns = ["mn", "cn", "period", "pollutant", "rtd", "avg", "min", "max", "cou", "zsRtd", "zsAvg", "flag", "invalid", "rf", "derived"];
        async IAsyncEnumerable<Reports.ReportTable> Parts([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            bool any = false;
            await foreach (var rows in readings.Select(r => new object?[]
                {
                    r.Mn, r.Cn, new DateTimeOffset(r.Period, zone.GetUtcOffset(r.Period)), r.Pollutant, r.Rtd, r.Avg, r.Min, r.Max, r.Cou, r.ZsRtd, r.ZsAvg, r.Flag, r.Invalid, r.Rf, r.Derived,
                }).Chunk(RowsPerPart).WithCancellation(ct))
            {
                any = true;
                yield return new Reports.ReportTable(columns, rows);
            }

            if (!any)
            {
                yield return new Reports.ReportTable(columns, []); // an empty period still has its header
            }
        }

        return new Http.Download(name, Parts, gated: false);
    }

    /// <summary>Rows of a download written as one part.</summary>
    private const int RowsPerPart = 4096;

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
