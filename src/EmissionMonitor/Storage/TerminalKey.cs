namespace EmissionMonitor.Storage;

/// <summary>
/// One SM4 key a terminal was given (HJ 212-2025 §6.4.3), kept in the store, never deleted: the
/// newest of an MN is its current key. <see cref="Source"/> is <c>registry</c> (the registry's
/// <c>sm4Key</c>, first loaded at <see cref="CreatedAt"/>), <c>rotation</c> (answered to the
/// terminal's CN 1014 request) or <c>operator</c> (<c>POST /api/outlets/{mn}/key</c>).
/// </summary>
public sealed record TerminalKey(string Mn, string Key, DateTimeOffset CreatedAt, string Source)
{
    public const string FromRegistry = "registry";
    public const string FromRotation = "rotation";
    public const string FromOperator = "operator";

    /// <summary>Never the key itself.</summary>
    public override string ToString() => $"TerminalKey {{ Mn = {Mn}, CreatedAt = {CreatedAt:O}, Source = {Source} }}";
}
