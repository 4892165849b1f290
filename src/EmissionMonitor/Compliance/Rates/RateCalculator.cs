using EmissionMonitor.Hj212;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Compliance.Validity;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Compliance.Rates;

/// <summary>
/// The effective transmission rate of DOMAIN.md section 0, per outlet and assessed pollutant (those
/// with a limit): every ended hour of the period inside the outlet's active dates is expected unless
/// exempt; an hourly record (CN=2061) carrying the pollutant, whenever it arrived, makes it received;
/// a valid value (flag N, or no flag counted as Compliance:MissingFlagAs, and a plausible value)
/// makes it valid; M/C under a maintenance/calibration mark is excused. Pure: readings and marks in.
/// </summary>
public sealed class RateCalculator(ComplianceOptions options)
{
    /// <summary>When values count (shared with the exceedance and totals rules).</summary>
    public ReadingValidity Validity { get; } = new(options);

    /// <summary>
    /// Each hour of the period with its state; hours not yet ended or outside the active dates are
    /// left out. <paramref name="invalidating"/> names, for an hour whose data is suspect and made
    /// invalid (<c>Anomalies:InvalidateSuspect</c>), the anomaly; null for none.
    /// </summary>
    public IReadOnlyList<HourState> Hours(Outlet outlet, string pollutant, ReportPeriod period, DateTime nowLocal,
        IEnumerable<Reading> hourlyReadings, IReadOnlyList<Mark> marks, Func<DateTime, string?>? invalidating = null)
    {
        var byHour = new Dictionary<DateTime, Reading>();
        foreach (var r in hourlyReadings)
        {
            if (r.Cn == Cns.Hourly && string.Equals(r.Pollutant, pollutant, StringComparison.Ordinal) && string.Equals(r.Mn, outlet.Mn, StringComparison.Ordinal))
            {
                byHour.TryAdd(r.Period, r);
            }
        }

        var outletMarks = marks.Where(m => string.Equals(m.Mn, outlet.Mn, StringComparison.Ordinal)).ToList();
        var states = new List<HourState>();
        foreach (var hour in period.Hours())
        {
            if (hour.AddHours(1) > nowLocal || !Active(outlet, hour))
            {
                continue;
            }

            var reading = byHour.GetValueOrDefault(hour);
            var state = State(hour, reading, outletMarks);
            state = state.State == HourState.Valid && invalidating?.Invoke(hour) is { } anomaly
                ? new HourState(hour, HourState.Invalid, state.Flag, $"suspect data ({anomaly})", HourReasons.Suspect)
                : state;
            states.Add(reading is { Derived: true } ? state with { Derived = true } : state);
        }

        return states;
    }

    private HourState State(DateTime hour, Reading? r, List<Mark> marks)
    {
        var exemptMark = marks.FirstOrDefault(m => options.EffectOf(m.Kind).Exempts && m.Covers(hour));
        if (r is not null && Validity.IsExemptFlag(r))
        {
            return new HourState(hour, HourState.Exempt, r.Flag, $"flag {r.Flag}", HourReasons.ExemptFlag);
        }

        if (exemptMark is not null)
        {
            return new HourState(hour, HourState.Exempt, r?.Flag, $"mark {exemptMark.Kind}", HourReasons.ExemptMark);
        }

        if (r is null)
        {
            return new HourState(hour, HourState.Missing, null, null, HourReasons.Missing);
        }

        string flag = Validity.EffectiveFlag(r);
        if (marks.FirstOrDefault(m => options.EffectOf(m.Kind) is { Excuses: true } e && e.Flags!.Contains(flag, StringComparer.Ordinal) && m.Covers(hour)) is { } excuse)
        {
            return new HourState(hour, HourState.Excused, r.Flag, $"flag {flag} under mark {excuse.Kind}", HourReasons.ExcusedMark);
        }

        if (Validity.IsValid(r))
        {
            return new HourState(hour, HourState.Valid, r.Flag, null, HourReasons.Valid);
        }

        string detail = r.Invalid ?? (flag != "N" ? $"flag {flag}" : "no value");
        return new HourState(hour, HourState.Invalid, r.Flag, detail, HourReasons.OfInvalid(r.Invalid, flag));
    }

    private static bool Active(Outlet outlet, DateTime hour)
    {
        var day = DateOnly.FromDateTime(hour);
        return (outlet.ActiveFrom is not { } from || day >= from) && (outlet.ActiveTo is not { } to || day <= to);
    }
}
