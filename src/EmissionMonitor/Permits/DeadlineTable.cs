using System.Globalization;
using EmissionMonitor.Reports;

namespace EmissionMonitor.Permits;

/// <summary>The calendar's request and table, one reading for HTTP and the command line.</summary>
public static class DeadlineTable
{
    private static readonly string[] Columns =
        ["enterprise", "enterpriseName", "city", "permitNumber", "reportKind", "reportPeriod", "due", "state", "generations", "lastGeneratedAt", "lastGeneratedBy", "remindedAt"];

    /// <summary>
    /// The window of due days (<c>year</c>, this year by default; or <c>from</c>/<c>to</c> days, <c>to</c>
    /// exclusive), the enterprise and the state asked; null with the parameter and why.
    /// </summary>
    public static (DateTime From, DateTime To, string? Enterprise, string? State)? Parse(Func<string, string?> value, Registry.StationRegistry registry, DateTime today,
        out (string Parameter, string Problem)? error)
    {
        error = null;
        string? enterprise = value("enterprise"), state = value("state"), year = value("year"), from = value("from"), to = value("to");
        if (enterprise is not null && registry.FindEnterprise(enterprise) is null)
        {
            error = ("enterprise", $"'{Users.UserText.Shown(enterprise)}' is not in the registry");
            return null;
        }

        if (state is not null && !ReportDeadlines.States.Contains(state))
        {
            error = ("state", $"must be one of {string.Join("|", ReportDeadlines.States)}, not '{Users.UserText.Shown(state)}'");
            return null;
        }

        if (year is not null && (from is not null || to is not null))
        {
            error = ("year", "give a year or from/to, not both");
            return null;
        }

        if (from is not null || to is not null)
        {
            DateTime? Day(string? text, DateTime fallback) => text is null ? fallback
                : DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d.Year is >= Compliance.ReportPeriod.MinYear and < Compliance.ReportPeriod.MaxYear ? d : null;
            var (start, end) = (Day(from, today), Day(to, today.AddYears(1)));
            if (start is null || end is null || end <= start)
            {
                error = (start is null ? "from" : "to", "needs a day YYYY-MM-DD, to after from");
                return null;
            }

            return (start.Value, end.Value, enterprise, state);
        }

        int y = today.Year;
        if (year is not null && !(int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out y) && y is >= Compliance.ReportPeriod.MinYear and < Compliance.ReportPeriod.MaxYear))
        {
            error = ("year", $"needs a year YYYY, not '{Users.UserText.Shown(year)}'");
            return null;
        }

        return (new DateTime(y, 1, 1), new DateTime(y + 1, 1, 1), enterprise, state);
    }

    /// <summary>The calendar as a table: the enterprise, the report's kind, period and due day, its state, how often and when last it was generated, and when its contacts were reminded.</summary>
    public static ReportTable Of(IReadOnlyList<DeadlineRow> rows, TimeZoneInfo zone) => new(Columns, rows.Select(r => new object?[]
    {
        r.Enterprise.Id, r.Enterprise.Name, r.Enterprise.City, r.Enterprise.PermitNumber, r.Report.Kind, r.Report.Name, r.Report.Due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        r.State, r.Generations, ReportFormats.Instant(r.Last?.At, zone), r.Last?.By, ReportFormats.Instant(r.RemindedAt, zone),
    }).ToList());
}
