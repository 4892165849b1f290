using Microsoft.AspNetCore.Http.HttpResults;
using System.Globalization;
using EmissionMonitor.Compliance;

namespace EmissionMonitor.Api;

/// <summary>
/// The checks every query and body goes through: a bad value is a 400 naming the parameter (in the
/// title and as <c>parameter</c>), never ignored; <c>limit</c> is clamped to <see cref="ApiOptions.MaxLimit"/>;
/// periods are bounded by <see cref="ApiOptions.MaxPeriod"/>; comments by <see cref="ApiOptions.MaxCommentLength"/>.
/// </summary>
public static class QueryRules
{
    /// <summary>A 400 problem naming the parameter.</summary>
    public static ProblemHttpResult Bad(string parameter, string message) =>
        TypedResults.Problem(statusCode: 400, title: message.StartsWith(parameter + " ", StringComparison.Ordinal) ? message : $"{parameter}: {message}", extensions: new Dictionary<string, object?> { ["parameter"] = parameter });

    /// <summary>The first problem of several checks (all of them run, so their out values are set).</summary>
    public static ProblemHttpResult? First(params ProblemHttpResult?[] checks) => checks.FirstOrDefault(c => c is not null);

    /// <summary>limit (default 1000, clamped to the maximum, never refused) and offset (default 0).</summary>
    public static ProblemHttpResult? Page(HttpContext http, ApiOptions options, out int limit, out int offset)
    {
        limit = 1000;
        offset = 0;
        var q = http.Request.Query;
        if (q["limit"].FirstOrDefault() is { } l)
        {
            if (!long.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            {
                return Bad("limit", $"must be a whole number of 0 or more, not '{Shown(l)}'");
            }

            limit = (int)Math.Min(value, options.MaxLimit);
        }

        if (q["offset"].FirstOrDefault() is { } o && !int.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
        {
            return Bad("offset", $"must be a whole number of 0 or more, not '{Shown(o)}'");
        }

        return null;
    }

    /// <summary>What a list of enterprises' rows checks first: an enterprise user asks only for its own (<paramref name="enterprise"/> is then its own), <c>format</c> json|csv|xlsx, the page.</summary>
    public static ProblemHttpResult? List(HttpContext http, ApiOptions options, out string? enterprise, out int limit, out int offset)
    {
        (limit, offset) = (0, 0);
        return RoleFilter.Enterprise(http, out enterprise) ?? First(Choice(http, "format", ReportsApi.ExportFormats), Page(http, options, out limit, out offset));
    }

    /// <summary>A value that must be one of <paramref name="allowed"/> when present.</summary>
    public static ProblemHttpResult? Choice(HttpContext http, string parameter, IReadOnlyCollection<string> allowed) =>
        http.Request.Query[parameter].FirstOrDefault() is { } value && !allowed.Contains(value)
            ? Bad(parameter, $"must be one of {string.Join(", ", allowed)}, not '{Shown(value)}'")
            : null;

    /// <summary>A period no longer than the maximum.</summary>
    public static ProblemHttpResult? Span(ReportPeriod period, TimeSpan max, string parameter = "from/to") =>
        period.To - period.From > max
            ? Bad(parameter, $"the period spans {(period.To - period.From).TotalDays:F0} days, more than the {max.TotalDays:F0} allowed (Api:MaxPeriod)")
            : null;

    /// <summary>An optional local time parameter.</summary>
    public static ProblemHttpResult? Local(string parameter, string? text, out DateTime? value)
    {
        value = null;
        if (text is null)
        {
            return null;
        }

        value = ReportPeriod.ParseLocal(text);
        return value is null
            ? Bad(parameter, $"needs YYYY-MM-DD or YYYY-MM-DDTHH:mm[:ss] (years {ReportPeriod.MinYear}–{ReportPeriod.MaxYear}), not '{Shown(text)}'")
            : null;
    }

    /// <summary>A comment within the allowed length.</summary>
    public static ProblemHttpResult? Comment(string? comment, ApiOptions options) =>
        comment is { Length: var n } && n > options.MaxCommentLength
            ? Bad("comment", $"{n} characters, more than the {options.MaxCommentLength} allowed (Api:MaxCommentLength)")
            : null;

    /// <summary>A value as shown in an error: cut, so a huge parameter does not come back whole.</summary>
    public static string Shown(string value) => Users.UserText.Shown(value);
}
