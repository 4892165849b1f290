using EmissionMonitor.Outcomes;
using EmissionMonitor.Compliance.Marks;

namespace EmissionMonitor.Marking;

/// <summary>What a mark action gave: the mark, or why it was refused (and the bad parameter).</summary>
public sealed record MarkOutcome(Mark? Mark, Refusal Refusal, string? Parameter = null, string? Problem = null)
{
    /// <summary>True when the step made a new mark (filed), false when it changed one.</summary>
    public bool Created { get; init; }

    public static MarkOutcome Fail(Refusal refusal, string problem, string? parameter = null) => new(null, refusal, parameter, problem);
}

/// <summary>Filing marks (configuration section <c>Marks</c>).</summary>
public sealed class MarkOptions
{
    public const string Section = "Marks";

    /// <summary>Marks one enterprise may file in a local day, withdrawn ones included. Default 50.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100_000, ErrorMessage = "Marks:MaxFilingsPerDay must be between 1 and 100000")]
    public int MaxFilingsPerDay { get; set; } = 50;
}
