using System.Globalization;
using EmissionMonitor.Compliance;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Permits;

/// <summary>
/// A permit execution report (排污许可执行报告) to make: the enterprise's, for a month (<c>month</c>
/// YYYY-MM), a quarter (<c>quarter</c> 2025Q3), a half-year (<c>half</c> 2025H1) or a year (<c>year</c>),
/// of the <see cref="ReportCalendar"/> kind that period makes.
/// </summary>
public sealed partial record ExecutionRequest(Enterprise Enterprise, ReportPeriod Period, string PeriodName, string Kind)
{
    private static readonly string[] PeriodParameters = ["month", "quarter", "half", "year"];

    /// <summary>Reads a request from named values (<c>enterprise</c>, one of <c>month|quarter|half|year</c>) the same way for HTTP and the command line; null with the parameter and why.</summary>
    public static ExecutionRequest? Parse(Func<string, string?> value, StationRegistry registry, out (string Parameter, string Problem)? error)
    {
        error = null;
        string? id = value("enterprise");
        if (id is null)
        {
            error = ("enterprise", "an execution report is an enterprise's: give its registry id");
            return null;
        }

        if (registry.FindEnterprise(id) is not { } enterprise)
        {
            error = ("enterprise", $"'{Users.UserText.Shown(id)}' is not in the registry");
            return null;
        }

        var given = PeriodParameters.Where(p => value(p) is not null).ToList();
        if (given.Count != 1)
        {
            error = (given.Count == 0 ? "month" : given[1], "give one period: month YYYY-MM, quarter 2025Q3, half 2025H1 or year YYYY");
            return null;
        }

        string text = value(given[0])!;
        (string Kind, ReportPeriod? Period) made = given[0] switch
        {
            "month" => (ReportCalendar.Monthly, DateTime.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var m) && InRange(m.Year)
                ? new ReportPeriod(m, m.AddMonths(1)) : null),
            "quarter" => (ReportCalendar.Quarterly, ReportPeriod.Quarter(text)),
            "half" => (ReportCalendar.Semiannual, Half().Match(text) is { Success: true } h && InRange(int.Parse(h.Groups[1].Value, CultureInfo.InvariantCulture))
                ? Halves(int.Parse(h.Groups[1].Value, CultureInfo.InvariantCulture), h.Groups[2].Value == "1") : null),
            _ => (ReportCalendar.Annual, int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int y) && InRange(y)
                ? new ReportPeriod(new DateTime(y, 1, 1), new DateTime(y + 1, 1, 1)) : null),
        };
        if (made.Period is null)
        {
            error = (given[0], $"needs {given[0] switch { "month" => "a month YYYY-MM", "quarter" => "a quarter such as 2025Q3", "half" => "a half-year such as 2025H1", _ => "a year YYYY" }}, not '{Users.UserText.Shown(text)}'");
            return null;
        }

        return new ExecutionRequest(enterprise, made.Period, text, made.Kind);
    }

    /// <summary>The months of the period, each a period of its own.</summary>
    public IEnumerable<ReportPeriod> Months()
    {
        for (var m = Period.From; m < Period.To; m = m.AddMonths(1))
        {
            yield return new ReportPeriod(m, m.AddMonths(1));
        }
    }

    private static bool InRange(int year) => year is >= ReportPeriod.MinYear and < ReportPeriod.MaxYear;

    private static ReportPeriod Halves(int year, bool first) => first
        ? new ReportPeriod(new DateTime(year, 1, 1), new DateTime(year, 7, 1))
        : new ReportPeriod(new DateTime(year, 7, 1), new DateTime(year + 1, 1, 1));

    [System.Text.RegularExpressions.GeneratedRegex("^([0-9]{4})H([12])$")]
    private static partial System.Text.RegularExpressions.Regex Half();
}
