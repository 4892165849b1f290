namespace EmissionMonitor.Alerts;

/// <summary>Alert kinds, severities and verdicts in Chinese, for mails and the documents the service writes.</summary>
public static class AlertNames
{
    public static string Severity(string s) => s switch { "critical" => "严重", "warning" => "警告", _ => "提示" };

    public static string Kind(string k) => k switch
    {
        AlertKinds.Exceedance => "超标", AlertKinds.Warning => "实时预警", AlertKinds.Silent => "断线", AlertKinds.LowRate => "有效传输率低", AlertKinds.Card => "红黄牌",
        AlertKinds.KeyAge => "密钥过期", AlertKinds.CheckFailed => "标样核查不合格", AlertKinds.IdentityChanged => "数采仪更换", AlertKinds.ClockDrift => "时钟偏差",
        AlertKinds.Barometer => "晴雨表预警", AlertKinds.OrderOverdue => "督办超期", AlertKinds.Anomaly => "数据异常", AlertKinds.Flood => "报警过多", AlertKinds.Backfill => "数据补传",
        AlertKinds.OutageOverdue => "停运超时", "order" => "新督办", "mark" => "数据标记", "deadline" => "执行报告提醒", AlertKinds.TreatmentOff => "治污设施停运", AlertKinds.EmissionsWithoutProduction => "停产仍有排放", AlertKinds.ShutdownContradicted => "停产申报存疑", "outage" => "停运（断线）", _ => k,
    };

    public static string Verdict(string? v) => v switch
    {
        AlertVerdicts.Real => "属实", AlertVerdicts.Instrument => "仪器故障", AlertVerdicts.FalseAlarm => "误报", AlertVerdicts.Unknown => "无法判定", _ => "未核实",
    };
}
