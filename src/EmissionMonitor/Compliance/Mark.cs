namespace EmissionMonitor.Compliance;

/// <summary>
/// An operator mark on an outlet for [From, To) local time: <c>shutdown</c> and <c>force-majeure</c>
/// remove hours from the expected count; <c>maintenance</c> and <c>calibration</c> excuse hours
/// flagged M or C.
/// </summary>
public sealed record Mark(string Mn, string Kind, DateTime From, DateTime To, string? Comment = null)
{
    public const string Shutdown = "shutdown";
    public const string ForceMajeure = "force-majeure";
    public const string Maintenance = "maintenance";
    public const string Calibration = "calibration";

    public static IReadOnlyList<string> Kinds { get; } = [Shutdown, ForceMajeure, Maintenance, Calibration];

    public bool Covers(DateTime hourStart) => hourStart >= From && hourStart.AddHours(1) <= To;

    public bool Exempts => Kind is Shutdown or ForceMajeure;

    public bool Excuses => Kind is Maintenance or Calibration;
}
