using System.Text.Json;

namespace EmissionMonitor.Api;

/// <summary>
/// What every HTTP answer gets: security headers (a strict Content-Security-Policy with no inline
/// script or style, no framing, no MIME sniffing, no referrer) and an RFC 7807 problem-details body
/// for every error — a malformed or oversized body (400/413/415, with what was wrong), an unknown
/// route (404), a wrong method (405), an unexpected failure (500, logged, without internals).
/// </summary>
public static partial class HttpHardening
{
    public const string DocsPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void Use(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EmissionMonitor.Api.Http");
        app.Use(async (context, next) =>
        {
            SetHeaders(context);
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException e)
            {
                // Malformed JSON, a wrong content type, a body over the limit: the client's mistake.
                await WriteProblemAsync(context, e.StatusCode, Title(e.StatusCode, "malformed request"), e.InnerException is JsonException json ? json.Message : e.Message);
            }
            catch (Storage.StoreUnavailableException e) when (!context.Response.HasStarted)
            {
                // The store's server is down or slow: the client may try again; not a defect.
                LogUnavailable(logger, context.Request.Method, context.Request.Path.Value ?? "", e.Message);
                context.Response.Headers.RetryAfter = "30";
                await WriteProblemAsync(context, 503, "store unavailable", e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
            {
                LogFailed(logger, e, context.Request.Method, context.Request.Path.Value ?? "");
                await WriteProblemAsync(context, 500, "internal error", null);
            }

            if (context.Response is { HasStarted: false, StatusCode: >= 400 } response && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType))
            {
                await WriteProblemAsync(context, response.StatusCode, Title(response.StatusCode, "request refused"), null);
            }
        });
    }

    private static string Title(int status, string otherwise) => status switch
    {
        404 => "not found",
        405 => "method not allowed",
        413 => "request body too large",
        415 => "unsupported content type: send application/json",
        _ => otherwise,
    };

    private static void SetHeaders(HttpContext context)
    {
        var headers = context.Response.Headers;
        if (context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments("/api/public"))
        {
            headers.CacheControl = "no-store"; // answers for a user (and evidence files) are never kept by a browser or proxy cache
        }

        // The API reference (/docs, Scalar served from its package) configures itself with an inline
        // script and styles; it shows no data of its own: only that page allows inline code.
        headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/docs") ? DocsPolicy : ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
    }

    private static async Task WriteProblemAsync(HttpContext context, int status, string title, string? detail)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        SetHeaders(context);
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new { type = "about:blank", title, status, detail, code = ProblemCodes.Of(status), @params = new Dictionary<string, string>() },
            (JsonSerializerOptions?)null, "application/problem+json");
    }

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "HTTP {Method} {Path} answered 503: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string reason);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "HTTP {Method} {Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, string path);
}
