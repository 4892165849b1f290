using System.Globalization;
using System.Text.Json;
using EmissionMonitor.Compliance.Results;

namespace EmissionMonitor.Reports;

/// <summary>
/// Typed results as the report table of DESIGN.md (report JSON): the identity columns first, then
/// each kind's own; times in the local offset, numbers unrounded.
/// </summary>
public static partial class ReportTables
{
    private static readonly string[] Identity = ["mn", "enterprise", "enterpriseName", "city", "pollutant"];

    /// <summary>The registry's identifiers, after a row's own columns (so the columns before them keep their contract order for scripts reading CSV).</summary>
    private static readonly string[] Identifiers = ["code", "permitNumber"];

    public static ReportTable Rates(IReadOnlyList<RateResult> rows, TimeZoneInfo zone)
    {
        var local = new LocalTimes(zone);
        return Table(rows, r => r.Scope,
            ["from", "to", "assessed", "expected", "received", "excused", "valid", "transmissionRate", "validityRate", "effectiveRate", "belowThreshold"],
            r => [local.At(r.Period.From), local.At(r.Period.To), r.Counts.Assessed, r.Counts.Expected, r.Counts.Received, r.Counts.Excused, r.Counts.Valid,
                r.Counts.TransmissionRate, r.Counts.ValidityRate, r.Counts.EffectiveRate, r.BelowThreshold]);
    }

    /// <summary>Each hour's state, flag and detail, whether an anomaly covers it, and the stable code of why (<c>reason</c>, the checks catalogue).</summary>
    public static ReportTable Hours(IReadOnlyList<HourResult> rows, TimeZoneInfo zone)
    {
        var local = new LocalTimes(zone);
        return Table(rows, r => r.Scope,
            ["start", "end", "state", "flag", "detail", "suspect", "reason", "derived"],
            r => [local.At(r.Hour.Hour), local.At(r.Hour.Hour.AddHours(1)), r.Hour.State, r.Hour.Flag, r.Hour.Detail, r.Suspect, r.Hour.Reason, r.Hour.Derived]);
    }

    /// <summary>Data-anomaly episodes: the sub-kind, the basis (hourly or real-time records), when, the value that started it.</summary>
    public static ReportTable Anomalies(IReadOnlyList<(Scope Scope, Compliance.Anomalies.AnomalyEpisode Episode)> rows, TimeZoneInfo zone)
    {
        var local = new LocalTimes(zone);
        return Table(rows, r => r.Scope,
            ["subKind", "basis", "start", "end", "ongoing", "value"],
            r => [r.Episode.SubKind, r.Episode.Basis, local.At(r.Episode.Start), r.Episode.End is { } end ? local.At(end) : null, r.Episode.End is null, r.Episode.Value]);
    }

    private static readonly string[] ExceedanceColumns =
        [.. Identity, "basis", "valueKind", "start", "end", "periods", "peak", "limit", "peakMultiple", "ongoing", "source", .. Identifiers];

    /// <summary>Exceedance episodes, each row made without an array of its own values (a province's quarter is hundreds of thousands of rows).</summary>
    public static ReportTable Exceedances(IReadOnlyList<ExceedanceResult> rows, TimeZoneInfo zone)
    {
        var table = new List<object?[]>(rows.Count);
        var local = new LocalTimes(zone);
        object? limit = null; // an outlet's pollutant's episodes share their limit: boxed once for them
        foreach (var (s, e) in rows)
        {
            limit = limit is double l && l.Equals(e.Limit) ? limit : e.Limit;
            table.Add(Row(s, [e.Basis, e.ValueKind, local.At(e.Start), local.At(e.End), Boxed.Of(e.Periods), e.Peak, limit, e.PeakMultiple, Boxed.Of(e.Ongoing), e.Source]));
        }

        return new(ExceedanceColumns, table);
    }

