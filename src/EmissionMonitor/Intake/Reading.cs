namespace EmissionMonitor.Intake;

/// <summary>
/// One pollutant's values in one record of one outlet: unique per (Mn, Cn, Period, Pollutant).
/// <see cref="Period"/> is local time (Compliance:TimeZone): the DataTime floored to the hour for
/// 2061 and to the day for 2031, as sent for 2011/2051. <see cref="Flag"/> is as sent (null when the
/// terminal sent none); <see cref="Invalid"/> names why a value is unusable (not finite, out of range);
/// <see cref="RawAvg"/> is HJ 212-2025's
/// <c>-RawAvg</c> (the mean before correction); <see cref="Rf"/> is the HJ 212-2025 back-fill mark of the frame that brought it (1, or null). A
/// resend that differs only in RF is a plain duplicate: first wins.
/// </summary>
public sealed record Reading(
    string Mn,
    string Cn,
    DateTime Period,
    string Pollutant,
    double? Rtd = null,
    double? Avg = null,
    double? Min = null,
    double? Max = null,
    double? Cou = null,
    double? ZsRtd = null,
    double? ZsAvg = null,
    string? Flag = null,
    string? Invalid = null,
    int? Rf = null,
    double? RawAvg = null)
{
    /// <summary>True for an hour derived from minute records (<see cref="Compliance.Validity.DerivedHours"/>), never stored: made where hours are read.</summary>
    public bool Derived { get; init; }

    /// <summary>True when two readings carry the same values (a resend), whatever their arrival.</summary>
    public bool SameValues(Reading other) =>
        Rtd == other.Rtd && Avg == other.Avg && Min == other.Min && Max == other.Max && Cou == other.Cou
        && ZsRtd == other.ZsRtd && ZsAvg == other.ZsAvg && RawAvg == other.RawAvg && string.Equals(Flag, other.Flag, StringComparison.Ordinal);
}
