using System.Globalization;
using System.Text.RegularExpressions;

namespace EmissionMonitor.Compliance;

/// <summary>
/// A report period [From, To) in local time (Compliance:TimeZone), <c>to</c> exclusive: a quarter
/// <c>2025Q3</c> is [2025-07-01, 2025-10-01).
/// </summary>
public sealed partial record ReportPeriod(DateTime From, DateTime To)
{
    /// <summary>The period's bounds as instants, their local times read in <paramref name="zone"/>.</summary>
    public (DateTimeOffset From, DateTimeOffset To) Instants(TimeZoneInfo zone) =>
        (new DateTimeOffset(From, zone.GetUtcOffset(From)), new DateTimeOffset(To, zone.GetUtcOffset(To)));

    /// <summary>The quarter named like <c>2025Q3</c>, or null when the text is not one.</summary>
    public static ReportPeriod? Quarter(string text)
    {
        var m = QuarterPattern().Match(text);
        if (!m.Success)
        {
            return null;
        }

        int year = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), q = m.Groups[2].Value[0] - '0';
        if (year is < MinYear or > MaxYear)
        {
            return null;
        }

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

    /// <summary>The first year a period may fall in (HJ 212 began in 2005; older data do not exist).</summary>
    public const int MinYear = 1970;

    /// <summary>The last year a period may fall in (so that every computed neighbour of a period stays a valid date).</summary>
    public const int MaxYear = 2199;

    /// <summary>Parses <c>yyyy-MM-dd</c> or <c>yyyy-MM-ddTHH:mm[:ss]</c> as a local time in years <see cref="MinYear"/>–<see cref="MaxYear"/>.</summary>
    public static DateTime? ParseLocal(string text) =>
        DateTime.TryParseExact(text, ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            && t.Year is >= MinYear and <= MaxYear
            ? t
            : null;

    /// <summary>
    /// The period of the report options: a quarter, or from/to (either may be omitted), or the current
    /// quarter up to now; null with an error naming the option when they are malformed or combined.
    /// </summary>
    public static ReportPeriod? Resolve(string? quarter, string? from, string? to, DateTime now, out string? error)
    {
        error = null;
        if (quarter is not null && (from is not null || to is not null))
        {
            error = "quarter cannot be combined with from/to";
            return null;
        }

        if (quarter is not null)
        {
            var q = Quarter(quarter);
            error = q is null ? $"quarter needs a quarter such as 2025Q3 (years {MinYear}–{MaxYear}), not '{quarter}'" : null;
            return q;
        }

        var start = from is null ? QuarterOf(now).From : ParseLocal(from);
        var end = to is null ? now : ParseLocal(to);
        if (start is null || end is null)
        {
            error = $"{(start is null ? "from" : "to")} needs YYYY-MM-DD or YYYY-MM-DDTHH:mm[:ss] (years {MinYear}–{MaxYear}), not '{(start is null ? from : to)}'";
            return null;
        }

        if (end <= start)
        {
            error = "to must be after from";
            return null;
        }

        return new ReportPeriod(start.Value, end.Value);
    }

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
