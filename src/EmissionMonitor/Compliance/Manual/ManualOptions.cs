using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Compliance.Manual;

/// <summary>Manual monitoring data (configuration section <c>Manual</c>; DOMAIN.md §0.2).</summary>
public sealed class ManualOptions : IValidatableObject
{
    public const string Section = "Manual";

    /// <summary>How many hours an approved sample stands for, its own hour first (6: provinces ask for a sample at least every 6 h).</summary>
    [Range(1, 24, ErrorMessage = "Manual:CoversHours must be between 1 and 24")]
    public int CoversHours { get; set; } = 6;

    /// <summary>The kinds of mark a manual sample must lie in (an outage or a fault), pending or approved.</summary>
    public string[] MarkKinds { get; set; } = [Marks.Mark.Communication, Marks.Mark.Fault];

    /// <summary>An enterprise files at most this many samples a local day (hostile input; withdrawn ones count).</summary>
    [Range(1, 10_000, ErrorMessage = "Manual:MaxFilingsPerDay must be between 1 and 10000")]
    public int MaxFilingsPerDay { get; set; } = 200;

    /// <summary>A filing needs its monitoring report as a PDF (true).</summary>
    public bool RequireReport { get; set; } = true;

    /// <summary>The highest value accepted (a bound on hostile input; far above any real concentration).</summary>
    [Range(1.0, 1e9, ErrorMessage = "Manual:MaxValue must be between 1 and 1e9")]
    public double MaxValue { get; set; } = 1_000_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var kind in MarkKinds.Where(k => !Marks.Mark.Kinds.Contains(k, StringComparer.Ordinal)))
        {
            yield return new ValidationResult($"Manual:MarkKinds: '{kind}' is not a mark kind ({string.Join(", ", Marks.Mark.Kinds)})", [nameof(MarkKinds)]);
        }

        if (MarkKinds.Length == 0)
        {
            yield return new ValidationResult("Manual:MarkKinds: needs at least one mark kind", [nameof(MarkKinds)]);
        }
    }
}
