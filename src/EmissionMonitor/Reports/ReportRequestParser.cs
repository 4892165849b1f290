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
