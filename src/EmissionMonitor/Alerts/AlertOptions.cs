using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Alerts;

/// <summary>Alerts (configuration section <c>Alerts</c>).</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>An outlet with no accepted frame for this long raises a <c>silent</c> alert (1 h).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "Alerts:SilentAfter must be between 1 s and 30 days")]
    public TimeSpan SilentAfter { get; set; } = TimeSpan.FromHours(1);

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

    /// <summary>
    /// Real-time warnings (kind <c>warning</c>) come and go by the thousand: each is logged at Debug,
    /// and one Information line every this long says how many were raised and cleared (5 min).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Alerts:LogSummaryInterval must be between 1 s and 1 day")]
    public TimeSpan LogSummaryInterval { get; set; } = TimeSpan.FromMinutes(5);
}
