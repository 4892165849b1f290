namespace EmissionMonitor.Intake;

/// <summary>Why a frame was not taken as data (DESIGN.md, intake reasons), beside the decode errors.</summary>
public static class Reasons
{
    public const string UnknownMn = "unknown-mn";
    public const string BadPassword = "bad-password";
    public const string TopicMismatch = "topic-mismatch";
    public const string MissingField = "missing-field";
    public const string BadDataTime = "bad-datatime";
    public const string FutureDataTime = "future-datatime";
    public const string TooOld = "too-old";
    public const string Throttled = "throttled";
    public const string TooLarge = "too-large";
    public const string Duplicate = "duplicate";
    public const string DuplicateConflict = "duplicate-conflict";

    /// <summary>HJ 212-2025: a plain frame of a CN that must be encrypted, from a terminal whose encryption is <c>required</c>.</summary>
    public const string NotEncrypted = "not-encrypted";

    /// <summary>
    /// True for a rejection of a frame that was never authenticated (unreadable, unknown MN, wrong
    /// password, throttled, too large): what may be dropped unarchived when the disk runs low.
    /// </summary>
    public static bool IsUnauthenticated(string? reason) =>
        reason is not null and not (TopicMismatch or MissingField or BadDataTime or FutureDataTime or TooOld or Duplicate or DuplicateConflict or NotEncrypted);
}