    /// <summary>
    /// Totals; enterprise rows add permitKg, ytdKg, overTotal and province rows capKg, ytdKg, overCap;
    /// then every row substitutedKg, substitutedHours, reportedKg (kg + manualKg + substitutedKg),
    /// missingShare, monitoringUsable (the 25 % rule), and what approved manual samples add (manualKg
    /// over manualHours).
    /// </summary>
    public static ReportTable Totals(IReadOnlyList<TotalResult> rows, string? by, TimeZoneInfo zone)
    {
        string[] columns = by switch
        {
            "enterprise" => ["from", "to", "kg", "validKg", "hours", "missingHours", "permitKg", "ytdKg", "overTotal"],
            "province" => ["from", "to", "kg", "validKg", "hours", "missingHours", "capKg", "ytdKg", "overCap"],
            _ => ["from", "to", "kg", "validKg", "hours", "missingHours"],
        };
        columns = [.. columns, "substitutedKg", "substitutedHours", "reportedKg", "missingShare", "monitoringUsable", "manualKg", "manualHours"];
        var local = new LocalTimes(zone);
        return Table(rows, r => r.Scope, columns, r =>
        {
            var values = new List<object?> { local.At(r.Period.From), local.At(r.Period.To), r.Total.Kg, r.Total.ValidKg, r.Total.Hours, r.Total.MissingHours };
            if ((r.Permit ?? r.Cap) is { } against)
            {
                values.AddRange([against.AllowanceKg, against.YtdKg, against.Over]);
            }

            var s = r.Total.Substituted;
            values.AddRange([s.Kg, s.Hours, r.Total.ReportedKg, s.MissingShare, r.MonitoringUsable, s.ManualKg, s.ManualHours]);
            return values.ToArray();
        });
    }

    /// <summary>The barometer: a row per city (then the province, city null) and pollutant.</summary>
    public static ReportTable Barometer(IReadOnlyList<BarometerResult> rows) => new(
        ["city", "pollutant", "allocationKg", "ytdKg", "expectedToDateKg", "progress", "projectedKg", "level", "effectiveRate", "belowThreshold"],
        rows.Select(r => new object?[]
        {
            r.City, r.Pollutant, Math.Round(r.AllocationKg, 3), Math.Round(r.YtdKg, 3), Math.Round(r.ExpectedToDateKg, 3), r.Progress is { } p ? Math.Round(p, 4) : null,
            r.ProjectedKg is { } k ? Math.Round(k, 3) : null, r.Level, r.EffectiveRate, r.BelowThreshold,
        }).ToList());

    /// <summary>The exceedance trend: a row per local day.</summary>
    public static ReportTable Trend(IReadOnlyList<TrendDay> rows) => new(
        ["day", "exceedingHours", "exceedingDays", "outletsExceeding"],
        rows.Select(r => new object?[] { r.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.ExceedingHours, r.ExceedingDays, r.OutletsExceeding }).ToList());

    /// <summary>Means per unit of time with their validity counts: <c>span</c> (day, month, quarter, year), <c>period</c> (2025-07-01, 2025-07, 2025Q3, 2025), <c>from</c>, <c>to</c>, <c>mean</c> (null when invalid), <c>valid</c>, <c>validCount</c>, <c>requiredCount</c>, <c>validHours</c>.</summary>
    public static ReportTable Means(IReadOnlyList<(Scope Scope, Compliance.Means.UnitMean Mean)> rows, TimeZoneInfo zone)
    {
        var local = new LocalTimes(zone);
        return Table(rows, r => r.Scope, ["span", "period", "from", "to", "mean", "valid", "validCount", "requiredCount", "validHours"],
            r => [r.Mean.Unit, ReportService.UnitName(r.Mean), local.At(r.Mean.From), local.At(r.Mean.To), r.Mean.Value, r.Mean.Valid, r.Mean.ValidCount, r.Mean.RequiredCount, r.Mean.ValidHours]);
    }

    /// <summary>The checks catalogue: each check's code, category, sentences and source rule.</summary>
    public static ReportTable Checks(IEnumerable<Checks.Check> checks) => new(
        ["code", "category", "zh", "en", "source"],
        checks.Select(c => new object?[] { c.Code, c.Category, c.Zh, c.En, c.Source }).ToList());

