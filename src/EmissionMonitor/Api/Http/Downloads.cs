using EmissionMonitor.Reports;

namespace EmissionMonitor.Api.Http;

/// <summary>
/// Downloads one user may run at once (<c>Api:MaxDownloadsPerUser</c>): a user — an enterprise
/// with its own terminal and lists too — cannot fill the service's memory with parallel exports.
/// </summary>
public sealed class DownloadLimits(ApiOptions options)
{
    private readonly Ingestion.Connecting.KeyedCounts<string> _running = new(StringComparer.Ordinal);

    /// <summary>A slot for <paramref name="user"/>, or null when the user already runs as many as allowed.</summary>
    public IDisposable? TryEnter(string user)
    {
        if (_running.Enter(user) > options.MaxDownloadsPerUser)
        {
            _running.Leave(user);
            return null;
        }

        return new Slot(this, user);
    }

    private sealed class Slot(DownloadLimits limits, string user) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                limits._running.Leave(user);
            }
        }
    }
}

/// <summary>
/// A table downloaded as a file (CSV with a UTF-8 BOM, or an XLSX workbook), written to the response
/// as its parts are read — never built whole in memory — under the user's download slot and, for a
/// table made while it is written (<paramref name="gated"/>), a file slot of the report gate (not a
/// report's: a slow reader holds it).
/// </summary>
public sealed class Download(string name, Func<CancellationToken, IAsyncEnumerable<ReportTable>> parts, bool gated) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => RunAsync(httpContext, gated, ct => WriteAsync(httpContext, ct));

    /// <summary>
    /// Runs <paramref name="write"/> under the user's download slot (<c>Api:MaxDownloadsPerUser</c>:
    /// 429 beyond) and, for a file made while it is written (<paramref name="gated"/>), a file slot of
    /// the report gate (<c>Api:MaxConcurrentFiles</c>; 429 when they and their queue are full) — every
    /// download of the API, tables and documents alike.
    /// </summary>
    public static async Task RunAsync(HttpContext http, bool gated, Func<CancellationToken, Task> write)
    {
        var services = http.RequestServices;
        using var slot = services.GetRequiredService<DownloadLimits>().TryEnter(RoleFilter.ShareKey(http));
        if (slot is null)
        {
            await Results.Problem(statusCode: 429, title: $"you are downloading {services.GetRequiredService<ApiOptions>().MaxDownloadsPerUser} files already (Api:MaxDownloadsPerUser); try again when one is done")
                .ExecuteAsync(http);
            return;
        }

        using var lease = gated ? await services.GetRequiredService<ReportGate>().AcquireFileAsync(http.RequestAborted) : null;
        if (lease is { IsAcquired: false })
        {
            await ReportGate.FilesBusy().ExecuteAsync(http);
            return;
        }

        await write(http.RequestAborted);
    }

    /// <summary>
    /// Makes the answer a file download named <paramref name="fileName"/> (any language: the name goes
    /// out as UTF-8 beside an ASCII fallback). A workbook's writer ends its zip with a few synchronous
    /// writes (the central directory): allowed for this answer only; every row goes out asynchronously.
    /// </summary>
    public static void Attach(HttpContext http, string fileName, bool xlsx)
    {
        http.Response.ContentType = xlsx ? Xlsx.ContentType : "text/csv; charset=utf-8";
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName($"{fileName}.{(xlsx ? "xlsx" : "csv")}");
        http.Response.Headers.ContentDisposition = disposition.ToString();
        if (xlsx && http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpBodyControlFeature>() is { } body)
        {
            body.AllowSynchronousIO = true;
        }
    }

    private async Task WriteAsync(HttpContext http, CancellationToken ct)
    {
        bool xlsx = http.Request.Query["format"].FirstOrDefault() == "xlsx";
        if (http.Request.Query["columns"].FirstOrDefault() != "raw")
        {
            await PeopleAsync(http, xlsx, ct);
            return;
        }

        var named = Named(parts(ct), ct);
        Attach(http, name, xlsx);
        if (xlsx)
        {
            await Xlsx.WriteAsync(http.Response.Body, named, name, null, ct); // the machine table: the keys as headers
            return;
        }

        await ReportFormats.WriteCsvAsync(named, http.Response.Body, bom: true, ct);
    }

    /// <summary>
    /// The table as people hand it on (<see cref="Reports.Exports.ExportView"/>): in the request's
    /// <c>lang</c> (else the browser's Accept-Language, else Chinese), with the heading lines.
    /// </summary>
    private async Task PeopleAsync(HttpContext http, bool xlsx, CancellationToken ct)
    {
        var services = http.RequestServices;
        string lang = Language(http);
        var registry = services.GetRequiredService<Func<Registry.StationRegistry>>()();
        Attach(http, lang == "en" ? name : Reports.Exports.ExportHeading.TitleOf(name).Zh, xlsx);
        if (!xlsx)
        {
            await Reports.Exports.PeopleExport.WriteCsvAsync(http.Response.Body, parts(ct), lang, registry, ct);
            return;
        }

        var zone = services.GetRequiredService<TimeZoneInfo>();
        var now = TimeZoneInfo.ConvertTime(services.GetRequiredService<TimeProvider>().GetUtcNow(), zone).DateTime;
        var heading = Reports.Exports.ExportHeading.Of(name, key => http.Request.Query[key].FirstOrDefault() is { Length: > 0 } v ? v : null, registry, lang,
            RoleFilter.User(http).DisplayName, now);
        await Reports.Exports.PeopleExport.WriteXlsxAsync(http.Response.Body, parts(ct), heading, lang, registry, ct);
    }

    /// <summary>The language of a download: <c>lang=zh|en</c>, else the browser's first choice between the two, else Chinese.</summary>
    public static string Language(HttpContext http)
    {
        if (http.Request.Query["lang"].FirstOrDefault() is { } asked && asked is "zh" or "en")
        {
            return asked;
        }

        foreach (var choice in http.Request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1))
        {
            if (choice.Value.Value is { } tag && (tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("en", StringComparison.OrdinalIgnoreCase)))
            {
                return tag[..2].ToLowerInvariant();
            }
        }

        return "zh";
    }

    private static async IAsyncEnumerable<ReportTable> Named(IAsyncEnumerable<ReportTable> parts, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var table in parts.WithCancellation(ct))
        {
            yield return ReportsApi.WithPollutantNames(table);
        }
    }
}
