namespace EmissionMonitor.Compliance.Rates;

/// <summary>
/// One hour of an outlet's assessed pollutant, and why it counts as it does: <c>valid</c>,
/// <c>invalid</c> (with its flag or reason), <c>missing</c>, <c>exempt</c> (exempt flag or a
/// shutdown/force-majeure mark) or <c>excused</c> (M/C under a maintenance/calibration mark).
/// </summary>
public sealed record HourState(DateTime Hour, string State, string? Flag, string? Detail)
{
    public const string Valid = "valid";
    public const string Invalid = "invalid";
    public const string Missing = "missing";
    public const string Exempt = "exempt";
    public const string Excused = "excused";
}
