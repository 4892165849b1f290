namespace EmissionMonitor.Users;

/// <summary>
/// What one user may file and ask for — periods, marks, comments, evidence — read from the
/// configuration section <c>Api</c> (their keys have always been <c>Api:*</c>). The features that
/// enforce them (marks, orders, evidence, commands) depend on this, not on the HTTP side.
/// </summary>
public class UserLimits
{
    /// <summary>The longest report or query period; a longer one is a 400 at once. Default 3,660 days.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "1.00:00:00", "36600.00:00:00", ErrorMessage = "Api:MaxPeriod must be between 1 and 36600 days")]
    public TimeSpan MaxPeriod { get; set; } = TimeSpan.FromDays(3660);

    /// <summary>The longest span of one mark. Default 366 days.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "01:00:00", "3660.00:00:00", ErrorMessage = "Api:MaxMarkSpan must be between 1 hour and 3660 days")]
    public TimeSpan MaxMarkSpan { get; set; } = TimeSpan.FromDays(366);

    /// <summary>The longest comment (marks, lifts, clearing an alert). Default 2,000 characters.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100_000, ErrorMessage = "Api:MaxCommentLength must be between 1 and 100000")]
    public int MaxCommentLength { get; set; } = 2000;

    /// <summary>The largest evidence file (a mark's, an order answer's). Default 10 MiB.</summary>
    [System.ComponentModel.DataAnnotations.Range(1024, 1024L * 1024 * 1024, ErrorMessage = "Api:MaxEvidenceBytes must be between 1024 and 1073741824")]
    public long MaxEvidenceBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Evidence files one mark or order may carry. Default 10.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1000, ErrorMessage = "Api:MaxEvidenceFiles must be between 1 and 1000")]
    public int MaxEvidenceFiles { get; set; } = 10;

    /// <summary>Evidence bytes one user may upload in a day (UTC), so one account cannot fill the disk for everyone. Default 500 MiB.</summary>
    [System.ComponentModel.DataAnnotations.Range(1024, 1L << 40, ErrorMessage = "Api:MaxEvidenceBytesPerDay must be between 1024 and 1099511627776")]
    public long MaxEvidenceBytesPerDay { get; set; } = 500L * 1024 * 1024;

    /// <summary>Pending marks one enterprise may have awaiting review at once. Default 500.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000, ErrorMessage = "Api:MaxPendingMarks must be between 1 and 1000000")]
    public int MaxPendingMarks { get; set; } = 500;
}
