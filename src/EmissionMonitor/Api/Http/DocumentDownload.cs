using EmissionMonitor.Reports;
using EmissionMonitor.Reports.Documents;

namespace EmissionMonitor.Api.Http;

/// <summary>A report document written to the response as a workbook, under the user's download slot and a slot of the report gate (<see cref="Download.RunAsync"/>).</summary>
public sealed class DocumentDownload(DocumentRequest request) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => Download.RunAsync(httpContext, gated: true, async ct =>
    {
        var http = httpContext;
        var services = http.RequestServices;
        string lang = Download.Language(http);
        var zone = services.GetRequiredService<TimeZoneInfo>();
        var now = TimeZoneInfo.ConvertTime(services.GetRequiredService<TimeProvider>().GetUtcNow(), zone).DateTime;
        Download.Attach(http, $"{DocumentWriter.TitleOf(request.Kind, lang)}-{request.PeriodName}", xlsx: true);
        var writer = new DocumentWriter(services.GetRequiredService<Storage.IStore>(), services.GetRequiredService<Func<ReportService>>()(),
            services.GetRequiredService<Func<Registry.StationRegistry>>()());
        await writer.WritePrintableAsync(http.Response.Body, request, lang, RoleFilter.User(http).DisplayName, now, ct);
    });
}
