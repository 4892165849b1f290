namespace EmissionMonitor.Registry;

/// <summary>
/// A facility of an enterprise whose power or current its terminals send (HJ 212-2025 ST=44, DOMAIN.md
/// §0.4): a production facility or a pollution-treatment facility, the code that carries its value
/// (any code: <c>d20105</c>, <c>d30106</c> …), the value above which it runs, for a treatment facility
/// the production facilities it serves, and the outlets whose terminals send its data (and whose
/// emissions it treats). Codes and thresholds are configuration: the standard's code tables were not
/// available.
/// </summary>
public sealed record Facility(string Id, string Name, string Kind, string Code, string? Unit, double OnAbove, IReadOnlyList<string> Serves, IReadOnlyList<string> Outlets)
{
    public const string Production = "production", Treatment = "treatment";

    public static IReadOnlyList<string> Kinds { get; } = [Production, Treatment];

    /// <summary>True when <paramref name="value"/> says the facility runs.</summary>
    public bool Runs(double value) => value > OnAbove;

    /// <summary>
    /// A production facility's declared state (HJ 212-2025 ST=45 key production conditions, e.g.
    /// <c>p99101</c>): the code whose values say it runs above <see cref="DeclaredOnAbove"/>; null when
    /// none is sent. The standard's value tables were not available: both are the registry's.
    /// </summary>
    public string? DeclaredCode { get; init; }

    /// <summary>The declared value above which the facility says it runs (0: any positive value).</summary>
    public double DeclaredOnAbove { get; init; }

    /// <summary>The same facility read from its declared values (for the episodes of its declared state).</summary>
    public Facility Declared() => this with { Code = DeclaredCode ?? Code, OnAbove = DeclaredOnAbove };
}
