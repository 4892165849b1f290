using System.Globalization;
using EmissionMonitor.Compliance;

namespace EmissionMonitor.Reports.Documents;

/// <summary>
/// A report document to make: its kind (<c>daily</c> 小时均值日报, <c>monthly</c> 日均值月报,
/// <c>quarterly</c> and <c>annual</c> 月均值季报/年报), its period and the outlets it covers.
/// </summary>
public sealed record DocumentRequest(string Kind, ReportPeriod Period, string PeriodName, IReadOnlyList<Registry.Outlet> Outlets, string? ScopeName)
{
    public static readonly string[] Kinds = ["daily", "monthly", "quarterly", "annual"];

    /// <summary>The parameter each kind's period is given by.</summary>
    public static string PeriodParameter(string kind) => kind switch { "daily" => "date", "monthly" => "month", "quarterly" => "quarter", _ => "year" };

    /// <summary>
    /// Reads a request from named values (<c>date|month|quarter|year</c>, <c>city</c>, <c>enterprise</c>,
    /// <c>mn</c>) the same way for HTTP and the command line; null with the parameter and why otherwise.
    /// At most <paramref name="maxOutlets"/> outlets (a sheet each).
    /// </summary>
    public static DocumentRequest? Parse(string kind, Func<string, string?> value, Registry.StationRegistry registry, int maxOutlets, out (string Parameter, string Problem)? error)
    {
        error = null;
        if (!Kinds.Contains(kind))
        {
            error = ("kind", $"must be one of {string.Join(", ", Kinds)}");
            return null;
        }

        string parameter = PeriodParameter(kind);
        string? text = value(parameter);
        ReportPeriod? period = (kind, text) switch
        {
            (_, null) => null,
            ("daily", _) when DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) => new ReportPeriod(d, d.AddDays(1)),
            ("monthly", _) when DateTime.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var m) => new ReportPeriod(m, m.AddMonths(1)),
            ("quarterly", _) => ReportPeriod.Quarter(text),
            ("annual", _) when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int y) && y is >= ReportPeriod.MinYear and <= ReportPeriod.MaxYear =>
                new ReportPeriod(new DateTime(y, 1, 1), new DateTime(y + 1, 1, 1)),
            _ => null,
        };
        if (period is null)
        {
            error = (parameter, parameter switch
            {
                "date" => "needs a day YYYY-MM-DD",
                "month" => "needs a month YYYY-MM",
                "quarter" => "needs a quarter like 2025Q3",
                _ => $"needs a year {ReportPeriod.MinYear}–{ReportPeriod.MaxYear}",
            });
            return null;
        }

        string? city = value("city"), enterprise = value("enterprise"), mn = value("mn");
        var outlets = registry.Outlets
            .Where(o => mn is null || o.Mn == mn)
            .Where(o => enterprise is null || o.EnterpriseId == enterprise)
            .Where(o => city is null || registry.FindEnterprise(o.EnterpriseId)?.City == city)
            .OrderBy(o => registry.FindEnterprise(o.EnterpriseId)?.City, StringComparer.Ordinal).ThenBy(o => o.EnterpriseId, StringComparer.Ordinal).ThenBy(o => o.Mn, StringComparer.Ordinal)
            .ToList();
        if (outlets.Count == 0)
        {
            error = (mn is not null ? "mn" : enterprise is not null ? "enterprise" : "city", "no outlet of the registry matches");
            return null;
        }

        if (outlets.Count > maxOutlets)
        {
            error = ("city", $"the document would have {outlets.Count} outlets, a sheet each; at most {maxOutlets} (Api:MaxDocumentOutlets): choose a city, an enterprise or an outlet");
            return null;
        }

        string? scope = mn ?? (enterprise is not null ? registry.FindEnterprise(enterprise)?.Name ?? enterprise : city);
        return new DocumentRequest(kind, period, text!, outlets, scope);
    }
}
