using System.Text.RegularExpressions;
using EmissionMonitor.Hj212.Codes;

namespace EmissionMonitor.Registry;

/// <summary>
/// The national identifiers official tables name (DOMAIN.md §0.2, 固定污染源(水、大气)编码规则): an
/// enterprise's permit number (排污许可证编号: its 18-character unified social credit code, a
/// three-digit serial and a letter, e.g. <c>91630100MA752XXX1K001P</c>) and an outlet's code under it
/// — <c>DA</c> and a serial for a gas outlet (DA001), <c>DW</c> for a water outlet (DW001). Both are
/// optional in the registry; when given they are checked at load.
/// </summary>
public static partial class Identifiers
{
    /// <summary>The problem with a permit number, or null when it is well formed (upper-case letters and digits, 8–40 of them).</summary>
    public static string? PermitProblem(string permit) =>
        PermitPattern().IsMatch(permit) ? null : $"permitNumber must be upper-case letters and digits (8 to 40, as on the permit, e.g. 91630100MA752XXX1K001P), not \"{Shown(permit)}\"";

    /// <summary>The problem with an outlet code for an outlet of <paramref name="kind"/>, or null when it is well formed.</summary>
    public static string? CodeProblem(string code, MediumKind kind)
    {
        if (!CodePattern().IsMatch(code))
        {
            return $"code must be DA or DW and a serial of 3 or 4 digits (DA001 gas, DW001 water), not \"{Shown(code)}\"";
        }

        string expected = kind == MediumKind.Gas ? "DA" : "DW";
        return code.StartsWith(expected, StringComparison.Ordinal) ? null : $"code {code} is for a {(kind == MediumKind.Gas ? "water" : "gas")} outlet; a {(kind == MediumKind.Gas ? "gas" : "water")} outlet's code starts with {expected}";
    }

    /// <summary>An outlet's name with its code, as tables show it: <c>1号锅炉排口（DA001）</c>.</summary>
    public static string NameWithCode(Outlet outlet) => outlet.Code is { } code ? $"{outlet.Name}（{code}）" : outlet.Name;

    /// <summary>True for a code of a measured quantity as HJ 212 writes it: a lower-case letter and five letters or digits (a21026, w01018, d20105, p99101).</summary>
    public static bool IsDataCode(string code) => DataCodePattern().IsMatch(code);

    private static string Shown(string text) => text.Length > 48 ? text[..48] + "…" : text;

    [GeneratedRegex("^[0-9A-Z]{8,40}$")]
    private static partial Regex PermitPattern();

    [GeneratedRegex("^[a-z][0-9a-z]{5}$")]
    private static partial Regex DataCodePattern();

    [GeneratedRegex("^D[AW][0-9]{3,4}$")]
    private static partial Regex CodePattern();
}
