namespace EmissionMonitor.Compliance.Rates;

/// <summary>
/// The counts behind a transmission rate; they are summed upward (outlet → enterprise → city →
/// province) and the rates recomputed from the sums.
/// </summary>
public readonly record struct RateCounts(int Expected, int Received, int Excused, int Valid)
{
    public static RateCounts operator +(RateCounts a, RateCounts b) =>
        new(a.Expected + b.Expected, a.Received + b.Received, a.Excused + b.Excused, a.Valid + b.Valid);

    public static RateCounts operator -(RateCounts a, RateCounts b) =>
        new(a.Expected - b.Expected, a.Received - b.Received, a.Excused - b.Excused, a.Valid - b.Valid);

    /// <summary>False when no hour is expected: the rates are then null.</summary>
    public bool Assessed => Expected > 0;

    public double? TransmissionRate => Expected == 0 ? null : (double)Received / Expected;

    public double? ValidityRate => Expected == 0 || Received - Excused == 0 ? null : (double)Valid / (Received - Excused);

    /// <summary>
    /// transmission × validity; an outlet that sent nothing has 0 (the worst case, never a blank), and
    /// one whose every received hour is excused has its transmission rate (DOMAIN.md section 0).
    /// </summary>
    public double? EffectiveRate => TransmissionRate is not { } t ? null
        : Received == 0 ? 0
        : ValidityRate is { } v ? t * v
        : t;

    /// <summary>True when the effective rate is below the threshold, compared unrounded.</summary>
    public bool BelowThreshold(double threshold) => EffectiveRate is { } e && e < threshold;

    public static RateCounts Of(IEnumerable<HourState> hours)
    {
        int expected = 0, received = 0, excused = 0, valid = 0;
        foreach (var h in hours)
        {
            if (h.State == HourState.Exempt)
            {
                continue;
            }

            expected++;
            if (h.State == HourState.Missing)
            {
                continue;
            }

            received++;
            excused += h.State == HourState.Excused ? 1 : 0;
            valid += h.State == HourState.Valid ? 1 : 0;
        }

        return new RateCounts(expected, received, excused, valid);
    }
}
