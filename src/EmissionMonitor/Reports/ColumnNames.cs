namespace EmissionMonitor.Reports;

/// <summary>
/// Chinese headers for downloaded workbooks (<c>format=xlsx&amp;lang=zh</c>, what the dashboard's
/// Chinese UI asks for): each column key by its name; a key without one keeps the key.
/// </summary>
public static class ColumnNames
{
    private static readonly Dictionary<string, string> Chinese = new(StringComparer.Ordinal)
    {
        ["mn"] = "排口编号(MN)", ["enterprise"] = "企业编号", ["enterpriseName"] = "企业名称", ["city"] = "市/州", ["pollutant"] = "污染物编码", ["pollutantName"] = "污染物",
        ["from"] = "开始", ["to"] = "结束", ["assessed"] = "是否考核", ["expected"] = "应传小时数", ["received"] = "实传小时数", ["excused"] = "标记豁免小时数", ["valid"] = "有效小时数",
        ["transmissionRate"] = "传输率", ["validityRate"] = "有效率", ["effectiveRate"] = "有效传输率", ["belowThreshold"] = "低于90%",
        ["start"] = "开始", ["end"] = "结束", ["state"] = "状态", ["flag"] = "数据标记", ["detail"] = "说明", ["suspect"] = "疑似异常",
        ["basis"] = "判定依据", ["valueKind"] = "判定值", ["periods"] = "时段数", ["peak"] = "峰值", ["limit"] = "限值", ["peakMultiple"] = "超标倍数", ["ongoing"] = "持续中",
        ["kg"] = "排放量(kg)", ["validKg"] = "有效数据排放量(kg)", ["hours"] = "小时数", ["missingHours"] = "缺失小时数", ["permitKg"] = "许可排放量(kg)", ["capKg"] = "总量控制目标(kg)",
        ["ytdKg"] = "年度累计排放量(kg)", ["overTotal"] = "超许可量", ["overCap"] = "超总量目标",
        ["quarter"] = "季度", ["card"] = "红黄牌", ["reasons"] = "原因", ["reasonItems"] = "原因(数据)", ["lifted"] = "解除", ["decision"] = "认定", ["decidedBy"] = "认定人",
        ["decidedAt"] = "认定时间", ["decisionComment"] = "认定意见", ["rectifyBy"] = "整改期限", ["conditionsMet"] = "条件仍满足",
        ["subKind"] = "异常类型", ["value"] = "数值", ["day"] = "日期", ["exceedingHours"] = "超标时段数", ["exceedingDays"] = "超标天数", ["outletsExceeding"] = "超标排口数",
        ["id"] = "编号", ["kind"] = "类型", ["severity"] = "级别", ["raisedAt"] = "发生时间", ["acknowledgedAt"] = "确认时间", ["acknowledgedBy"] = "确认人", ["clearedAt"] = "解除时间",
        ["message"] = "说明", ["acknowledgeComment"] = "确认说明", ["comment"] = "说明", ["by"] = "申报人", ["createdAt"] = "创建时间", ["revokedAt"] = "撤销时间",
        ["revokedBy"] = "撤销人", ["revokeComment"] = "撤销说明", ["overFaultCap"] = "超年度故障时数", ["evidenceFiles"] = "佐证材料数",
        ["alertId"] = "报警编号", ["deadline"] = "办理期限", ["overdue"] = "已超期", ["text"] = "督办内容", ["createdBy"] = "下发人", ["cause"] = "原因", ["measures"] = "整改措施",
        ["answeredAt"] = "反馈时间", ["closedAt"] = "办结时间", ["allocationKg"] = "城市目标(kg)", ["expectedToDateKg"] = "按进度应排(kg)", ["progress"] = "进度",
        ["projectedKg"] = "全年预计(kg)", ["level"] = "等级",
        ["dataFrom"] = "数据时间", ["dataTo"] = "数据截止", ["verdict"] = "核实结论", ["assignee"] = "处理人", ["disposedAt"] = "处置时间", ["disposedBy"] = "处置人",
        ["disposeComment"] = "处置情况", ["clearedBy"] = "解除人", ["clearComment"] = "解除说明", ["orderId"] = "督办单号",
        ["group"] = "统计对象", ["raised"] = "报警数", ["acknowledged"] = "已响应", ["acknowledgedInTime"] = "按时响应", ["responseRate"] = "响应率", ["timedOut"] = "响应超时",
        ["responseTimeoutRate"] = "响应超时率", ["verified"] = "已核实", ["verificationRate"] = "核实率", ["disposed"] = "已处置", ["disposalRate"] = "处置率",
        ["medianMinutesToAcknowledge"] = "响应用时中位数(分钟)", ["medianMinutesToDispose"] = "处置用时中位数(分钟)",
        ["outlet"] = "排口", ["startedAt"] = "断线时间", ["reportDeadline"] = "报告期限", ["markAt"] = "报告时间", ["reportedInTime"] = "按时报告", ["restoreDeadline"] = "恢复期限",
        ["restoredAt"] = "恢复时间", ["restoredInTime"] = "按时恢复", ["hoursDown"] = "停运小时数",
    };

    /// <summary>The headers of <paramref name="columns"/> in <paramref name="lang"/> (<c>zh</c>), or null for the keys.</summary>
    public static IReadOnlyList<string>? For(IReadOnlyList<string> columns, string? lang) =>
        lang == "zh" ? columns.Select(c => Chinese.GetValueOrDefault(c, c)).ToList() : null;
}
