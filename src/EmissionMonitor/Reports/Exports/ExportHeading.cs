using System.Globalization;

namespace EmissionMonitor.Reports.Exports;

/// <summary>
/// The lines above a people's table: what it is, the period and scope, when its data was cut off,
/// who made it and when — so a printed or forwarded file says what it holds.
/// </summary>
public sealed record ExportHeading(string Title, string? Period, string? Scope, DateTime CutOff, string By, DateTime At)
{
    /// <summary>The lines in <paramref name="lang"/>.</summary>
    public IReadOnlyList<string> Lines(string lang)
    {
        bool zh = lang != "en";
        string Time(DateTime t) => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var second = new List<string>();
        if (Period is not null)
        {
            second.Add((zh ? "期间：" : "Period: ") + Period);
        }

        second.Add((zh ? "范围：" : "Scope: ") + (Scope ?? (zh ? "全省" : "province")));
        return
        [
            Title,
            string.Join(zh ? "　" : " · ", second),
            zh ? $"数据截至 {Time(CutOff)}　生成：{By}，{Time(At)}" : $"Data up to {Time(CutOff)} · made by {By} at {Time(At)}",
        ];
    }

    /// <summary>
    /// The heading of a download or report named <paramref name="name"/>, from its request's values by
    /// name (<c>quarter|month|year</c> or <c>from</c>/<c>to</c>; <c>city</c>, <c>enterprise</c>, <c>permit</c>,
    /// <c>mn</c>, <c>code</c>, <c>pollutant</c>) — the same for the HTTP API and the command line: the enterprise and the
    /// pollutant named as people know them, everything a caller sent shortened for display.
    /// </summary>
    public static ExportHeading Of(string name, Func<string, string?> value, Registry.StationRegistry registry, string lang, string by, DateTime now)
    {
        bool en = lang == "en";
        string? period = value("quarter") ?? value("month") ?? value("year") ?? (value("from") is { } from ? $"{from} – {value("to") ?? (en ? "now" : "至今")}" : null);
        string? enterprise = value("enterprise") is { } id ? registry.FindEnterprise(id)?.Name ?? id : null;
        string? pollutant = value("pollutant") is { } code ? Hj212.Codes.CodeCatalogue.Find(code) is { } p ? (en ? p.EnglishName : p.Name) : code : null;
        string? permit = value("permit") is { } number ? (en ? "permit " : "许可证 ") + number : null;
        string? outlet = value("code") is { } outletCode ? (en ? "outlet " : "排放口 ") + outletCode : null;
        var scope = new[] { value("city"), enterprise, permit, value("mn"), outlet, pollutant }.Where(x => !string.IsNullOrEmpty(x)).Select(x => Users.UserText.Shown(x!)).ToList();
        var (zh, english) = TitleOf(name);
        return new(en ? english : zh, period is null ? null : Users.UserText.Shown(period), scope.Count == 0 ? null : string.Join(" · ", scope), now, by, now);
    }

    /// <summary>What the downloads of the API are called, by their file name: Chinese and English.</summary>
    public static (string Zh, string En) TitleOf(string name) => Titles.TryGetValue(name, out var t) ? t : (name, name);

    private static readonly Dictionary<string, (string Zh, string En)> Titles = new(StringComparer.Ordinal)
    {
        ["rates"] = ("自动监控数据有效传输率", "Effective transmission rates"), ["exceedances"] = ("超标记录", "Exceedances"), ["totals"] = ("污染物排放量", "Emissions"),
        ["cards"] = ("红黄牌", "Red and yellow cards"), ["hours"] = ("小时有效性", "Hourly validity"), ["anomalies"] = ("数据异常", "Data anomalies"),
        ["barometer"] = ("总量控制晴雨表", "Barometer"), ["trend"] = ("超标趋势", "Exceedance trend"), ["alerts"] = ("报警", "Alerts"), ["marks"] = ("数据标记", "Data marks"),
        ["orders"] = ("督办", "Supervision orders"), ["alert-handling"] = ("报警处置情况", "Alert handling"), ["outages"] = ("停运报告与恢复", "Outages"),
        ["readings"] = ("监测数据", "Monitoring data"), ["commands"] = ("反控命令", "Commands"), ["notifications"] = ("通知", "Notifications"),
        ["checks"] = ("判定规则目录", "Catalogue of checks"), ["means"] = ("监测数据均值及有效性", "Means and their validity"),
        ["manual"] = ("手工监测数据", "Manual monitoring data"), ["tax"] = ("环境保护税预核算", "Environmental tax pre-check"),
        ["deadlines"] = ("排污许可执行报告提交日历", "Execution report calendar"), ["manual-data"] = ("手工监测数据", "Manual monitoring data"),
    };
}
