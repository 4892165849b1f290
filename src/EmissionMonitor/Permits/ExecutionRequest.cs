using System.Globalization;
using EmissionMonitor.Compliance;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Permits;

/// <summary>
/// A permit execution report (排污许可执行报告) to make: the enterprise's, for a month (<c>month</c>
/// YYYY-MM, the monthly report) or a quarter (<c>quarter</c> 2025Q3, the quarterly report).
/// </summary>
public sealed record ExecutionRequest(Enterprise Enterprise, ReportPeriod Period, string PeriodName, string Kind)
{
    public const string Monthly = "monthly", Quarterly = "quarterly";

    /// <summary>Reads a request from named values (<c>enterprise</c>, <c>month</c> | <c>quarter</c>) the same way for HTTP and the command line; null with the parameter and why.</summary>
    public static ExecutionRequest? Parse(Func<string, string?> value, StationRegistry registry, out (string Parameter, string Problem)? error)
    {
        error = null;
        string? id = value("enterprise"), month = value("month"), quarter = value("quarter");
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

        if ((month is null) == (quarter is null))
        {
            error = (month is null ? "month" : "quarter", "give a month YYYY-MM (monthly report) or a quarter such as 2025Q3 (quarterly report), one of them");
            return null;
        }

        if (month is not null)
        {
            if (!DateTime.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var m) || m.Year is < ReportPeriod.MinYear or >= ReportPeriod.MaxYear)
            {
                error = ("month", $"needs a month YYYY-MM, not '{Users.UserText.Shown(month)}'");
                return null;
            }

            return new ExecutionRequest(enterprise, new ReportPeriod(m, m.AddMonths(1)), month, Monthly);
        }

        if (ReportPeriod.Quarter(quarter!) is not { } q)
        {
            error = ("quarter", $"needs a quarter such as 2025Q3, not '{Users.UserText.Shown(quarter!)}'");
            return null;
        }

        return new ExecutionRequest(enterprise, q, quarter!, Quarterly);
    }

    /// <summary>The months of the period, each a period of its own.</summary>
    public IEnumerable<ReportPeriod> Months()
    {
        for (var m = Period.From; m < Period.To; m = m.AddMonths(1))
        {
            yield return new ReportPeriod(m, m.AddMonths(1));
        }
    }
}
