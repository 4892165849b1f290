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

    /// <summary>Physical ranges per 2017 code: a value outside is stored but invalid ("out-of-range").</summary>
    public Dictionary<string, RangeOption> Ranges { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>A physical range, either bound optional.</summary>
public sealed class RangeOption
{
    public double? Min { get; set; }

    public double? Max { get; set; }
}
