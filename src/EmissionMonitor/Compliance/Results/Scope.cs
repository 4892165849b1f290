namespace EmissionMonitor.Compliance.Results;

/// <summary>
/// What a result row is about: an outlet and pollutant, or a grouping of them (enterprise, city,
/// province); members a grouping removes are null (DESIGN.md, report JSON). <see cref="Code"/> is
/// the outlet's national code (DA001) and <see cref="PermitNumber"/> the enterprise's permit number,
/// when the registry gives them.
/// </summary>
public sealed record Scope(string? Mn, string? Enterprise, string? EnterpriseName, string? City, string? Pollutant, string? Code = null, string? PermitNumber = null)
{
    /// <summary>The order of DESIGN.md: city, enterprise, mn, pollutant.</summary>
    public static IComparer<Scope> Order { get; } = Comparer<Scope>.Create((a, b) =>
    {
        int c = string.CompareOrdinal(a.City, b.City);
        c = c != 0 ? c : string.CompareOrdinal(a.Enterprise, b.Enterprise);
        c = c != 0 ? c : string.CompareOrdinal(a.Mn, b.Mn);
        return c != 0 ? c : string.CompareOrdinal(a.Pollutant, b.Pollutant);
    });
}
