using System.Globalization;
using System.Text.Json;
using EmissionMonitor.Hj212.Codes;

namespace EmissionMonitor.Reports.Exports;

/// <summary>How a cell of a people's table is written: its number format in a workbook, its text in CSV.</summary>
public enum CellFormat
{
    /// <summary>Text as it is.</summary>
    Text,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>A number with two decimals (concentrations, multiples).</summary>
    Decimal2,

    /// <summary>A number with one decimal (minutes).</summary>
    Decimal1,

    /// <summary>A mass in kg, three decimals with thousands separators.</summary>
    Kilograms,

    /// <summary>A ratio shown as a percentage with one decimal (stored as the ratio).</summary>
    Percent,

    /// <summary>A local date.</summary>
    Date,

    /// <summary>A local date and time to the minute.</summary>
    DateTime,
}

/// <summary>A column of a people's table: its header in the chosen language and its format.</summary>
public sealed record ExportColumn(string Key, string Header, CellFormat Format);

/// <summary>
/// A report table as people hand it on (exports issue): names beside codes (enterprise, outlet,
/// pollutant, with the concentration unit), headers in Chinese or English, enumerations in words
/// (判定依据 小时均值, 红牌, 是/否), numbers rounded — concentrations to the pollutant's decimals, kg
/// to 3, rates as percentages — and times as dates; machine columns (reason data) left out. Built
/// once from a table's columns, then applied row by row as the rows stream.
/// </summary>
public sealed class ExportView
{
    private static readonly HashSet<string> Dropped = new(StringComparer.Ordinal) { "reasonItems" };
    private static readonly HashSet<string> Concentrations = new(StringComparer.Ordinal) { "peak", "limit", "value", "rtd", "avg", "min", "max", "zsRtd", "zsAvg", "mean", "monthlyConcentration" };
    private static readonly HashSet<string> Counts = new(StringComparer.Ordinal)
    {
        "expected", "received", "excused", "valid", "periods", "hours", "missingHours", "substitutedHours", "validCount", "requiredCount", "validHours", "exceedingHours", "exceedingDays", "outletsExceeding", "raised", "acknowledged",
        "acknowledgedInTime", "timedOut", "verified", "disposed", "evidenceFiles", "attempts", "hoursDown", "version", "exceedingPeriods", "outlets", "items", "manualHours", "generations",
    };

    private readonly Func<object?[], object?>[] _cells;

    private ExportView(IReadOnlyList<ExportColumn> columns, Func<object?[], object?>[] cells) => (Columns, _cells) = (columns, cells);

    /// <summary>The columns as they are written.</summary>
    public IReadOnlyList<ExportColumn> Columns { get; }

    /// <summary>
    /// The view of a table of <paramref name="raw"/> columns in <paramref name="lang"/> (<c>zh</c> or
    /// <c>en</c>). Names come from <paramref name="registry"/> where the table has only codes (an
    /// alert's MN gives its outlet, enterprise and city). An identity column empty in every row of
    /// <paramref name="sample"/> (a table by city has no outlet) is left out.
    /// </summary>
    public static ExportView For(IReadOnlyList<string> raw, string lang, Registry.StationRegistry? registry, IReadOnlyList<object?[]>? sample = null)
    {
        bool zh = lang != "en";
        var index = raw.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i, StringComparer.Ordinal);
        string? Raw(object?[] r, string key) => index.TryGetValue(key, out int i) ? r[i] as string : null;
        Registry.Outlet? OutletOf(object?[] r) => registry?.FindOutlet(Raw(r, "mn"));
        Registry.Enterprise? EnterpriseOf(object?[] r) =>
            registry?.FindEnterprise(Raw(r, "enterprise")) ?? (OutletOf(r) is { } o ? registry!.FindEnterprise(o.EnterpriseId) : null);
        PollutantCode? PollutantOf(object?[] r) => Raw(r, "pollutant") is { } c ? CodeCatalogue.Find(c) : null;
        var identity = new (string Key, bool Present, Func<object?[], object?> Cell)[]
        {
            ("city", index.ContainsKey("city") || index.ContainsKey("mn") || index.ContainsKey("enterprise"), r => Raw(r, "city") ?? EnterpriseOf(r)?.City),
            ("enterpriseName", index.ContainsKey("enterpriseName") || index.ContainsKey("mn") || index.ContainsKey("enterprise"), r => Raw(r, "enterpriseName") ?? EnterpriseOf(r)?.Name),
            ("enterprise", index.ContainsKey("enterprise") || index.ContainsKey("mn"), r => Raw(r, "enterprise") ?? OutletOf(r)?.EnterpriseId),
            ("permitNumber", index.ContainsKey("enterprise") || index.ContainsKey("mn"), r => Raw(r, "permitNumber") ?? EnterpriseOf(r)?.PermitNumber),
            ("outletName", index.ContainsKey("mn"), r => OutletOf(r)?.Name),
            ("outletCode", index.ContainsKey("mn"), r => Raw(r, "code") ?? OutletOf(r)?.Code),
            ("mn", index.ContainsKey("mn"), r => Raw(r, "mn")),
            ("pollutantName", index.ContainsKey("pollutant"), r => PollutantOf(r) is { } p ? (zh ? p.Name : p.EnglishName) : Raw(r, "pollutant")),
            ("pollutant", index.ContainsKey("pollutant"), r => Raw(r, "pollutant")),
            ("unit", index.ContainsKey("pollutant") && raw.Any(Concentrations.Contains), r => Unit(PollutantOf(r)?.Unit)),
        };
        var columns = new List<ExportColumn>();
        var cells = new List<Func<object?[], object?>>();
        foreach (var (key, present, cell) in identity)
        {
            if (present && (sample is not { Count: > 0 } || sample.Take(200).Any(r => cell(r) is not null)))
            {
                columns.Add(new(key, HeaderOf(key, zh), CellFormat.Text));
                cells.Add(cell);
            }
        }

