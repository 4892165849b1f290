namespace EmissionMonitor.Hj212;

/// <summary>
/// One token of a data segment exactly as sent: <c>Key=Value</c> (or a bare <c>Key</c> when
/// <see cref="Value"/> is null) and the separator that followed it (<c>;</c>, <c>,</c> or empty).
/// Keeping tokens raw is what lets a decoded frame be encoded again byte for byte.
/// </summary>
public sealed record Hj212Field(string Key, string? Value, string Separator)
{
    /// <summary>The token's text with its separator.</summary>
    public override string ToString() => Value is null ? Key + Separator : Key + "=" + Value + Separator;
}
