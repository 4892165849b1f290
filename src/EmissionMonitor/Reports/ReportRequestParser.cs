using EmissionMonitor.Compliance;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Reports;

/// <summary>A report request that could not be made: the parameter (HTTP query name, CLI option without its dashes) and why.</summary>
public sealed record ReportRequestError(string Parameter, string Problem);

/// <summary>
/// The one reading of a report request, for the HTTP API (query parameters) and the command line
/// (options): the period (<c>quarter</c>, or <c>from</c>/<c>to</c>, local; the current quarter so
/// far by default), the grouping, and filters that must name what the registry holds (a typo is an
/// error, not an empty answer).
/// </summary>
public static partial class ReportRequestParser
{
    /// <summary>The request of <paramref name="kind"/> from the values <paramref name="value"/> gives by name, or the first error.</summary>
    public static ReportRequest? Parse(string kind, Func<string, string?> value, StationRegistry registry, DateTime nowLocal, out ReportRequestError? error)
    {
        error = null;
        string? by = value("by"), city = value("city"), enterprise = value("enterprise"), mn = value("mn"), pollutant = value("pollutant"),
            permit = value("permit"), code = value("code");
        if (by is not null && !ReportRequest.Groupings.Contains(by))
        {
            error = new("by", $"must be one of {string.Join("|", ReportRequest.Groupings)}, not '{Users.UserText.Shown(by)}'");
            return null;
        }

        error = Filters(registry, city, enterprise, mn, pollutant) ?? Identities(registry, permit, code);
        if (error is not null)
        {
            return null;
        }

        string? unit = value("period");
        if (unit is not null && !Compliance.Means.MeanRules.Units.Contains(unit))
        {
            error = new("period", $"must be one of {string.Join("|", Compliance.Means.MeanRules.Units)}, not '{Users.UserText.Shown(unit)}'");
            return null;
        }

        if (kind == "hours" && mn is null)
        {
            error = new("mn", "hours needs mn (one outlet)");
            return null;
        }

        var period = ReportPeriod.Resolve(value("quarter"), value("from"), value("to"), nowLocal, out string? problem);
        if (period is null)
        {
            error = new(problem!.Split(' ')[0], problem);
            return null;
        }

        return new ReportRequest(kind, period, city, enterprise, mn, pollutant, by, permit, code, kind == "means" ? unit ?? "day" : null);
    }

    /// <summary>
    /// A request of one month (<c>month</c> YYYY-MM; the previous month by default, the one to declare
    /// now) with the filters <see cref="Parse"/> reads and a grouping of <paramref name="groupings"/>:
    /// the tax pre-check's reading for the HTTP API and the command line.
    /// </summary>
    public static ReportRequest? ParseMonth(string kind, Func<string, string?> value, IReadOnlyList<string> groupings, StationRegistry registry, DateTime nowLocal,
        out ReportRequestError? error)
    {
        error = null;
        if (value("quarter") is not null || value("from") is not null || value("to") is not null)
        {
            error = new("month", "give the month alone (month=YYYY-MM), not quarter, from or to");
            return null;
        }

        var month = new DateTime(nowLocal.Year, nowLocal.Month, 1).AddMonths(-1);
        if (value("month") is { } text && !(DateTime.TryParseExact(text, "yyyy-MM", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out month) && month.Year is >= ReportPeriod.MinYear and < ReportPeriod.MaxYear))
        {
            error = new("month", $"needs a month YYYY-MM, not '{Users.UserText.Shown(text)}'");
            return null;
        }

        if (value("by") is { } by && !groupings.Contains(by))
        {
            error = new("by", $"must be one of {string.Join("|", groupings)}, not '{Users.UserText.Shown(by)}'");
            return null;
        }

        string from = month.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        string to = month.AddMonths(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return Parse(kind, name => name switch { "from" => from, "to" => to, "quarter" => null, _ => value(name) }, registry, nowLocal, out error);
    }

    private static ReportRequestError? Filters(StationRegistry registry, string? city, string? enterprise, string? mn, string? pollutant)
    {
        if (city is not null && !registry.Enterprises.Any(e => e.City == city))
        {
            return new("city", $"no enterprise of the registry is in '{Users.UserText.Shown(city)}'");
        }

        if (enterprise is not null && registry.FindEnterprise(enterprise) is null)
        {
            return new("enterprise", $"'{Users.UserText.Shown(enterprise)}' is not in the registry");
        }

        if (mn is not null && registry.FindOutlet(mn) is null)
        {
            return new("mn", $"'{Users.UserText.Shown(mn)}' is not in the registry");
        }

        return pollutant is not null && !PollutantCode().IsMatch(pollutant)
            ? new("pollutant", $"needs a 2017 code such as a21026 or w01018, not '{Users.UserText.Shown(pollutant)}'")
            : null;
    }

    /// <summary>A permit number or outlet code must be one the registry holds (an outlet code may be held by several enterprises: all their outlets of that code are meant).</summary>
    private static ReportRequestError? Identities(StationRegistry registry, string? permit, string? code)
    {
        if (permit is not null && !registry.Enterprises.Any(e => e.PermitNumber == permit))
        {
            return new("permit", $"no enterprise of the registry holds permit number '{Users.UserText.Shown(permit)}'");
        }

        return code is not null && !registry.Outlets.Any(o => o.Code == code)
            ? new("code", $"no outlet of the registry has the code '{Users.UserText.Shown(code)}' (DA001 gas, DW001 water)")
            : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z][0-9]{5}$")]
    private static partial System.Text.RegularExpressions.Regex PollutantCode();
}
