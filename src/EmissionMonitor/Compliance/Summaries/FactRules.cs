using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EmissionMonitor.Compliance.Cards;
using EmissionMonitor.Compliance.Exceedance;
using EmissionMonitor.Compliance.Totals;
using EmissionMonitor.Compliance.Validity;
using EmissionMonitor.Hj212;
using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Compliance.Summaries;

/// <summary>
/// Turns stored readings into <see cref="DayFact"/>s with the same pure rules the reports have always
/// applied (<see cref="ReadingValidity"/>, <see cref="ExceedanceDetector"/>, <see cref="TotalsCalculator"/>),
/// so a figure read from the facts equals its recomputation from the readings. What a fact depends on
/// — these options and the outlet's registry entry — is its <see cref="Fingerprint"/>: when it
/// differs from the one stored with an outlet's facts, they are rebuilt.
/// </summary>
public sealed class FactRules(ComplianceOptions options, CardOptions cards)
{
    /// <summary>Bump when what a fact holds or how it is computed changes: every outlet is then rebuilt.</summary>
    private const string Version = "facts-3";

    private readonly ReadingValidity _validity = new(options);
    private readonly DerivedHours _derived = new(options);
    private readonly string _optionsText = string.Join(';', Version, options.MissingFlagAs, string.Join(',', options.EffectiveExemptFlags),
        options.WaterDailyMinHours.ToString(CultureInfo.InvariantCulture), cards.GasDailyMinHours.ToString(CultureInfo.InvariantCulture),
        options.DeriveHoursFromMinutes ? options.MinValidMinutesPerHour.ToString(CultureInfo.InvariantCulture) : "no-derived-hours");

    /// <summary>True when the facts need the minute records too (hours derived from minutes).</summary>
    public bool ReadsMinutes => _derived.Enabled;

    public ComplianceOptions Options => options;

