namespace EmissionMonitor.Compliance.Exceedance;

/// <summary>
/// One valid period of an outlet's pollutant as compared with its limit: an hour (gas, and range
/// limits such as pH) or a day (water). <see cref="Bound"/> is the limit crossed, null when compliant.
/// </summary>
public sealed record AssessedPeriod(DateTime Start, DateTime End, double Value, string ValueKind, double? Bound, bool IsMinBound)
{
    public bool Exceeds => Bound is not null;
}

/// <summary>Names of how a compared value was obtained.</summary>
public static class ValueKinds
{
    /// <summary>The O2-corrected hourly mean the terminal sent (ZsAvg).</summary>
    public const string ZsSent = "zs-sent";

    /// <summary>Avg corrected here with the measured O2 and the outlet's reference O2.</summary>
    public const string ZsComputed = "zs-computed";

    /// <summary>The mean as sent (no correction possible or none needed).</summary>
    public const string AsSent = "as-sent";

    /// <summary>A water day's mean computed from its valid hourly means (no daily record).</summary>
    public const string HourlyMean = "hourly-mean";

    /// <summary>An approved manual sample's value, for an hour (or day) without a valid automatic one.</summary>
    public const string Manual = "manual";

    /// <summary>The shared instance of a stored kind (no string made per stored hour read for the kinds there are).</summary>
    public static string Shared(string kind) => kind switch
    {
        ZsComputed => ZsComputed,
        ZsSent => ZsSent,
        AsSent => AsSent,
        HourlyMean => HourlyMean,
        _ => kind,
    };

    /// <summary>As <see cref="Shared(string)"/>, from the kind's UTF-8 bytes.</summary>
    public static string Shared(ReadOnlySpan<byte> kind) =>
        kind.SequenceEqual("zs-computed"u8) ? ZsComputed
        : kind.SequenceEqual("zs-sent"u8) ? ZsSent
        : kind.SequenceEqual("as-sent"u8) ? AsSent
        : kind.SequenceEqual("hourly-mean"u8) ? HourlyMean
        : System.Text.Encoding.UTF8.GetString(kind);
}
