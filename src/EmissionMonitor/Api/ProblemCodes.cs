namespace EmissionMonitor.Api;

/// <summary>
/// Every problem the API answers carries, beside its English <c>title</c> (for API users and logs), a
/// <c>code</c> and <c>params</c> the dashboard says in the user's language: the code from the status
/// (or one a handler set, such as a publication's <c>not-ended</c>), the params the parameter at fault.
/// </summary>
public static class ProblemCodes
{
    public static string Of(int status) => status switch
    {
        400 => "invalid",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        409 => "conflict",
        413 => "too-large",
        415 => "unsupported-content",
        429 => "too-many",
        503 => "unavailable",
        507 => "no-room",
        _ => status >= 500 ? "server-error" : "error",
    };

    /// <summary>Adds the code and params to a problem being written (Results.Problem goes through the problem-details service).</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var extensions = problem.Extensions;
        if (!extensions.ContainsKey("code"))
        {
            extensions["code"] = Of(problem.Status ?? context.HttpContext.Response.StatusCode);
        }

        if (!extensions.ContainsKey("params"))
        {
            extensions["params"] = extensions.TryGetValue("parameter", out var parameter) && parameter is not null
                ? new Dictionary<string, object?> { ["parameter"] = parameter }
                : new Dictionary<string, object?>();
        }
    }
}
