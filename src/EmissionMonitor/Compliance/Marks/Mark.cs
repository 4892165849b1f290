using System.Security.Cryptography;
using System.Text;

namespace EmissionMonitor.Compliance.Marks;

/// <summary>
/// A mark on an outlet for [From, To) local time, of one of the national platform's classes; what it
/// does to the rate is its kind's <see cref="MarkEffect"/> (by default <c>shutdown</c>,
/// <c>force-majeure</c> and <c>communication</c> exempt the hours, <c>maintenance</c>,
/// <c>calibration</c> and <c>fault</c> excuse hours flagged M, C and D). An operator's mark is
/// approved when filed; an enterprise's is <c>pending</c> until an operator approves or rejects it;
/// a pending mark may be withdrawn and an approved one revoked (<c>revoked</c>). Only approved marks
/// change figures. A mark is never deleted: each change is a later row of the same mark with a
/// higher <see cref="Rev"/>, and <see cref="Latest"/> reads the newest.
/// </summary>
public sealed record Mark(string Mn, string Kind, DateTime From, DateTime To, string? Comment = null)
{
    public const string Shutdown = "shutdown";
    public const string ForceMajeure = "force-majeure";
    public const string Maintenance = "maintenance";
    public const string Calibration = "calibration";
    public const string Fault = "fault";
    public const string Communication = "communication";

    public const string Pending = "pending", Approved = "approved", Rejected = "rejected", RevokedState = "revoked";

    public static IReadOnlyList<string> Kinds { get; } = [Shutdown, ForceMajeure, Maintenance, Calibration, Fault, Communication];

    public static IReadOnlyList<string> States { get; } = [Pending, Approved, Rejected, RevokedState];

    /// <summary>The mark's id; marks recorded before ids existed get one derived from their content (<see cref="Key"/>).</summary>
    public string? Id { get; init; }

    /// <summary>Who recorded it (null for marks recorded before authors were kept).</summary>
    public string? By { get; init; }

    /// <summary>When it was recorded.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Its revocation (or an enterprise's withdrawal of its pending mark), or null while it stands.</summary>
    public Revocation? Revoked { get; init; }

    /// <summary><c>pending</c>, <c>approved</c> or <c>rejected</c> as decided (null for marks recorded before review existed: approved).</summary>
    public string? Decision { get; init; }

    /// <summary>Who approved or rejected it (for an operator's own mark: the operator), when, and why.</summary>
    public string? DecidedBy { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    public string? DecisionComment { get; init; }

    /// <summary>The enterprise that filed it (null for operators' marks).</summary>
    public string? Enterprise { get; init; }

    /// <summary>Its evidence files (PDF, JPEG, PNG), in upload order.</summary>
    public IReadOnlyList<Compliance.Marks.EvidenceFile> Evidence { get; init; } = [];

    /// <summary>The row's version: each change of a mark is stored as a row with the next number.</summary>
    public int Rev { get; init; }

    /// <summary><c>pending</c>, <c>approved</c>, <c>rejected</c> or <c>revoked</c>.</summary>
    public string State => Revoked is not null ? RevokedState : Decision ?? Approved;

    /// <summary>The id, or for an old mark without one a stable id from its content.</summary>
    public string Key => Id ?? "mk-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Mn}|{Kind}|{From:O}|{To:O}|{Comment}")))[..16];

    /// <summary>True while the mark changes figures: approved and not revoked.</summary>
    public bool IsActive => State == Approved;

    public bool Covers(DateTime hourStart) => hourStart >= From && hourStart.AddHours(1) <= To;

    /// <summary>The whole hours the mark covers (those <see cref="Covers"/> is true of) within [from, to).</summary>
    public int HoursWithin(DateTime from, DateTime to)
    {
        var first = Summaries.LocalSpans.CeilHour(Summaries.LocalSpans.Max(From, from));
        var end = Summaries.LocalSpans.FloorHour(Summaries.LocalSpans.Min(To, to));
        return end > first ? (int)((end - first).Ticks / TimeSpan.TicksPerHour) : 0;
    }

    /// <summary>A new id: time-ordered and unguessable.</summary>
    public static string NewId(DateTimeOffset now) => $"mk-{now.ToUnixTimeMilliseconds():x}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    /// <summary>
    /// One mark per id from stored rows: the highest <see cref="Rev"/> (a revocation recorded before
    /// versions existed counts above the mark it revokes; among equals the later row).
    /// </summary>
    public static List<Mark> Latest(IEnumerable<Mark> rows) =>
        rows.GroupBy(m => m.Key, StringComparer.Ordinal)
            .Select(g => g.Aggregate((best, m) => Rank(m) >= Rank(best) ? m : best))
            .OrderBy(m => m.Mn, StringComparer.Ordinal).ThenBy(m => m.From).ThenBy(m => m.Key, StringComparer.Ordinal)
            .ToList();

    private static int Rank(Mark m) => (m.Rev * 2) + (m.Revoked is null ? 0 : 1);
}

/// <summary>Who revoked an operator record (a mark, a card lift), when and why.</summary>
public sealed record Revocation(DateTimeOffset At, string By, string? Comment);
