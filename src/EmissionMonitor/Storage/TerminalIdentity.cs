namespace EmissionMonitor.Storage;

/// <summary>
/// A data logger's hardware identity as its terminal reported it (HJ 212-2025 CN 1001:
/// <c>i23005-Info</c> logger id, <c>i23006-Info</c> CPU id, <c>i23007-Info</c> and <c>i23008-Info</c>
/// MAC addresses), kept in the store when first seen and at every change, never deleted: the
/// newest of an MN is the terminal's current identity. <see cref="Macs"/> holds the MACs in order,
/// comma-separated.
/// </summary>
public sealed record TerminalIdentity(string Mn, string? LoggerId, string? CpuId, string? Macs, DateTimeOffset ReportedAt)
{
    /// <summary>The longest identity field kept; a longer one is cut (a terminal's text is bounded like every other input).</summary>
    public const int MaxFieldLength = 128;

    /// <summary>True when both name the same hardware (whenever they were reported).</summary>
    public bool SameHardware(TerminalIdentity other) =>
        string.Equals(LoggerId, other.LoggerId, StringComparison.Ordinal) && string.Equals(CpuId, other.CpuId, StringComparison.Ordinal)
        && string.Equals(Macs, other.Macs, StringComparison.OrdinalIgnoreCase);

    /// <summary>The MAC addresses, in the order sent.</summary>
    public IReadOnlyList<string> MacList => string.IsNullOrEmpty(Macs) ? [] : Macs.Split(',');

    /// <summary>What differs from <paramref name="before"/>, in words (for the alert and the log).</summary>
    public string ChangesFrom(TerminalIdentity before)
    {
        var changes = new List<string>(3);
        void Field(string name, string? was, string? now, StringComparison comparison)
        {
            if (!string.Equals(was, now, comparison))
            {
                changes.Add($"{name} {was ?? "none"} → {now ?? "none"}");
            }
        }

        Field("logger", before.LoggerId, LoggerId, StringComparison.Ordinal);
        Field("CPU", before.CpuId, CpuId, StringComparison.Ordinal);
        Field("MAC", before.Macs, Macs, StringComparison.OrdinalIgnoreCase);
        return string.Join("; ", changes);
    }
}
