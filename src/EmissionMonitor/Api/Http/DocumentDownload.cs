using EmissionMonitor.Reports;
using EmissionMonitor.Reports.Documents;

namespace EmissionMonitor.Api.Http;

/// <summary>A report document written to the response as a workbook, under the user's download slot and a slot of the report gate.</summary>
public sealed class DocumentDownload(DocumentRequest request) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var http = httpContext;
        var services = http.RequestServices;
        using var slot = services.GetRequiredService<DownloadLimits>().TryEnter(RoleFilter.ShareKey(http));
        if (slot is null)
        {
            await Results.Problem(statusCode: 429, title: "you are downloading as many files as one user may (Api:MaxDownloadsPerUser); try again when one is done").ExecuteAsync(http);
            return;
        }

        using var lease = await services.GetRequiredService<ReportGate>().AcquireAsync(http.RequestAborted);
        if (!lease.IsAcquired)
        {
            await ReportGate.Busy().ExecuteAsync(http);
            return;
        }

        string lang = Download.Language(http);
        var zone = services.GetRequiredService<TimeZoneInfo>();
        var now = TimeZoneInfo.ConvertTime(services.GetRequiredService<TimeProvider>().GetUtcNow(), zone).DateTime;
        http.Response.ContentType = Xlsx.ContentType;
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName($"{DocumentWriter.TitleOf(request.Kind, lang)}-{request.PeriodName}.xlsx");
        http.Response.Headers.ContentDisposition = disposition.ToString();
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpBodyControlFeature>() is { } body)
        {
            body.AllowSynchronousIO = true; // the zip's central directory at the end
        }

        var writer = new DocumentWriter(services.GetRequiredService<Storage.IStore>(), services.GetRequiredService<Func<ReportService>>()(),
            services.GetRequiredService<Func<Registry.StationRegistry>>()());
        await writer.WritePrintableAsync(http.Response.Body, request, lang, RoleFilter.User(http).DisplayName, now, http.RequestAborted);
    }
}
