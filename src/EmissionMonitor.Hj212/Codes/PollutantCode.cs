namespace EmissionMonitor.Hj212.Codes;

/// <summary>Which kind of outlet a code belongs to.</summary>
public enum MediumKind
{
    /// <summary>Wastewater (w…).</summary>
    Water,

    /// <summary>Flue gas (a…).</summary>
    Gas,

    /// <summary>Neither: HJ 212-2025's electricity monitoring (d…), production conditions (p…) and the terminal's information (i…).</summary>
    Other,
}

/// <summary>
/// One entry of the HJ 212-2017 Appendix B catalogue: the 2017 code, the 2005 code it replaced (if
/// any), its name, the default unit of concentrations/values and of <c>-Cou</c> amounts.
/// </summary>
public sealed record PollutantCode(
    string Code,
    string? Code2005,
    string Name,
    string EnglishName,
    string Unit,
    string? CouUnit,
    MediumKind Medium);
