using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Storage;

/// <summary>
/// How long each kind of data is kept (configuration section <c>Retention</c>); an age of zero
/// keeps that kind for ever. Pruning runs in the running service only (<c>import</c> and
/// <c>report</c> never remove anything), in the background, a chunk per transaction so commits go on.
/// </summary>
public sealed class RetentionOptions : IValidatableObject
{
    public const string Section = "Retention";

    /// <summary>Real-time records (CN=2011) and their raw frames. Default 180 days.</summary>
    public TimeSpan RealTime { get; set; } = TimeSpan.FromDays(180);

    /// <summary>Minute records (CN=2051; HJ 212-2025 raw data 2013 and furnace temperatures 2111) and their raw frames. Default 180 days.</summary>
    public TimeSpan Minute { get; set; } = TimeSpan.FromDays(180);

    /// <summary>Hourly and daily records (2061, 2031) and their raw frames. Default: kept (0).</summary>
    public TimeSpan Hourly { get; set; }

    /// <summary>Every other archived frame: other CNs (heartbeats, replies, alarms, state) and rejected frames. Default 365 days.</summary>
    public TimeSpan Events { get; set; } = TimeSpan.FromDays(365);

    /// <summary>The day facts and exceeding hours the reports read. Default: kept (0).</summary>
    public TimeSpan Summaries { get; set; }

    /// <summary>Cleared alerts, counted from their clearing. Default 400 days (a year's reports and the next quarter's look back).</summary>
    public TimeSpan Alerts { get; set; } = TimeSpan.FromDays(400);

    /// <summary>How often the service prunes. Default 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Retention:Interval must be between 1 second and 7 days")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows removed per transaction. Default 5,000.</summary>
    [Range(100, 1_000_000, ErrorMessage = "Retention:BatchRows must be between 100 and 1000000")]
    public int BatchRows { get; set; } = 5000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, age) in new[] { ("RealTime", RealTime), ("Minute", Minute), ("Hourly", Hourly), ("Events", Events), ("Summaries", Summaries), ("Alerts", Alerts) })
        {
            if (age < TimeSpan.Zero)
            {
                yield return new ValidationResult($"Retention:{name} must not be negative (0 keeps that data for ever)");
            }
        }
    }
}

/// <summary>
/// What one pruning pass removes: frames of each retention class received before a time, readings
/// of each CN whose period is before a local time, summaries before a local day. Null keeps.
/// </summary>
public sealed record RetentionPlan(
    IReadOnlyDictionary<int, DateTimeOffset> FramesBefore,
    IReadOnlyDictionary<string, DateTime> ReadingsBefore,
    DateTime? SummariesBefore,
    int BatchRows)
{
    /// <summary>The plan of the options at <paramref name="now"/>.</summary>
    public static RetentionPlan Of(RetentionOptions options, DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var frames = new Dictionary<int, DateTimeOffset>();
        var readings = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        void Kind(int cls, TimeSpan age, params string[] cns)
        {
            if (age > TimeSpan.Zero)
            {
                frames[cls] = now - age;
                foreach (var cn in cns)
                {
                    readings[cn] = local - age;
                }
            }
        }

        Kind(Sqlite.FrameBlocks.RealTime, options.RealTime, Hj212.Cns.RealTime);
        Kind(Sqlite.FrameBlocks.Minute, options.Minute, Hj212.Cns.Minute, Hj212.Cns.RawData, Hj212.Cns.FurnaceTemperature);
        Kind(Sqlite.FrameBlocks.Data, options.Hourly, Hj212.Cns.Hourly, Hj212.Cns.Daily);
        Kind(Sqlite.FrameBlocks.Events, options.Events);
        return new RetentionPlan(frames, readings, options.Summaries > TimeSpan.Zero ? (local - options.Summaries).Date : null, options.BatchRows);
    }
}

/// <summary>What a pruning pass removed.</summary>
public readonly record struct PruneResult(long Frames, long Readings, long Summaries)
{
    public static PruneResult operator +(PruneResult a, PruneResult b) => new(a.Frames + b.Frames, a.Readings + b.Readings, a.Summaries + b.Summaries);
}
