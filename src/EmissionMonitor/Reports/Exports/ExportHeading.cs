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

    /// <summary>What the downloads of the API are called, by their file name: Chinese and English.</summary>
    public static (string Zh, string En) TitleOf(string name) => Titles.TryGetValue(name, out var t) ? t : (name, name);

    private static readonly Dictionary<string, (string Zh, string En)> Titles = new(StringComparer.Ordinal)
    {
        ["rates"] = ("自动监控数据有效传输率", "Effective transmission rates"), ["exceedances"] = ("超标记录", "Exceedances"), ["totals"] = ("污染物排放量", "Emissions"),
        ["cards"] = ("红黄牌", "Red and yellow cards"), ["hours"] = ("小时有效性", "Hourly validity"), ["anomalies"] = ("数据异常", "Data anomalies"),
        ["barometer"] = ("总量控制晴雨表", "Barometer"), ["trend"] = ("超标趋势", "Exceedance trend"), ["alerts"] = ("报警", "Alerts"), ["marks"] = ("数据标记", "Data marks"),
        ["orders"] = ("督办", "Supervision orders"), ["alert-handling"] = ("报警处置情况", "Alert handling"), ["outages"] = ("停运报告与恢复", "Outages"),
        ["readings"] = ("监测数据", "Monitoring data"), ["commands"] = ("反控命令", "Commands"), ["notifications"] = ("通知", "Notifications"),
    };
}
