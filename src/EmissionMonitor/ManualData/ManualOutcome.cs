using EmissionMonitor.Compliance.Manual;
using EmissionMonitor.Outcomes;

namespace EmissionMonitor.ManualData;

/// <summary>What a manual-data action gave: the sample, or why it was refused (and the bad parameter).</summary>
public sealed record ManualOutcome(ManualSample? Sample, Refusal Refusal, string? Parameter = null, string? Problem = null)
{
    /// <summary>True when the step filed a new sample, false when it changed one.</summary>
    public bool Created { get; init; }

    public static ManualOutcome Fail(Refusal refusal, string problem, string? parameter = null) => new(null, refusal, parameter, problem);
}

/// <summary>The fields of a filing, as sent (text), checked by <see cref="ManualDataService.CreateAsync"/>.</summary>
public sealed record ManualFiling(string? Mn, string? Pollutant, string? SampledAt, string? Value, string? Unit, string? Flow, string? Comment);
