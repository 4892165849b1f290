using System.Collections.Concurrent;
using System.Text;
using EmissionMonitor.Reports;
using EmissionMonitor.Users;

namespace EmissionMonitor.Api.Http;

/// <summary>
/// Downloads one user may run at once (<c>Api:MaxDownloadsPerUser</c>): a user — an enterprise
/// with its own terminal and lists too — cannot fill the service's memory with parallel exports.
/// </summary>
public sealed class DownloadLimits(ApiOptions options)
{
    private readonly ConcurrentDictionary<string, int> _running = new(StringComparer.Ordinal);

    /// <summary>A slot for <paramref name="user"/>, or null when the user already runs as many as allowed.</summary>
    public IDisposable? TryEnter(string user)
    {
        if (_running.AddOrUpdate(user, 1, (_, n) => n + 1) > options.MaxDownloadsPerUser)
        {
            Leave(user);
            return null;
        }

        return new Slot(this, user);
    }

    private void Leave(string user)
    {
        if (_running.AddOrUpdate(user, 0, (_, n) => n - 1) <= 0)
        {
            _running.TryRemove(new KeyValuePair<string, int>(user, 0));
        }
    }

    private sealed class Slot(DownloadLimits limits, string user) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                limits.Leave(user);
            }
        }
    }
}

/// <summary>
/// A table downloaded as a file (CSV with a UTF-8 BOM, or an XLSX workbook), written to the response
/// as its parts are read — never built whole in memory — under the user's download slot and, for a
/// table made while it is written (<paramref name="gated"/>), a slot of the report gate.
/// </summary>
public sealed class Download(string name, Func<CancellationToken, IAsyncEnumerable<ReportTable>> parts, bool gated) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var http = httpContext;
        var services = http.RequestServices;
        var user = http.Items[RoleFilter.UserKey] as ApiUser;
        string key = user is { Token.Length: > 0 } ? user.Token : "local:" + http.Connection.RemoteIpAddress;
        using var slot = services.GetRequiredService<DownloadLimits>().TryEnter(key);
        if (slot is null)
        {
            await Results.Problem(statusCode: 429, title: $"you are downloading {services.GetRequiredService<ApiOptions>().MaxDownloadsPerUser} files already (Api:MaxDownloadsPerUser); try again when one is done")
                .ExecuteAsync(http);
            return;
        }

        using var lease = gated ? await services.GetRequiredService<ReportGate>().AcquireAsync(http.RequestAborted) : null;
        if (lease is { IsAcquired: false })
        {
            await ReportGate.Busy().ExecuteAsync(http);
            return;
        }

        var ct = http.RequestAborted;
        bool xlsx = http.Request.Query["format"].FirstOrDefault() == "xlsx";
        var named = Named(parts(ct), ct);
        http.Response.ContentType = xlsx ? Xlsx.ContentType : "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = $"{name}.{(xlsx ? "xlsx" : "csv")}", DispositionType = "attachment" }.ToString();
        if (xlsx)
        {
            var first = true;
            IReadOnlyList<string>? headers = null;
            string? lang = http.Request.Query["lang"].FirstOrDefault();
            async IAsyncEnumerable<ReportTable> WithHeaders()
            {
                await foreach (var table in named.WithCancellation(ct))
                {
                    if (first)
                    {
                        headers = ColumnNames.For(table.Columns, lang);
                        first = false;
                    }

                    yield return table;
                }
            }

            // The workbook writer ends its zip with a few synchronous writes (the central directory):
            // allowed for this answer only; every row goes out asynchronously.
            if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpBodyControlFeature>() is { } body)
            {
                body.AllowSynchronousIO = true;
            }

            // The header names come from the first part's columns: read it first, then write.
            await using var e = WithHeaders().GetAsyncEnumerator(ct);
            bool any = await e.MoveNextAsync();
            await Xlsx.WriteAsync(http.Response.Body, Rest(e, any), name, headers, ct);
            return;
        }

        await ReportFormats.WriteCsvAsync(named, http.Response.Body, bom: true, ct);
    }

    private static async IAsyncEnumerable<ReportTable> Rest(IAsyncEnumerator<ReportTable> e, bool any)
    {
        if (!any)
        {
            yield break;
        }

        do
        {
            yield return e.Current;
        }
        while (await e.MoveNextAsync());
    }

    private static async IAsyncEnumerable<ReportTable> Named(IAsyncEnumerable<ReportTable> parts, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var table in parts.WithCancellation(ct))
        {
            yield return ReportsApi.WithPollutantNames(table);
        }
    }

    /// <summary>A table already made, as the one part of a download.</summary>
    public static async IAsyncEnumerable<ReportTable> One(ReportTable table)
    {
        await Task.CompletedTask;
        yield return table;
    }
}
