using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Compliance.Totals;

/// <summary>
/// How totals stand in for what monitoring missed (configuration section <c>Totals</c>; DOMAIN.md
/// §0.2): <see cref="Substitution"/> <c>hj75</c> fills a non-exempt hour without a valid value for
/// totals only — a gap of at most <see cref="ShortGapHours"/> with the mean of the valid hour just
/// before and just after, a longer one with the highest valid hourly value of the
/// <see cref="LookbackHours"/> valid hours before it (UNVERIFIED: the HJ 75-2017 table was not
/// found; kept configurable) — or <c>none</c>. A period whose share of such hours is above
/// <see cref="MaxMissingShare"/> cannot stand as the actual emissions (the 25 % rule).
/// </summary>
public sealed class TotalsOptions
{
    public const string Section = "Totals";

    public const string Hj75 = "hj75", None = "none";

    /// <summary><c>hj75</c> (default) or <c>none</c>.</summary>
    [RegularExpression("^(hj75|none)$", ErrorMessage = "Totals:Substitution must be hj75 or none")]
    public string Substitution { get; set; } = Hj75;

    /// <summary>The longest gap (hours) filled with the mean of its neighbours (24).</summary>
    [Range(1, 8784, ErrorMessage = "Totals:ShortGapHours must be between 1 and 8784")]
    public int ShortGapHours { get; set; } = 24;

    /// <summary>How many valid hours before a longer gap its fill is the highest of (720).</summary>
    [Range(1, 8784, ErrorMessage = "Totals:LookbackHours must be between 1 and 8784")]
    public int LookbackHours { get; set; } = 720;

    /// <summary>The largest share of non-exempt hours without a valid value for which monitoring stands as the actual emissions (0.25).</summary>
    [Range(0.0, 1.0, ErrorMessage = "Totals:MaxMissingShare must be between 0 and 1")]
    public double MaxMissingShare { get; set; } = 0.25;

    /// <summary>
    /// True: for an outlet without <c>activeFrom</c> in the registry, operation starts on the local day
    /// of its first record — the hours before are neither gaps nor filled, so the months before a new
    /// outlet was connected do not make its monitoring unusable; an outlet that never sent anything is
    /// then not in operation at all (no gap, nothing unusable). False (default): every hour of its
    /// active dates counts, a silent outlet is 100 % missing.
    /// </summary>
    public bool InOperationFromFirstRecord { get; set; }

    public bool Substitutes => Substitution == Hj75;

    /// <summary>Clock hours searched back for the lookback's valid hours (three times as many: a bounded read).</summary>
    public int LookbackSpanHours => LookbackHours * 3;
}
