using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Compliance;

/// <summary>The city target barometer (晴雨表; configuration section <c>Barometer</c>).</summary>
public sealed class BarometerOptions : IValidatableObject
{
    public const string Section = "Barometer";

    /// <summary>Progress (year to date ÷ expected to date) from which a city is yellow (0.9).</summary>
    [Range(0.0, 100.0, ErrorMessage = "Barometer:YellowAt must be between 0 and 100")]
    public double YellowAt { get; set; } = 0.9;

    /// <summary>Progress up to and including which a city is still yellow; above it red (1.0).</summary>
    [Range(0.0, 100.0, ErrorMessage = "Barometer:RedAt must be between 0 and 100")]
    public double RedAt { get; set; } = 1.0;

    /// <summary>How often the running service recomputes the barometer to raise <c>barometer</c> alerts on a change of level (1 h).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Barometer:CheckInterval must be between 1 s and 7 days")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (YellowAt > RedAt)
        {
            yield return new ValidationResult($"Barometer:YellowAt ({YellowAt}) must not be above Barometer:RedAt ({RedAt})");
        }
    }

    /// <summary><c>green</c> below YellowAt, <c>yellow</c> up to and including RedAt, <c>red</c> above; green when nothing is expected yet.</summary>
    public string Level(double? progress) => progress switch
    {
        null => "green",
        var p when p < YellowAt => "green",
        var p when p <= RedAt => "yellow",
        _ => "red",
    };
}
