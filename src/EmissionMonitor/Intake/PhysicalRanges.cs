using EmissionMonitor.Hj212.Codes;

namespace EmissionMonitor.Intake;

/// <summary>
/// The physical plausibility of a value: configured ranges first, then defaults (no negative
/// concentration, flow or amount; pH 0–14; O2 0–25 %). Codes without a rule accept any finite value.
/// </summary>
public sealed class PhysicalRanges(IReadOnlyDictionary<string, RangeOption> configured)
{
    /// <summary>Null when plausible, else the reason the value is invalid.</summary>
    public string? Check(string code, string suffix, double value)
    {
        if (!double.IsFinite(value))
        {
            return "not-finite";
        }

        (double? min, double? max) = configured.TryGetValue(code, out var r) ? (r.Min, r.Max) : Default(code, suffix);
        return (min is { } lo && value < lo) || (max is { } hi && value > hi) ? "out-of-range" : null;
    }

    private static (double?, double?) Default(string code, string suffix) => code switch
    {
        "w01001" => (0, 14),
        CodeCatalogue.Oxygen => (0, 25),
        _ when suffix == "Cou" => (0, null),
        _ when CodeCatalogue.Find(code) is { CouUnit: not null } => (0, null),
        _ => (null, null),
    };
}
