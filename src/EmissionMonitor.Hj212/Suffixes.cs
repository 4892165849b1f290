namespace EmissionMonitor.Hj212;

/// <summary>The per-pollutant suffixes of the CP area (STD17 表4 and those seen in the field).</summary>
public static class Suffixes
{
    /// <summary>Real-time value.</summary>
    public const string Rtd = "Rtd";

    /// <summary>Period mean.</summary>
    public const string Avg = "Avg";

    /// <summary>Period minimum.</summary>
    public const string Min = "Min";

    /// <summary>Period maximum.</summary>
    public const string Max = "Max";

    /// <summary>Cumulative amount over the period (kg for pollutants, m³ for flows).</summary>
    public const string Cou = "Cou";

    /// <summary>Oxygen-corrected period mean.</summary>
    public const string ZsAvg = "ZsAvg";

    /// <summary>Oxygen-corrected real-time value.</summary>
    public const string ZsRtd = "ZsRtd";

    /// <summary>HJ 212-2025: the period mean before correction (e.g. <c>a34013-RawAvg</c>).</summary>
    public const string RawAvg = "RawAvg";

    /// <summary>Data flag (N, F, M, S, D, C, T, B, …).</summary>
    public const string Flag = "Flag";

    private static readonly string[] Known =
    [
        Rtd, Avg, Min, Max, Cou, ZsRtd, ZsAvg, "ZsMin", "ZsMax", "ZsCou", "ZsFlag", Flag, "EFlag",
        "SampleTime", "Info", "SN", "RS", "RT", "Ala", "Data", "DayData", "NightData", "ValidNum",
        "TotalNum", "SampleRd", "StandardValue", "ResultType", RawAvg, "CompleteTime", "SampleType",
    ];

    private static readonly Dictionary<string, string> Canonical =
        Known.ToDictionary(s => s, s => s, StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> Text =
        new(["Flag", "EFlag", "Info", "SN", "SampleTime", "CompleteTime", "ZsFlag"], StringComparer.Ordinal);

    private static readonly string[] Common = [Rtd, Avg, Flag, Cou, Min, Max, ZsRtd, ZsAvg];

    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> CanonicalSpan = Canonical.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The standard's spelling of a suffix sent in any case; unknown suffixes as sent.</summary>
    public static string Normalise(string suffix) => Canonical.TryGetValue(suffix, out var c) ? c : suffix;

    /// <summary>
    /// The standard's spelling of a suffix as sent (bytes); unknown suffixes as sent, their text
    /// read as Latin-1 when <paramref name="latin1"/> (the frame is not UTF-8), else as UTF-8.
    /// </summary>
    public static string Normalise(ReadOnlySpan<byte> suffix, bool latin1 = false)
    {
        // The suffixes of nearly every item, compared on the bytes: no conversion, no hashing.
        foreach (string common in Common)
        {
            if (suffix.Length == common.Length && System.Text.Ascii.EqualsIgnoreCase(suffix, common))
            {
                return common;
            }
        }

        if (suffix.Length <= 16 && System.Text.Ascii.IsValid(suffix))
        {
            Span<char> chars = stackalloc char[suffix.Length];
            System.Text.Ascii.ToUtf16(suffix, chars, out _);
            return CanonicalSpan.TryGetValue(chars, out var known) ? known : new string(chars);
        }

        return Normalise(latin1 ? System.Text.Encoding.Latin1.GetString(suffix) : System.Text.Encoding.UTF8.GetString(suffix));
    }

    /// <summary>True for suffixes whose values are strings in the decode output.</summary>
    public static bool IsText(string suffix) => Text.Contains(suffix);
}
