using EmissionMonitor.Permits;
using EmissionMonitor.Reports;

namespace EmissionMonitor.Api.Http;

/// <summary>An execution report streamed as its workbook, under the user's download slot and a slot of the report gate; each generation recorded.</summary>
public sealed class ExecutionDownload(ExecutionRequest request) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => Download.RunAsync(httpContext, gated: true, async ct =>
    {
        var http = httpContext;
        var services = http.RequestServices;
        string lang = Download.Language(http);
        var store = services.GetRequiredService<Storage.IStore>();
        Download.Attach(http, ExecutionWorkbook.FileName(request, lang), xlsx: true);
        var report = new ExecutionReport(store, services.GetRequiredService<Func<ReportService>>()(), services.GetRequiredService<Func<Registry.StationRegistry>>()());
        await new ExecutionWorkbook(store, report).WriteAsync(http.Response.Body, request, services.GetRequiredService<Alerts.OutageOptions>(), lang,
            RoleFilter.User(http).DisplayName, services.GetRequiredService<TimeProvider>().GetUtcNow(), services.GetRequiredService<TimeZoneInfo>(), ct);
    });
}