    /// <summary>What an enterprise user sees in place of an operator's name.</summary>
    public const string Bureau = "生态环境局";

    /// <summary>
    /// The cards table; <paramref name="forEnterprise"/> shows an enterprise user neither the
    /// operators' names nor their decision and lift comments, unless a comment was addressed to the
    /// enterprise (<c>visibleToEnterprise</c>).
    /// </summary>
    public static ReportTable Cards(IReadOnlyList<CardResult> rows, TimeZoneInfo zone, bool forEnterprise = false) => Table(rows, r => r.Scope,
        ["quarter", "card", "reasons", "lifted", "decision", "decidedBy", "decidedAt", "decisionComment", "rectifyBy", "conditionsMet", "reasonItems"],
        r => [r.Card.Quarter, r.Card.Colour, r.Card.Reasons.Select(x => x.ToString()).ToList(), r.Card.Lifted is { } l
            ? JsonSerializer.SerializeToElement(new Dictionary<string, string?>
            {
                ["at"] = l.At.ToOffset(zone.GetUtcOffset(l.At)).ToString(ReportFormats.TimeFormat, CultureInfo.InvariantCulture),
                ["by"] = forEnterprise ? Bureau : l.By,
                ["comment"] = forEnterprise && !l.VisibleToEnterprise ? null : l.Comment,
            })
            : null,
            r.Card.DecisionState, r.Card.Decision is { } who ? (forEnterprise ? Bureau : who.By) : null,
            r.Card.Decision is { } d ? d.At.ToOffset(zone.GetUtcOffset(d.At)).ToString(ReportFormats.TimeFormat, CultureInfo.InvariantCulture) : null,
            r.Card.Decision is { } said && (!forEnterprise || said.VisibleToEnterprise) ? said.Comment : null, r.Card.RectifyBy.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Card.ConditionsMet,
            JsonSerializer.SerializeToElement(r.Card.Reasons.Select(x => x.Data()))]);

    private static ReportTable Table<T>(IReadOnlyList<T> rows, Func<T, Scope> scope, string[] columns, Func<T, object?[]> values)
    {
        var table = new List<object?[]>(rows.Count);
        foreach (var r in rows)
        {
            table.Add(Row(scope(r), values(r)));
        }

        return new([.. Identity, .. columns, .. Identifiers], table);
    }

    /// <summary>A row: the scope's identity columns, the kind's own values, then the registry's identifiers.</summary>
    private static object?[] Row(Scope s, ReadOnlySpan<object?> own)
    {
        var row = new object?[Identity.Length + own.Length + Identifiers.Length];
        (row[0], row[1], row[2], row[3], row[4]) = (s.Mn, s.Enterprise, s.EnterpriseName, s.City, s.Pollutant);
        own.CopyTo(row.AsSpan(Identity.Length));
        (row[^2], row[^1]) = (s.Code, s.PermitNumber);
        return row;
    }

    /// <summary>Boxes made once for the values a province's rows repeat millions of times (flags, small counts).</summary>
    private static class Boxed
    {
        private static readonly object[] Counts = Enumerable.Range(0, 256).Select(i => (object)i).ToArray();
        private static readonly object True = true, False = false;

        public static object Of(int n) => (uint)n < Counts.Length ? Counts[n] : n;

        public static object Of(bool b) => b ? True : False;
    }

    /// <summary>
    /// Local times with their zone's offset, the offset looked up once per local day where it is the
    /// same at the day's start and end (every day but a transition's, which looks up each time).
    /// </summary>
    private sealed class LocalTimes(TimeZoneInfo zone)
    {
        private readonly Dictionary<DateTime, TimeSpan?> _dayOffsets = [];

        public DateTimeOffset At(DateTime t)
        {
            var day = t.Date;
            if (!_dayOffsets.TryGetValue(day, out var offset))
            {
                var first = zone.GetUtcOffset(day);
                _dayOffsets[day] = offset = first == zone.GetUtcOffset(day.AddDays(1).AddTicks(-1)) ? first : null;
            }

            return new(t, offset ?? zone.GetUtcOffset(t));
        }
    }
}
