using System.Security.Cryptography;
using System.Text;

namespace EmissionMonitor.Compliance.Marks;

/// <summary>
/// An operator mark on an outlet for [From, To) local time: <c>shutdown</c> and <c>force-majeure</c>
/// remove hours from the expected count; <c>maintenance</c> and <c>calibration</c> excuse hours
/// flagged M or C. A mark has an id and an author; it is never deleted — a revocation is recorded
/// beside it, and a revoked mark changes no figure.
/// </summary>
public sealed record Mark(string Mn, string Kind, DateTime From, DateTime To, string? Comment = null)
{
    public const string Shutdown = "shutdown";
    public const string ForceMajeure = "force-majeure";
    public const string Maintenance = "maintenance";
    public const string Calibration = "calibration";

    public static IReadOnlyList<string> Kinds { get; } = [Shutdown, ForceMajeure, Maintenance, Calibration];

    /// <summary>The mark's id; marks recorded before ids existed get one derived from their content (<see cref="Key"/>).</summary>
    public string? Id { get; init; }

    /// <summary>Who recorded it (null for marks recorded before authors were kept).</summary>
    public string? By { get; init; }

    /// <summary>When it was recorded.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Its revocation, or null while it stands.</summary>
    public Revocation? Revoked { get; init; }

    /// <summary>The id, or for an old mark without one a stable id from its content.</summary>
    public string Key => Id ?? "mk-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Mn}|{Kind}|{From:O}|{To:O}|{Comment}")))[..16];

    /// <summary>True while the mark is not revoked.</summary>
    public bool IsActive => Revoked is null;

    public bool Covers(DateTime hourStart) => hourStart >= From && hourStart.AddHours(1) <= To;

    public bool Exempts => Kind is Shutdown or ForceMajeure;

    public bool Excuses => Kind is Maintenance or Calibration;

    /// <summary>A new id: time-ordered and unguessable.</summary>
    public static string NewId(DateTimeOffset now) => $"mk-{now.ToUnixTimeMilliseconds():x}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    /// <summary>One mark per id from stored rows (a revocation is stored as a later row of the same mark).</summary>
    public static List<Mark> Latest(IEnumerable<Mark> rows) =>
        rows.GroupBy(m => m.Key, StringComparer.Ordinal)
            .Select(g => g.FirstOrDefault(m => m.Revoked is not null) ?? g.First())
            .OrderBy(m => m.Mn, StringComparer.Ordinal).ThenBy(m => m.From).ThenBy(m => m.Key, StringComparer.Ordinal)
            .ToList();
}

/// <summary>Who revoked an operator record (a mark, a card lift), when and why.</summary>
public sealed record Revocation(DateTimeOffset At, string By, string? Comment);
