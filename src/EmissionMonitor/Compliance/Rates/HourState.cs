namespace EmissionMonitor.Compliance.Rates;

/// <summary>
/// One hour of an outlet's assessed pollutant, and why it counts as it does: <c>valid</c>,
/// <c>invalid</c> (with its flag or reason), <c>missing</c>, <c>exempt</c> (exempt flag or a
/// shutdown/force-majeure mark) or <c>excused</c> (M/C under a maintenance/calibration mark);
/// <see cref="Reason"/> is the stable code of why (<see cref="HourReasons"/>, the checks catalogue);
/// <see cref="Derived"/> is true for an hour derived from minute records.
/// </summary>
public sealed record HourState(DateTime Hour, string State, string? Flag, string? Detail, string? Reason = null, bool Derived = false)
{
    public const string Valid = "valid";
    public const string Invalid = "invalid";
    public const string Missing = "missing";
    public const string Exempt = "exempt";
    public const string Excused = "excused";
}

/// <summary>The stable codes of why an hour counts as it does (the checks catalogue's <c>validity</c> category).</summary>
public static class HourReasons
{
    public const string Valid = "valid", Missing = "missing", ExemptFlag = "exempt-flag", ExemptMark = "exempt-mark", ExcusedMark = "excused-mark",
        InvalidFlag = "invalid-flag", NoValue = "no-value", OutOfRange = "out-of-range", NotFinite = "not-finite", Suspect = "suspect",
        TooFewMinutes = Validity.DerivedHours.TooFewMinutes, ManualData = "manual-data";

    /// <summary>The code of an invalid reading's reason: its range check (<c>"Avg out-of-range"</c>), its flag, or no value.</summary>
    public static string OfInvalid(string? invalid, string flag) => invalid switch
    {
        { } text when text.EndsWith(NotFinite, StringComparison.Ordinal) => NotFinite,
        TooFewMinutes => TooFewMinutes,
        { } => OutOfRange,
        null when flag != "N" => InvalidFlag,
        _ => NoValue,
    };
}
