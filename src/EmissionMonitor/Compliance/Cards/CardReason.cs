using System.Globalization;

namespace EmissionMonitor.Compliance.Cards;

/// <summary>
/// Why a quarter meets a yellow condition: <see cref="ExceedanceRate"/> (an outlet's exceeding share of
/// valid periods for a totalled pollutant), <see cref="OverTotal"/> (the enterprise over its permit) or
/// <see cref="MonitoringUnusable"/> (an outlet's monitoring of a totalled pollutant missing more hours
/// than the 25 % rule allows: it cannot stand as the actual emissions).
/// Its text, as reports show it, is <c>kind:pollutant:mn:detail</c>.
/// </summary>
public sealed record CardReason(string Kind, string Pollutant, string? Mn, string Detail)
{
    public const string ExceedanceRate = "exceedance-rate";
    public const string OverTotal = "over-total";
    public const string MonitoringUnusable = "monitoring-unusable";

    /// <summary><c>exceedance-rate:a21026:QH0001:25.0%&gt;=20%</c>.</summary>
    public static CardReason OfExceedanceRate(string pollutant, string mn, double rate, double yellowRate) =>
        new(ExceedanceRate, pollutant, mn, string.Create(CultureInfo.InvariantCulture, $"{rate * 100:0.0}%>={yellowRate * 100:0.##}%"));

    /// <summary><c>over-total:a21002::131.2t&gt;122.4t</c>.</summary>
    public static CardReason OfOverTotal(string pollutant, double ytdKg, double permitKg) =>
        new(OverTotal, pollutant, null, string.Create(CultureInfo.InvariantCulture, $"{ytdKg / 1000:0.0}t>{permitKg / 1000:0.0}t"));

    /// <summary><c>monitoring-unusable:w01018:QH0002:31.05%&gt;25%</c>.</summary>
    public static CardReason OfMonitoringUnusable(string pollutant, string mn, double missingShare, double maxShare) =>
        new(MonitoringUnusable, pollutant, mn, string.Create(CultureInfo.InvariantCulture, $"{missingShare * 100:0.00}%>{maxShare * 100:0.##}%"));

    public override string ToString() => $"{Kind}:{Pollutant}:{Mn}:{Detail}";

    /// <summary>
    /// The reason in words for the public (<paramref name="chinese"/> or English): the pollutant by
    /// name, the outlet and the figures, never the machine form.
    /// </summary>
    public string Words(bool chinese)
    {
        var code = Hj212.Codes.CodeCatalogue.Find(Pollutant);
        string name = chinese ? code?.Name ?? Pollutant : code?.EnglishName ?? Pollutant;
        var parts = Detail.Split(Kind == ExceedanceRate ? ">=" : ">", 2);
        string value = parts[0], bound = parts.Length > 1 ? parts[1] : string.Empty;
        return (Kind, chinese) switch
        {
            (ExceedanceRate, true) => $"排口 {Mn} {name}超标率 {value}（达到或超过 {bound}）",
            (ExceedanceRate, false) => $"outlet {Mn}: {name} exceedance rate {value} (at or above {bound})",
            (OverTotal, true) => $"{name}年度累计排放量 {value.Replace("t", " 吨", StringComparison.Ordinal)}，超过许可排放量 {bound.Replace("t", " 吨", StringComparison.Ordinal)}",
            (OverTotal, false) => $"{name} emitted this year {value.Replace("t", " t", StringComparison.Ordinal)}, above the permitted {bound.Replace("t", " t", StringComparison.Ordinal)}",
            (MonitoringUnusable, true) => $"排口 {Mn} {name}自动监测数据缺失 {value}（超过 {bound}），不能作为实际排放量的依据",
            (MonitoringUnusable, false) => $"outlet {Mn}: {name} monitoring missing {value} of its hours (over {bound}): it cannot stand as the actual emissions",
            _ => ToString(),
        };
    }

    /// <summary>
    /// The reason as data for a client to say in its own language: the kind, pollutant, outlet, the
    /// figure and the bound it met or passed, and their unit (<c>%</c> for an exceedance rate, <c>t</c>
    /// for a total).
    /// </summary>
    public IReadOnlyDictionary<string, object?> Data()
    {
        var parts = Detail.Split(Kind == ExceedanceRate ? ">=" : ">", 2);
        string unit = Kind is ExceedanceRate or MonitoringUnusable ? "%" : "t";
        static double? Number(string text, string unit) =>
            double.TryParse(text.Replace(unit, string.Empty, StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : null;
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["kind"] = Kind, ["pollutant"] = Pollutant.Length == 0 ? null : Pollutant, ["mn"] = Mn,
            ["value"] = Number(parts[0], unit), ["bound"] = parts.Length > 1 ? Number(parts[1], unit) : null, ["unit"] = unit,
        };
    }

    /// <summary>A reason back from its text (<see cref="ToString"/>).</summary>
    public static CardReason Parse(string text)
    {
        var parts = text.Split(':', 4);
        return parts.Length == 4
            ? new CardReason(parts[0], parts[1], parts[2].Length == 0 ? null : parts[2], parts[3])
            : new CardReason(text, string.Empty, null, string.Empty);
    }
}
