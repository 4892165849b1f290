using EmissionMonitor.Outcomes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmissionMonitor.Api;

/// <summary>The HTTP answer of a domain step that was refused: the one place a <see cref="Refusal"/> becomes a status code.</summary>
public static class Refusals
{
    public static int Status(Refusal refusal) => refusal switch
    {
        Refusal.Invalid => 400,
        Refusal.NotAllowed => 403,
        Refusal.NotFound => 404,
        Refusal.Conflict => 409,
        Refusal.TooLarge => 413,
        Refusal.UnsupportedContent => 415,
        Refusal.TooMany => 429,
        Refusal.NoRoom => 507,
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "not a refusal"),
    };

    /// <summary>The problem details of a refusal; an invalid value names its parameter.</summary>
    public static ProblemHttpResult Problem(Refusal refusal, string? problem, string? parameter = null) =>
        refusal == Refusal.Invalid ? QueryRules.Bad(parameter ?? "body", problem ?? "not valid") : Problem(Status(refusal), problem);

    /// <summary>A problem of a status and title (404 for what the caller may not see, 409 for a step the state refuses, …).</summary>
    public static ProblemHttpResult Problem(int status, string? title) => TypedResults.Problem(statusCode: status, title: title);
}
