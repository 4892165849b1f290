using EmissionMonitor.Hj212;
using System.Globalization;
using System.Text;
using EmissionMonitor.Intake;

namespace EmissionMonitor.Storage.Influx;

/// <summary>
/// How readings and frames are laid out in InfluxDB. Readings: a measurement per data type
/// (<c>realtime</c> 2011, <c>minute</c> 2051, <c>hourly</c> 2061, <c>daily</c> 2031, <c>raw</c>
/// 2013, <c>furnace</c> 2111), tagged by
/// <c>mn</c> and <c>pollutant</c>; the flag is a field, not a tag, so a resend with another flag
/// cannot create a second series; the time is the period's start. Frames: measurement <c>frames</c>
/// tagged by status, reason, transport and retention class (events, realtime, minute, data), the raw bytes base64 in a field, the time the arrival
/// (plus the archive id's last digits in nanoseconds, so two arrivals never share a point).
/// </summary>
public static class InfluxSchema
{
    public const string Frames = "frames";

    public static IReadOnlyDictionary<string, string> MeasurementOfCn { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Cns.RealTime] = "realtime", [Cns.Minute] = "minute", [Cns.Hourly] = "hourly", [Cns.Daily] = "daily",
        [Cns.RawData] = "raw", [Cns.FurnaceTemperature] = "furnace",
    };

    public static void AppendReading(StringBuilder sb, Reading r, TimeZoneInfo zone)
    {
        if (!MeasurementOfCn.TryGetValue(r.Cn, out var measurement))
        {
            return;
        }

        var instant = new DateTimeOffset(r.Period, zone.GetUtcOffset(r.Period));
        LineProtocol.Append(sb, measurement, [("mn", r.Mn), ("pollutant", r.Pollutant)],
            [("n", 1L), ("rtd", r.Rtd), ("avg", r.Avg), ("min", r.Min), ("max", r.Max), ("cou", r.Cou), ("zs_rtd", r.ZsRtd), ("zs_avg", r.ZsAvg), ("flag", r.Flag), ("invalid", r.Invalid), ("rf", r.Rf is { } rf ? (long)rf : null), ("raw_avg", r.RawAvg)],
            LineProtocol.Nanoseconds(instant));
    }

    public static void AppendFrame(StringBuilder sb, ArchivedFrame f)
    {
        LineProtocol.Append(sb, Frames, [("status", f.Status), ("reason", f.Reason), ("transport", f.Transport),
                ("class", Sqlite.FrameBlocks.ClassNames[Sqlite.FrameBlocks.ClassOf(f.Status != StoredOutcome.Rejected, f.Cn)])],
            [("id", f.Id), ("mn", f.Mn), ("cn", f.Cn), ("data_time", f.DataTime), ("peer", f.Peer), ("detail", f.Detail),
             ("received_at", f.ReceivedAt.ToString("O", CultureInfo.InvariantCulture)), ("raw", Convert.ToBase64String(f.Raw))],
            LineProtocol.Nanoseconds(f.ReceivedAt) + (f.Id % 100_000));
    }

    /// <summary>The records facts are made of: hourly and daily, and minute ones (hours derived from minutes).</summary>
    public static readonly string[] FactCns = [Cns.Hourly, Cns.Daily, Cns.Minute];

    public const string DayFacts = "day_facts";
    /// <summary>A point per exceeding hour: the layout before <see cref="ExceedDays"/>, deleted with the summaries' retention, no longer read.</summary>
    public const string ExceedHours = "exceed_hours";

    public const string ExceedDays = "exceed_days";

    /// <summary>
    /// A point per outlet, pollutant and day judged exceeding on the water daily basis (field <c>n</c>
    /// = 1): which outlets to read exceeding days of, since the server filters day facts by a field
    /// only by reading every point.
    /// </summary>
    public const string ExceedingDays = "exceeding_days";

    /// <summary>
    /// Written before each fingerprint of <see cref="FactState"/> since the exceeding hours are kept
    /// by the day (<see cref="ExceedDays"/>) and exceeding days marked (<see cref="ExceedingDays"/>):
    /// a fingerprint without it is of facts in a layout before, so its outlet is rebuilt.
    /// </summary>
    public const string FactLayout = "facts-2:";
    public const string FactState = "fact_state";
    public const string FactDirty = "fact_dirty";

    /// <summary>A day fact at its local day; its sums as fields (what <see cref="FactSums.Day"/> makes of it), so InfluxQL sums them.</summary>
    public static void AppendDayFact(StringBuilder sb, Compliance.Summaries.DayFact f, IReadOnlyList<string> exemptFlags, long nanoseconds)
    {
        int exempt = f.FlagMask(exemptFlags);
        var s = Compliance.Summaries.FactSums.Day(f.Received, System.Numerics.BitOperations.PopCount((uint)exempt),
            System.Numerics.BitOperations.PopCount((uint)(f.ValidMask & ~exempt)), f.ValidCount, f.ExceedCount, f.Kg, f.ValidKg, f.DayState, f.GasDayState);
        LineProtocol.Append(sb, DayFacts, [("mn", f.Mn), ("pollutant", f.Pollutant)],
            [("flags", f.FlagText()), ("valid_mask", (long)f.ValidMask), ("exceed_mask", (long)f.ExceedMask), ("value_sum", f.ValueSum),
             ("daily", f.Daily ? 1L : 0L), ("daily_value", f.DailyValue), ("day_state", (long)f.DayState), ("gas_state", (long)f.GasDayState),
             ("hour_values", f.PackedHourValues is { } values ? Convert.ToBase64String(values) : null), .. SumFields(s)],
            nanoseconds);
    }

    public const string MonthFacts = "month_facts";

    /// <summary>The day facts of one outlet, pollutant and local month summed (what a report of whole months reads).</summary>
    public static void AppendMonthFact(StringBuilder sb, Compliance.Summaries.FactSums s, long nanoseconds) =>
        LineProtocol.Append(sb, MonthFacts, [("mn", s.Mn), ("pollutant", s.Pollutant)], SumFields(s), nanoseconds);

    /// <summary>The summable fields of a day or month point, under the names <see cref="ReadSums"/> reads.</summary>
    private static (string, object?)[] SumFields(Compliance.Summaries.FactSums s) =>
        [("days", (long)s.Days), ("received", (long)s.Received), ("exempt", (long)s.Exempt), ("valid_rate", (long)s.ValidRate), ("valid", (long)s.Valid),
         ("exceeding", (long)s.Exceeding), ("kg", s.Kg), ("valid_kg", s.ValidKg), ("water_days", (long)s.WaterDays), ("water_exceeding", (long)s.WaterExceeding),
         ("gas_days", (long)s.GasDays), ("gas_exceeding", (long)s.GasExceeding)];

    /// <summary>The fields <see cref="SumFields"/> writes, as an InfluxQL field list.</summary>
    public const string SumFieldList = "\"days\", \"received\", \"exempt\", \"valid_rate\", \"valid\", \"exceeding\", \"kg\", \"valid_kg\", \"water_days\", \"water_exceeding\", \"gas_days\", \"gas_exceeding\"";

    /// <summary>
    /// An outlet's hours beyond an hourly limit of one local day, as one point at the day (a point per
    /// hour made the server spend two seconds answering a province's quarter): the field <c>hours</c>
    /// holds them, separated by U+001E, each its pollutant, the hour of the day, the value, its kind,
    /// the bound and whether it is a lower bound, separated by U+001F.
    /// </summary>
    public static void AppendExceedDay(StringBuilder sb, string mn, DateTime day, IEnumerable<Compliance.Summaries.ExceedHour> hours, long nanoseconds) =>
        LineProtocol.Append(sb, ExceedDays, [("mn", mn)],
            [("hours", string.Join(EntrySeparator, hours.Select(e => string.Join(FieldSeparator, e.Pollutant, ((int)(e.Hour - day).TotalHours).ToString(CultureInfo.InvariantCulture),
                e.Value.ToString("R", CultureInfo.InvariantCulture), e.ValueKind, e.Bound.ToString("R", CultureInfo.InvariantCulture), e.IsMinBound ? "1" : "0"))))],
            nanoseconds);

    /// <summary>The hours of an <see cref="AppendExceedDay"/> point of <paramref name="mn"/> at <paramref name="day"/>.</summary>
    public static IEnumerable<Compliance.Summaries.ExceedHour> ReadExceedDay(string mn, DateTime day, string hours)
    {
        foreach (var entry in hours.Split(EntrySeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var f = entry.Split(FieldSeparator);
            yield return new Compliance.Summaries.ExceedHour(mn, f[0], day.AddHours(int.Parse(f[1], CultureInfo.InvariantCulture)),
                double.Parse(f[2], CultureInfo.InvariantCulture), Compliance.Exceedance.ValueKinds.Shared(f[3]), double.Parse(f[4], CultureInfo.InvariantCulture), f[5] == "1");
        }
    }

    private const char EntrySeparator = '\u001e';
    private const char FieldSeparator = '\u001f';

    /// <summary>The marker of an outlet's day whose readings were just forwarded; <paramref name="at"/> tells a marker written again from the one a summarizer saw.</summary>
    public static void AppendDirty(StringBuilder sb, string mn, long dayNanoseconds, long at) =>
        LineProtocol.Append(sb, FactDirty, [("mn", mn)], [("at", at)], dayNanoseconds);

    public const string Alerts = "alerts";
    public const string Documents = "documents";

    /// <summary>A document's current state; its time is its creation (<see cref="DocumentRecord.At"/>), so each change overwrites the point.</summary>
    public static void AppendDocument(StringBuilder sb, DocumentRecord d) =>
        LineProtocol.Append(sb, Documents, [("kind", d.Kind), ("id", d.Id)],
            [("mn", d.Mn), ("state", d.State), ("at", d.At.ToString("O", CultureInfo.InvariantCulture)), ("json", d.Json)],
            LineProtocol.Nanoseconds(d.At));

    /// <summary>An alert's current state; its time is when it was raised, so each change overwrites the point.</summary>
    public static void AppendAlert(StringBuilder sb, AlertRecord a) =>
        LineProtocol.Append(sb, Alerts, [("id", a.Id)],
            [("state", a.State), ("raised_at", a.RaisedAt.ToString("O", CultureInfo.InvariantCulture)), ("json", a.Json)], LineProtocol.Nanoseconds(a.RaisedAt));

    /// <summary>An InfluxQL string literal.</summary>
    public static string Literal(string s) => "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
