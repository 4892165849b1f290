using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Alerts;

/// <summary>Alerts (configuration section <c>Alerts</c>).</summary>
public sealed class AlertOptions : IValidatableObject
{
    public const string Section = "Alerts";

    /// <summary>An outlet with no accepted frame for this long raises a <c>silent</c> alert (1 h).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "Alerts:SilentAfter must be between 1 s and 30 days")]
    public TimeSpan SilentAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// An outlet whose hourly records (CN 2061) stop for this long is an outage too (<c>silent</c>),
    /// even while other frames still arrive; cleared by the next hourly record. Default 2 h; 0: off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00", ErrorMessage = "Alerts:HourlyMissingAfter must be between 0 and 30 days")]
    public TimeSpan HourlyMissingAfter { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// Data raises live alerts only when its data time is within this of the service clock and it is
    /// not back-filled (RF=1): older data updates every figure and the outlet's one <c>backfill</c>
    /// alert, never a live alert (and its QN is not read as the terminal's clock). Default 2 h.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "3660.00:00:00", ErrorMessage = "Alerts:LiveWindow must be between 1 minute and 3660 days")]
    public TimeSpan LiveWindow { get; set; } = TimeSpan.FromHours(2);

    /// <summary>When (local time of day) the previous day's <c>low-rate</c> is judged; late data for that day judges it again. Default 02:00.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "23:59:59", ErrorMessage = "Alerts:LowRateAt must be a time of day between 00:00 and 23:59:59")]
    public TimeSpan LowRateAt { get; set; } = TimeSpan.FromHours(2);

    /// <summary>An outlet's <c>backfill</c> alert clears once no back-filled data has come for this long. Default 10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Alerts:BackfillQuiet must be between 1 s and 1 day")]
    public TimeSpan BackfillQuiet { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A real-time <c>warning</c> opens after this many consecutive values beyond the limit and clears after as many within it. Default 3.</summary>
    [Range(1, 1000, ErrorMessage = "Alerts:WarningMinCount must be between 1 and 1000")]
    public int WarningMinCount { get; set; } = 3;

    /// <summary>A real-time warning of an outlet and pollutant cleared less than this ago is reopened, not raised anew. Default 30 min; 0: never.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Alerts:ReopenQuiet must be between 0 and 1 day")]
    public TimeSpan ReopenQuiet { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// New alerts one outlet may raise in a rolling hour; beyond it one <c>flood</c> alert (critical)
    /// stands for the rest, which are counted, not raised. 0 turns the budget off. Default 60.
    /// </summary>
    [Range(0, 1_000_000, ErrorMessage = "Alerts:MaxNewPerOutletPerHour must be between 0 and 1000000")]
    public int MaxNewPerOutletPerHour { get; set; } = 60;

    /// <summary>Cleared alerts kept in memory for the board (the newest); older ones are in the store until Retention:Alerts. Default 20,000.</summary>
    [Range(0, 10_000_000, ErrorMessage = "Alerts:RecentInMemory must be between 0 and 10000000")]
    public int RecentInMemory { get; set; } = 20_000;

    /// <summary>Committed frames of one outlet waiting in memory for the alert rules; its later ones wait on disk (the data folder's <c>alert-backlog</c>) and come back in order. Default 5,000.</summary>
    [Range(10, 10_000_000, ErrorMessage = "Alerts:MaxBacklogPerOutlet must be between 10 and 10000000")]
    public int MaxBacklogPerOutlet { get; set; } = 5_000;

    /// <summary>Bytes of one outlet's backlog on disk; beyond it a frame's evaluation is dropped and counted (that outlet alone floods). Default 256 MiB.</summary>
    [Range(1024, 1L << 40, ErrorMessage = "Alerts:MaxBacklogBytesPerOutlet must be between 1024 and 1099511627776")]
    public long MaxBacklogBytesPerOutlet { get; set; } = 256L * 1024 * 1024;

    /// <summary>Acknowledging an alert needs a comment (what was checked). Default true.</summary>
    public bool RequireComment { get; set; } = true;

    /// <summary>
    /// How soon an alert must be acknowledged to count as answered in time (响应), by severity
    /// (<c>Alerts:RespondWithin:critical</c> 1 h, <c>:warning</c> 4 h, <c>:info</c> 24 h).
    /// </summary>
    public Dictionary<string, TimeSpan> RespondWithin { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The time to acknowledge an alert of a severity in (see <see cref="RespondWithin"/>).</summary>
    public TimeSpan RespondWithinFor(string severity) =>
        RespondWithin.TryGetValue(severity, out var t) ? t : severity switch { "critical" => TimeSpan.FromHours(1), "warning" => TimeSpan.FromHours(4), _ => TimeSpan.FromHours(24) };

    /// <summary>
    /// Real-time warnings (kind <c>warning</c>) come and go by the thousand: each is logged at Debug,
    /// and one Information line every this long says how many were raised and cleared (5 min).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Alerts:LogSummaryInterval must be between 1 s and 1 day")]
    public TimeSpan LogSummaryInterval { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (severity, within) in RespondWithin)
        {
            if (severity is not ("critical" or "warning" or "info"))
            {
                yield return new ValidationResult($"Alerts:RespondWithin:{severity}: the severity must be critical, warning or info");
            }
            else if (within <= TimeSpan.Zero || within > TimeSpan.FromDays(30))
            {
                yield return new ValidationResult($"Alerts:RespondWithin:{severity} must be between 1 s and 30 days");
            }
        }
    }
}
