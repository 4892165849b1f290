using System.Globalization;
using System.Text.RegularExpressions;

namespace EmissionMonitor.Compliance;

/// <summary>
/// A report period [From, To) in local time (Compliance:TimeZone), <c>to</c> exclusive: a quarter
/// <c>2025Q3</c> is [2025-07-01, 2025-10-01).
/// </summary>
public sealed partial record ReportPeriod(DateTime From, DateTime To)
{
    /// <summary>The quarter named like <c>2025Q3</c>, or null when the text is not one.</summary>
    public static ReportPeriod? Quarter(string text)
    {
        var m = QuarterPattern().Match(text);
        if (!m.Success)
        {
            return null;
        }

        int year = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), q = m.Groups[2].Value[0] - '0';
        var from = new DateTime(year, ((q - 1) * 3) + 1, 1);
        return new ReportPeriod(from, from.AddMonths(3));
    }

    /// <summary>The quarter containing a local time.</summary>
    public static ReportPeriod QuarterOf(DateTime local)
    {
        var from = new DateTime(local.Year, (((local.Month - 1) / 3) * 3) + 1, 1);
        return new ReportPeriod(from, from.AddMonths(3));
    }

    /// <summary>The name of the quarter containing a local time, e.g. <c>2025Q3</c>.</summary>
    public static string QuarterName(DateTime local) => $"{local.Year}Q{((local.Month - 1) / 3) + 1}";

    /// <summary>Parses <c>yyyy-MM-dd</c> or <c>yyyy-MM-ddTHH:mm[:ss]</c> as a local time.</summary>
    public static DateTime? ParseLocal(string text) =>
        DateTime.TryParseExact(text, ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t
            : null;

    /// <summary>Whole hours starting in [From, To).</summary>
    public IEnumerable<DateTime> Hours()
    {
        var start = new DateTime(From.Year, From.Month, From.Day, From.Hour, 0, 0);
        if (start < From)
        {
            start = start.AddHours(1);
        }

        for (var h = start; h < To; h = h.AddHours(1))
        {
            yield return h;
        }
    }

    [GeneratedRegex(@"^(\d{4})Q([1-4])$")]
    private static partial Regex QuarterPattern();
}