        // An identity key is written by its identity column; a table without that identity (the checks
        // catalogue's code is not an outlet's) keeps the key as one of its own columns.
        var handled = identity.Where(i => i.Present).Select(i => i.Key == "outletCode" ? "code" : i.Key).ToHashSet(StringComparer.Ordinal);
        foreach (string key in raw.Where(k => !handled.Contains(k) && !Dropped.Contains(k)))
        {
            int i = index[key];
            var format = FormatOf(key);
            var enumeration = ExportWords.Values.GetValueOrDefault(key);
            columns.Add(new(key, HeaderOf(key, zh), format));
            cells.Add(r => Value(r[i], format, enumeration, zh));
        }

        return new ExportView(columns, [.. cells]);
    }

    private static string HeaderOf(string key, bool zh) => ExportWords.Headers.TryGetValue(key, out var words) ? (zh ? words.Zh : words.En) : key;

    /// <summary>One raw row as the view writes it.</summary>
    public object?[] Row(object?[] raw)
    {
        var row = new object?[_cells.Length];
        for (int i = 0; i < row.Length; i++)
        {
            row[i] = _cells[i](raw);
        }

        return row;
    }

    private static CellFormat FormatOf(string key) => key switch
    {
        _ when key.EndsWith("Rate", StringComparison.Ordinal) || key is "progress" or "missingShare" or "ratio" or "reduction" => CellFormat.Percent,
        _ when key.EndsWith("Yuan", StringComparison.Ordinal) || key.EndsWith("quivalents", StringComparison.Ordinal) || key == "rate" => CellFormat.Decimal2,
        "equivalentKg" => CellFormat.Text, // kg per equivalent: 0.0005 for mercury, as the law's annex writes it
        _ when key.EndsWith("Kg", StringComparison.Ordinal) || key is "kg" or "cou" => CellFormat.Kilograms,
        _ when Concentrations.Contains(key) || key == "peakMultiple" => CellFormat.Decimal2,
        _ when key.StartsWith("medianMinutes", StringComparison.Ordinal) => CellFormat.Decimal1,
        _ when Counts.Contains(key) => CellFormat.Integer,
        "day" or "rectifyBy" or "due" => CellFormat.Date,
        _ => CellFormat.Text,
    };

    private static object? Value(object? v, CellFormat format, Dictionary<string, (string Zh, string En)>? words, bool zh) => v switch
    {
        null => null,
        bool b => b ? (zh ? ExportWords.Yes.Zh : ExportWords.Yes.En) : (zh ? ExportWords.No.Zh : ExportWords.No.En),
        string s when words is not null && words.TryGetValue(s, out var w) => zh ? w.Zh : w.En,
        double or float or decimal or int or long when format is not CellFormat.Text => Round(Convert.ToDouble(v, CultureInfo.InvariantCulture), format),
        DateTimeOffset t => t.DateTime,
        string s when format == CellFormat.Date && DateTime.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) => day,
        string s when Wall(s) is { } wall => wall,
        IEnumerable<string> list => string.Join(zh ? "；" : "; ", list),
        JsonElement { ValueKind: JsonValueKind.Object } lifted when lifted.TryGetProperty("at", out var at) =>
            $"{(Wall(at.GetString() ?? string.Empty) is { } when ? when.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : at.GetString())} {(lifted.TryGetProperty("by", out var by) ? by.GetString() : null)}".Trim(),
        _ => v,
    };

    private static double Round(double v, CellFormat format) => format switch
    {
        CellFormat.Integer => Math.Round(v, 0, MidpointRounding.AwayFromZero),
        CellFormat.Decimal1 => Math.Round(v, 1, MidpointRounding.AwayFromZero),
        CellFormat.Decimal2 => Math.Round(v, 2, MidpointRounding.AwayFromZero),
        CellFormat.Kilograms => Math.Round(v, 3, MidpointRounding.AwayFromZero),
        CellFormat.Percent => Math.Round(v, 3, MidpointRounding.AwayFromZero),
        _ => v,
    };

    /// <summary>An ISO local time as the API writes it (with or without its offset) as the wall-clock time.</summary>
    private static DateTime? Wall(string s) =>
        s.Length is >= 16 and <= 33 && s[4] == '-' && s[10] == 'T' && DateTime.TryParse(s.Length > 19 && s[19] != '.' ? s[..19] : s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t
            : null;

    private static string? Unit(string? unit) => unit?.Replace("m3", "m³", StringComparison.Ordinal);
}
