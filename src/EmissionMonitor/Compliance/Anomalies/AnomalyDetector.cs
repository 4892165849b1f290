using EmissionMonitor.Hj212;
using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Compliance.Anomalies;

/// <summary>An anomaly's state after a record: raised (with where it started) or ended.</summary>
public sealed record AnomalyFinding(string SubKind, string Pollutant, bool Active, DateTime Start, double? Value, double? Bound);

/// <summary>The sub-kinds of the <c>anomaly</c> alert.</summary>
public static class AnomalyKinds
{
    public const string Constant = "constant", Zero = "zero", Negative = "negative", OverRange = "over-range", NoFlow = "no-flow", Air = "air";
}

/// <summary>
/// Judges each accepted real-time (2011) and hourly (2061) record as it arrives against the rules
/// of <see cref="AnomalyOptions"/>, keeping per outlet and pollutant the run of equal (or zero)
/// values it needs. Returns, for each rule a record touches, whether its anomaly holds now. Not
/// thread-safe: one caller (the alert service's loop) feeds it in arrival order.
/// </summary>
public sealed class AnomalyDetector(AnomalyOptions options)
{
    private sealed class Run
    {
        public double Value { get; set; }

        public DateTime Start { get; set; }

        public DateTime Last { get; set; }

        public int Count { get; set; }
    }

    private readonly Dictionary<(string Mn, string Pollutant, bool RealTime), Run> _constant = [];
    private readonly Dictionary<(string Mn, string Pollutant), Run> _zero = [];

    public List<AnomalyFinding> Observe(Outlet outlet, string cn, DateTime period, IReadOnlyList<Reading> readings)
    {
        var findings = new List<AnomalyFinding>();
        bool realTime = cn == Cns.RealTime;
        if (!realTime && cn != Cns.Hourly)
        {
            return findings;
        }

        double? Value(Reading r) => realTime ? r.Rtd ?? r.ZsRtd : r.Avg ?? r.ZsAvg;
        string flowCode = outlet.Kind == MediumKind.Gas ? CodeCatalogue.GasFlow : CodeCatalogue.WaterFlow;
        double? flow = readings.FirstOrDefault(r => r.Pollutant == flowCode) is { } f ? Value(f) : null;
        bool anyConcentration = false;
        foreach (var r in readings)
        {
            if (r.Invalid is not null || Value(r) is not { } v || !outlet.Limits.ContainsKey(r.Pollutant) || !options.Watches(r.Pollutant))
            {
                continue;
            }

            anyConcentration |= v > 0;
            findings.Add(new AnomalyFinding(AnomalyKinds.Negative, r.Pollutant, v < 0, period, v, 0));
            if (outlet.RangeMax?.TryGetValue(r.Pollutant, out double range) == true)
            {
                findings.Add(new AnomalyFinding(AnomalyKinds.OverRange, r.Pollutant, v > range, period, v, range));
            }

            var constant = Track(_constant, (outlet.Mn, r.Pollutant, realTime), v, period, realTime ? null : TimeSpan.FromHours(1));
            bool stuck = realTime
                ? constant.Count >= 2 && period - constant.Start >= TimeSpan.FromMinutes(options.ConstantMinutesOf(r.Pollutant))
                : constant.Count >= options.ConstantHoursOf(r.Pollutant);
            findings.Add(new AnomalyFinding(AnomalyKinds.Constant, r.Pollutant, stuck, constant.Start, v, null));

            if (!realTime)
            {
                bool zero = v == 0 && flow is > 0;
                var run = zero ? Track(_zero, (outlet.Mn, r.Pollutant), 0, period, TimeSpan.FromHours(1)) : null;
                if (!zero)
                {
                    _zero.Remove((outlet.Mn, r.Pollutant));
                }

                findings.Add(new AnomalyFinding(AnomalyKinds.Zero, r.Pollutant, run is not null && run.Count >= options.ZeroHoursOf(r.Pollutant), run?.Start ?? period, v, null));
            }
        }

        if (flow is { } q)
        {
            findings.Add(new AnomalyFinding(AnomalyKinds.NoFlow, flowCode, q <= 0 && anyConcentration, period, q, null));
        }

        if (outlet.Kind == MediumKind.Gas && readings.FirstOrDefault(r => r.Pollutant == CodeCatalogue.Oxygen) is { Invalid: null } o2 && Value(o2) is { } oxygen)
        {
            findings.Add(new AnomalyFinding(AnomalyKinds.Air, CodeCatalogue.Oxygen, oxygen >= options.AirOxygen, period, oxygen, options.AirOxygen));
        }

        return findings;
    }

    /// <summary>The run of one value: continued when the value is the same and (hourly) the period follows the last; else a new run.</summary>
    private static Run Track<TKey>(Dictionary<TKey, Run> runs, TKey key, double value, DateTime period, TimeSpan? step)
        where TKey : notnull
    {
        if (runs.TryGetValue(key, out var run) && run.Value == value && period > run.Last && (step is null || period - run.Last == step))
        {
            run.Count++;
            run.Last = period;
            return run;
        }

        if (run is not null && period <= run.Last)
        {
            return run; // a late or repeated record does not restart the run
        }

        run = new Run { Value = value, Start = period, Last = period, Count = 1 };
        runs[key] = run;
        return run;
    }
}
