using System.Globalization;
using EmissionMonitor.Compliance;

namespace EmissionMonitor.Permits;

/// <summary>One report an enterprise owes: its kind, the period it covers, its name (2025-08, 2025Q3, 2025H1, 2025) and the day it is due (local, inclusive).</summary>
public sealed record ReportDue(string Kind, ReportPeriod Period, string Name, DateTime Due);

/// <summary>
/// When permit execution reports are due (排污许可管理条例, DOMAIN.md §0.3): a monthly report by the 15th
/// of the next month, a quarterly one by the 15th of the first month of the next quarter, a half-year
/// one by 15 July (the first half; the second half is the annual report), an annual one by 15 January.
/// </summary>
public static class ReportCalendar
{
    public const string Monthly = "monthly", Quarterly = "quarterly", Semiannual = "semiannual", Annual = "annual";

    /// <summary>The day of the month reports are due by.</summary>
    public const int DueDay = 15;

    public static IReadOnlyList<string> Kinds { get; } = [Monthly, Quarterly, Semiannual, Annual];

    /// <summary>A kind's place in <see cref="Kinds"/> (the calendar lists a day's reports in that order).</summary>
    public static int Order(string kind) => kind switch { Monthly => 0, Quarterly => 1, Semiannual => 2, _ => 3 };

    /// <summary>The report of <paramref name="kind"/> covering the period that starts at <paramref name="start"/>.</summary>
    public static ReportDue Of(string kind, DateTime start) => kind switch
    {
        Monthly => new(kind, new(start, start.AddMonths(1)), start.ToString("yyyy-MM", CultureInfo.InvariantCulture), Due(start.AddMonths(1))),
        Quarterly => new(kind, new(start, start.AddMonths(3)), ReportPeriod.QuarterName(start), Due(start.AddMonths(3))),
        Semiannual => new(kind, new(start, start.AddMonths(6)), $"{start.Year}H1", Due(start.AddMonths(6))),
        Annual => new(kind, new(start, start.AddYears(1)), start.Year.ToString(CultureInfo.InvariantCulture), Due(start.AddYears(1))),
        _ => throw new ArgumentException($"unknown report kind {kind}", nameof(kind)),
    };

    /// <summary>Every report of <paramref name="kind"/> due from <paramref name="fromDay"/> up to <paramref name="toDay"/> (exclusive), in due order.</summary>
    public static IEnumerable<ReportDue> DueIn(string kind, DateTime fromDay, DateTime toDay)
    {
        // Start at a period that ends well before the window and step through the periods (a half-year report covers the first half only).
        var start = new DateTime(fromDay.Year - 1, 1, 1);
        while (true)
        {
            var report = Of(kind, start);
            if (report.Due >= toDay)
            {
                yield break;
            }

            if (report.Due >= fromDay)
            {
                yield return report;
            }

            start = kind switch { Monthly => start.AddMonths(1), Quarterly => start.AddMonths(3), _ => start.AddYears(1) };
        }
    }

    private static DateTime Due(DateTime periodEnd) => new(periodEnd.Year, periodEnd.Month, DueDay);
}
