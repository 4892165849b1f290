using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Intake;

/// <summary>Intake checks (configuration section <c>Intake</c>).</summary>
public sealed class IntakeOptions
{
    public const string Section = "Intake";

    /// <summary>How far DataTime may lie in the future on live transports (clock skew). Default 10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00", ErrorMessage = "Intake:MaxFutureSkew must be between 0 and 7 days")]
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How old DataTime may be on live transports. Default 400 days.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00", ErrorMessage = "Intake:MaxAge must be between 1 minute and 3650 days")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(400);

    /// <summary>How long a split packet's parts are awaited. Default 10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Intake:SplitTimeout must be between 1 s and 1 day")]
    public TimeSpan SplitTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The largest frame or MQTT payload taken in (16 KiB: an SM4-encrypted HJ 212-2025 frame is about
    /// five times its plain size). A larger MQTT payload is archived as its first 1 KiB with reason
    /// <c>too-large</c>; a larger MQTT packet closes the connection before it is read.
    /// </summary>
    [Range(1024, 16 * 1024 * 1024, ErrorMessage = "Intake:MaxFrameBytes must be between 1024 and 16777216")]
    public int MaxFrameBytes { get; set; } = 16 * 1024;

    /// <summary>How much of a run of garbage (bytes before a frame header) is archived; its byte count is kept too. Default 1 KiB.</summary>
    [Range(64, 1024 * 1024, ErrorMessage = "Intake:MaxArchivedGarbage must be between 64 and 1048576")]
    public int MaxArchivedGarbage { get; set; } = 1024;

    /// <summary>Failed logins of one MN from one address before that pair is locked out (0: no throttling). Default 5.</summary>
    [Range(0, 1_000_000, ErrorMessage = "Intake:MaxLoginFailures must be between 0 and 1000000")]
    public int MaxLoginFailures { get; set; } = 5;

    /// <summary>The window in which failures count, and how long a lock-out lasts. Default 1 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Intake:LoginLockout must be between 1 s and 1 day")]
    public TimeSpan LoginLockout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Physical ranges per 2017 code: a value outside is stored but invalid ("out-of-range").</summary>
    public Dictionary<string, RangeOption> Ranges { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>A physical range, either bound optional.</summary>
public sealed class RangeOption
{
    public double? Min { get; set; }

    public double? Max { get; set; }
}
