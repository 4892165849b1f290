using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Security;

/// <summary>HJ 212-2025 terminal keys (configuration section <c>Security</c>).</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>After a new key, the previous one still decrypts for this long (frames in flight). Default 1 day.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00", ErrorMessage = "Security:KeyGrace must be between 0 and 30 days")]
    public TimeSpan KeyGrace { get; set; } = TimeSpan.FromDays(1);

    /// <summary>A key older than this raises a <c>key-age</c> alert (the standard rotates keys every 90 days). Default 90 days.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00", ErrorMessage = "Security:KeyMaxAge must be between 1 and 3650 days")]
    public TimeSpan KeyMaxAge { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// A CN 1014 request within this time of the terminal's last rotation gets the same new key
    /// again instead of another one (a lost answer is re-sent; a terminal asking in a loop cannot
    /// grow the store). Default 1 hour.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00", ErrorMessage = "Security:KeyRotationInterval must be between 0 and 30 days")]
    public TimeSpan KeyRotationInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Answer a terminal's CN 1014 new-key request with a fresh key (UNVERIFIED exchange, after
    /// <c>caoyiliang/HJ212</c>: the request carries <c>SKCreateTime</c>, the answer CN 1014 with
    /// <c>SKCreateTime</c> and <c>NewSK</c>, encrypted with the current key). Default true.
    /// </summary>
    public bool AnswerKeyRequests { get; set; } = true;
}
