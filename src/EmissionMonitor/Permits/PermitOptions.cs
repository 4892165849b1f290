using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Permits;

/// <summary>
/// The permit execution reports each enterprise files (configuration section <c>Permits</c>;
/// DOMAIN.md §0.3): which kinds (<see cref="ReportCalendar.Kinds"/>) per enterprise, the reminders
/// before each due date.
/// </summary>
public sealed class PermitOptions : IValidatableObject
{
    public const string Section = "Permits";

    /// <summary>The kinds of report an enterprise files, by its registry id (<c>Permits:ReportKinds:{id}</c>); others file <see cref="DefaultReportKinds"/>.</summary>
    public Dictionary<string, string[]> ReportKinds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The kinds of report every enterprise not named in <see cref="ReportKinds"/> files (quarterly and annual, as key dischargers with automatic monitoring do).</summary>
    public string[] DefaultReportKinds { get; set; } = [ReportCalendar.Quarterly, ReportCalendar.Annual];

    /// <summary>The enterprise's contacts are reminded this many days before a report is due (5).</summary>
    [Range(0, 60, ErrorMessage = "Permits:RemindDaysBefore must be between 0 and 60")]
    public int RemindDaysBefore { get; set; } = 5;

    /// <summary>How often the reminders are looked for (1 hour).</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "1.00:00:00", ErrorMessage = "Permits:CheckInterval must be between 0.1 s and 1 day")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The kinds <paramref name="enterprise"/> files.</summary>
    public IReadOnlyList<string> KindsOf(string enterprise) => ReportKinds.TryGetValue(enterprise, out var kinds) ? kinds : DefaultReportKinds;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var kind in DefaultReportKinds.Where(k => !ReportCalendar.Kinds.Contains(k)))
        {
            yield return new ValidationResult($"Permits:DefaultReportKinds: '{kind}' is not one of {string.Join(", ", ReportCalendar.Kinds)}", [nameof(DefaultReportKinds)]);
        }

        foreach (var (id, kinds) in ReportKinds)
        {
            foreach (var kind in kinds.Where(k => !ReportCalendar.Kinds.Contains(k)))
            {
                yield return new ValidationResult($"Permits:ReportKinds:{id}: '{kind}' is not one of {string.Join(", ", ReportCalendar.Kinds)}", [nameof(ReportKinds)]);
            }
        }
    }
}