    /// <summary>A digest of everything an outlet's facts depend on.</summary>
    public string Fingerprint(Outlet outlet)
    {
        var text = new StringBuilder(_optionsText).Append('|').Append(outlet.Kind).Append('|')
            .Append(outlet.ReferenceO2?.ToString("R", CultureInfo.InvariantCulture)).Append('|').Append(outlet.FlowUnit);
        foreach (var (code, limit) in outlet.Limits.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            text.Append('|').Append(code).Append(':').Append(limit.Min?.ToString("R", CultureInfo.InvariantCulture))
                .Append(':').Append(limit.Max?.ToString("R", CultureInfo.InvariantCulture));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }

    /// <summary>True for the pollutants facts are kept of: those with a limit and the four totalled ones.</summary>
    public static bool Kept(Outlet outlet, string pollutant) =>
        outlet.Limits.ContainsKey(pollutant) || CodeCatalogue.TotalledPollutants.Contains(pollutant, StringComparer.Ordinal);

    /// <summary>
    /// The facts of every day the readings touch: <paramref name="hourly"/> the outlet's 2061 readings
    /// (all pollutants, for O2 and flow), <paramref name="daily"/> its 2031 readings, any order;
    /// <paramref name="minutes"/> its 2051 readings, from which hours without a 2061 are derived.
    /// </summary>
    public (List<DayFact> Days, List<ExceedHour> Exceeding) Compute(Outlet outlet, IEnumerable<Reading> hourly, IEnumerable<Reading> daily, IEnumerable<Reading>? minutes = null)
    {
        hourly = _derived.Complete(hourly, minutes ?? []);
        var days = new SortedDictionary<(DateTime Day, string Pollutant), DayFact>(DayKeyOrder);
        var exceeding = new List<ExceedHour>();
        foreach (var hour in hourly.Where(r => r.Cn == Cns.Hourly).GroupBy(r => r.Period).OrderBy(g => g.Key))
        {
            AddHour(outlet, hour.Key, hour.ToList(), days, exceeding);
        }

        foreach (var d in daily.Where(r => r.Cn == Cns.Daily && Kept(outlet, r.Pollutant)))
        {
            AddDaily(Get(days, outlet.Mn, d.Pollutant, d.Period.Date), d);
        }

        foreach (var fact in days.Values)
        {
            Finish(outlet, fact);
        }

        return (days.Values.ToList(), exceeding);
    }

    /// <summary>Adds one hour (every reading of the outlet's hourly record) to the day facts in <paramref name="days"/>.</summary>
    public void AddHour(Outlet outlet, DateTime hour, IReadOnlyList<Reading> readings, IDictionary<(DateTime Day, string Pollutant), DayFact> days, List<ExceedHour> exceeding)
    {
        var o2 = new Dictionary<DateTime, double>();
        Reading? flow = null;
        string flowCode = outlet.Kind == MediumKind.Gas ? CodeCatalogue.GasFlow : CodeCatalogue.WaterFlow;
        foreach (var r in readings)
        {
            if (r.Pollutant == CodeCatalogue.Oxygen && r.Avg is { } avg && _validity.IsValid(r))
            {
                o2.TryAdd(hour, avg);
            }

            if (flow is null && r.Pollutant == flowCode)
            {
                flow = r;
            }
        }

        foreach (var r in readings)
        {
            if (Kept(outlet, r.Pollutant))
            {
                AddReading(outlet, hour, r, flow, o2, Get(days, outlet.Mn, r.Pollutant, hour.Date), exceeding);
            }
        }
    }

    /// <summary>One reading of an hourly record to its day's fact (first wins): its flag, kg, hour values, validity and the hour's exceedance.</summary>
    private void AddReading(Outlet outlet, DateTime hour, Reading r, Reading? flow, Dictionary<DateTime, double> o2, DayFact fact, List<ExceedHour> exceeding)
    {
        if (fact.Flags[hour.Hour] is not null)
        {
            return; // first wins, as in the store
        }

        bool valid = _validity.IsValid(r);
        fact.Flags[hour.Hour] = _validity.EffectiveFlag(r);
        double? mass = r.Cou ?? TotalsCalculator.Derived(outlet, r, flow);
        if (mass is { } kg)
        {
            fact.Kg += kg;
            fact.ValidKg += valid ? kg : 0;
        }

        if (CodeCatalogue.TotalledPollutants.Contains(r.Pollutant, StringComparer.Ordinal))
        {
            fact.SetHourValues(hour.Hour, r.Avg, TotalsCalculator.Volume(outlet, flow), mass); // substitution reads valid hours, and replaces an invalid hour's kg
        }

        if (!valid)
        {
            return;
        }

        int bit = 1 << hour.Hour;
        fact.ValidMask |= bit;
        if (outlet.Limits.TryGetValue(r.Pollutant, out var limit))
        {
            var compared = ExceedanceDetector.HourlyValue(outlet, limit, r, o2);
            fact.ValueSum += compared.Value;
            if (ExceedanceDetector.Basis(outlet, limit) == "hour" && ExceedanceDetector.Compare(hour, hour.AddHours(1), compared, limit) is { Bound: { } bound } p)
            {
                fact.ExceedMask |= bit;
                exceeding.Add(new ExceedHour(outlet.Mn, r.Pollutant, hour, p.Value, p.ValueKind, bound, p.IsMinBound));
            }
        }
    }

    /// <summary>Adds a daily record (first wins).</summary>
    public void AddDaily(DayFact fact, Reading daily)
    {
        if (fact.Daily)
        {
            return;
        }

        fact.Daily = true;
        fact.DailyValue = _validity.IsValid(daily) ? daily.Avg ?? daily.ZsAvg : null;
    }

    /// <summary>Judges the day on the daily bases once its hours and daily record are in.</summary>
    public void Finish(Outlet outlet, DayFact fact)
    {
        fact.DayState = DayStates.None;
        fact.GasDayState = DayStates.None;
        if (!outlet.Limits.TryGetValue(fact.Pollutant, out var limit))
        {
            return;
        }

        if (outlet.Kind == MediumKind.Water && limit.Min is null && fact.WaterDayValue(options.WaterDailyMinHours) is { } value)
        {
            fact.DayState = ExceedanceDetector.Compare(fact.Day, fact.Day.AddDays(1), (value, ValueKinds.AsSent), limit).Exceeds ? DayStates.Exceeding : DayStates.Compliant;
        }

        if (outlet.Kind == MediumKind.Gas && fact.ValidCount >= cards.GasDailyMinHours && fact.ValidCount > 0)
        {
            double mean = fact.ValueSum / fact.ValidCount;
            fact.GasDayState = limit.Max is { } max && mean > max ? DayStates.Exceeding : DayStates.Compliant;
        }
    }

    private static DayFact Get(IDictionary<(DateTime Day, string Pollutant), DayFact> days, string mn, string pollutant, DateTime day)
    {
        if (!days.TryGetValue((day, pollutant), out var fact))
        {
            fact = new DayFact(mn, pollutant, day);
            days[(day, pollutant)] = fact;
        }

        return fact;
    }

    private static readonly IComparer<(DateTime Day, string Pollutant)> DayKeyOrder = Comparer<(DateTime Day, string Pollutant)>.Create((a, b) =>
    {
        int c = a.Day.CompareTo(b.Day);
        return c != 0 ? c : string.CompareOrdinal(a.Pollutant, b.Pollutant);
    });
}
