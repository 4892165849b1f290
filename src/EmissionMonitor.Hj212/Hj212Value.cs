namespace EmissionMonitor.Hj212;

/// <summary>
/// One <c>code-Suffix=value</c> item of the CP area, normalised: <see cref="Code"/> is the 2017 code
/// (2005 codes translated), <see cref="Suffix"/> in the standard's case. <see cref="Number"/> is the
/// invariant parse of <see cref="Text"/> for numeric suffixes, null otherwise or when unparseable.
/// </summary>
public sealed record Hj212Value(string Code, string SentCode, string Suffix, string Text, decimal? Number)
{
    /// <summary>The key the decode output uses: <c>CODE-Suffix</c>.</summary>
    public string Key { get; } = Code + "-" + Suffix;

    /// <summary>True for suffixes whose values are text (flags, info, serial numbers, times).</summary>
    public bool IsText => Suffixes.IsText(Suffix);
}
