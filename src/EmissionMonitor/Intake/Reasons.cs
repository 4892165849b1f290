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
    public const string Duplicate = "duplicate";
    public const string DuplicateConflict = "duplicate-conflict";
}
