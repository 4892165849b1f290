using System.Security.Cryptography;
using EmissionMonitor.Compliance.Marks;

namespace EmissionMonitor.Compliance.Manual;

/// <summary>One step in a manual sample's life: who did what, when, with which comment.</summary>
public sealed record ManualStep(DateTimeOffset At, string By, string Action, string? Comment);

/// <summary>
/// A manual monitoring result (手工监测值录入, a mark class of the MEE 2022 marking rule; DOMAIN.md
/// §0.2): an enterprise's hand-sampled value of one pollutant at one outlet, filed with its monitoring
/// report during an outage or fault mark of its own. It is <c>pending</c> until an operator approves
/// or rejects it (as marks are); the enterprise may withdraw it while pending, an operator revoke it
/// once approved. Only an approved sample changes figures: it stands for the hours
/// [<see cref="CoverFrom"/>, <see cref="CoverTo"/>) — its own hour and up to <c>Manual:CoversHours</c>
/// in all, within the mark it was filed under, cut at the next approved sample's hour
/// (<see cref="ManualHours"/>).
/// </summary>
public sealed class ManualSample
{
    public const string Pending = "pending", Approved = "approved", Rejected = "rejected", Withdrawn = "withdrawn", Revoked = "revoked";

    public static IReadOnlyList<string> States { get; } = [Pending, Approved, Rejected, Withdrawn, Revoked];

    public required string Id { get; init; }

    public required string Mn { get; init; }

    public required string Pollutant { get; init; }

    /// <summary>When the sample was taken (local time).</summary>
    public DateTime SampledAt { get; init; }

    /// <summary>The concentration as compared with the limit (a gas outlet's: O2-corrected where the outlet's limits are), in <see cref="Unit"/>.</summary>
    public double Value { get; init; }

    /// <summary><c>mg/m3</c> (gas) or <c>mg/L</c> (water).</summary>
    public required string Unit { get; init; }

    /// <summary>The flow measured with the sample, m³/h (null: not measured; the hour's own flow record, else its neighbours', serves totals).</summary>
    public double? Flow { get; init; }

    public string? Comment { get; init; }

    /// <summary>The enterprise that filed it.</summary>
    public required string Enterprise { get; init; }

    /// <summary>The mark (communication or fault) it was filed under.</summary>
    public required string MarkId { get; init; }

    /// <summary>The first hour it stands for (the sample's hour).</summary>
    public DateTime CoverFrom { get; init; }

    /// <summary>The end of the hours it may stand for: <c>Manual:CoversHours</c> after its hour, and no later than its mark's end.</summary>
    public DateTime CoverTo { get; init; }

    public required string By { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public string State { get; set; } = Pending;

    public string? DecidedBy { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? DecisionComment { get; set; }

    /// <summary>Its evidence: the monitoring report (PDF) and any further files.</summary>
    public List<EvidenceFile> Evidence { get; init; } = [];

    public List<ManualStep> History { get; init; } = [];

    /// <summary>True while it changes figures.</summary>
    public bool IsActive => State == Approved;

    /// <summary>A new id: time-ordered and unguessable.</summary>
    public static string NewId(DateTimeOffset now) => $"md-{now.ToUnixTimeMilliseconds():x}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
}
