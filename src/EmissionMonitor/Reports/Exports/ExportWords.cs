namespace EmissionMonitor.Reports.Exports;

/// <summary>
/// The words a downloaded table says instead of the API's codes: headers in Chinese and English,
/// and each enumeration's values (判定依据 小时均值, 红牌, 是/否 …), the same words as the dashboard.
/// </summary>
internal static class ExportWords
{
    /// <summary>Headers by column key: Chinese, English.</summary>
    public static readonly Dictionary<string, (string Zh, string En)> Headers = new(StringComparer.Ordinal)
    {
        ["city"] = ("市/州", "City"), ["enterpriseName"] = ("企业名称", "Enterprise"), ["enterprise"] = ("企业编号", "Enterprise ID"), ["outletName"] = ("排口名称", "Outlet"),
        ["permitNumber"] = ("排污许可证编号", "Permit number"), ["outletCode"] = ("排放口编码", "Outlet code"),
        ["mn"] = ("排口编号(MN)", "Outlet MN"), ["pollutantName"] = ("污染物", "Pollutant"), ["pollutant"] = ("污染物编码", "Pollutant code"), ["unit"] = ("浓度单位", "Unit"),
        ["from"] = ("开始", "From"), ["to"] = ("结束", "To"), ["assessed"] = ("是否考核", "Assessed"), ["expected"] = ("应传小时数", "Hours expected"),
        ["received"] = ("实传小时数", "Hours received"), ["excused"] = ("标记豁免小时数", "Hours excused"), ["valid"] = ("有效小时数", "Valid hours"),
        ["transmissionRate"] = ("传输率", "Transmission rate"), ["validityRate"] = ("有效率", "Validity rate"), ["effectiveRate"] = ("有效传输率", "Effective rate"),
        ["belowThreshold"] = ("低于90%", "Below 90%"), ["start"] = ("开始", "Start"), ["end"] = ("结束", "End"), ["state"] = ("状态", "State"), ["flag"] = ("数据标记", "Flag"),
        ["detail"] = ("说明", "Detail"), ["category"] = ("类别", "Category"), ["derived"] = ("由分钟数据补全", "Derived from minutes"), ["span"] = ("统计周期", "Unit"), ["mean"] = ("均值", "Mean"),
        ["validCount"] = ("有效数", "Valid"), ["requiredCount"] = ("应有有效数", "Required"), ["validHours"] = ("有效小时数", "Valid hours"), ["zh"] = ("说明（中文）", "Chinese"),
        ["en"] = ("说明（英文）", "English"), ["source"] = ("依据", "Source"), ["code"] = ("代码", "Code"), ["suspect"] = ("疑似异常", "Suspect"), ["basis"] = ("判定依据", "Basis"), ["valueKind"] = ("判定值", "Value judged"),
        ["periods"] = ("时段数", "Periods"), ["peak"] = ("峰值", "Peak"), ["limit"] = ("限值", "Limit"), ["peakMultiple"] = ("超标倍数", "Times the limit"),
        ["ongoing"] = ("持续中", "Ongoing"), ["kg"] = ("排放量(kg)", "Emitted (kg)"), ["validKg"] = ("有效数据排放量(kg)", "From valid hours (kg)"), ["hours"] = ("小时数", "Hours"),
        ["missingHours"] = ("缺失小时数", "Hours missing"), ["substitutedKg"] = ("补遗排放量(kg)", "Substituted (kg)"),
        ["substitutedHours"] = ("补遗小时数", "Hours substituted"), ["reportedKg"] = ("核算排放量(kg)", "Reported (kg)"), ["missingShare"] = ("缺失时段比例", "Share missing"),
        ["monitoringUsable"] = ("自动监测数据可作为实际排放量依据", "Monitoring stands as the actual emissions"), ["permitKg"] = ("许可排放量(kg)", "Permitted (kg)"), ["capKg"] = ("总量控制目标(kg)", "Cap (kg)"),
        ["ytdKg"] = ("年度累计排放量(kg)", "Year to date (kg)"), ["overTotal"] = ("超许可量", "Over the permit"), ["overCap"] = ("超总量目标", "Over the cap"),
        ["quarter"] = ("季度", "Quarter"), ["card"] = ("红黄牌", "Card"), ["reasons"] = ("原因", "Reasons"), ["lifted"] = ("解除", "Lifted"), ["decision"] = ("认定", "Decision"),
        ["decidedBy"] = ("认定人", "Decided by"), ["decidedAt"] = ("认定时间", "Decided at"), ["decisionComment"] = ("认定意见", "Decision comment"),
        ["rectifyBy"] = ("整改期限", "Rectify by"), ["conditionsMet"] = ("条件仍满足", "Conditions still met"), ["subKind"] = ("异常类型", "Anomaly"), ["value"] = ("数值", "Value"),
        ["day"] = ("日期", "Day"), ["exceedingHours"] = ("超标时段数", "Exceeding periods"), ["exceedingDays"] = ("超标天数", "Exceeding days"),
        ["outletsExceeding"] = ("超标排口数", "Outlets exceeding"), ["id"] = ("编号", "ID"), ["kind"] = ("类型", "Kind"), ["severity"] = ("级别", "Severity"),
        ["raisedAt"] = ("发生时间", "Raised"), ["acknowledgedAt"] = ("确认时间", "Acknowledged"), ["acknowledgedBy"] = ("确认人", "Acknowledged by"),
        ["clearedAt"] = ("解除时间", "Cleared"), ["message"] = ("说明", "Message"), ["acknowledgeComment"] = ("确认说明", "Acknowledgement"), ["comment"] = ("说明", "Comment"),
        ["by"] = ("申报人", "Filed by"), ["createdAt"] = ("创建时间", "Created"), ["revokedAt"] = ("撤销时间", "Revoked"), ["revokedBy"] = ("撤销人", "Revoked by"),
        ["revokeComment"] = ("撤销说明", "Revocation"), ["overFaultCap"] = ("超年度故障时数", "Over the fault cap"), ["evidenceFiles"] = ("佐证材料数", "Evidence files"),
        ["alertId"] = ("报警编号", "Alert"), ["deadline"] = ("办理期限", "Deadline"), ["overdue"] = ("已超期", "Overdue"), ["text"] = ("督办内容", "Order"),
        ["createdBy"] = ("下发人", "Issued by"), ["cause"] = ("原因", "Cause"), ["measures"] = ("整改措施", "Measures"), ["answeredAt"] = ("反馈时间", "Answered"),
        ["closedAt"] = ("办结时间", "Closed"), ["allocationKg"] = ("城市目标(kg)", "City target (kg)"), ["expectedToDateKg"] = ("按进度应排(kg)", "Expected to date (kg)"),
        ["progress"] = ("进度", "Progress"), ["projectedKg"] = ("全年预计(kg)", "Projected (kg)"), ["level"] = ("等级", "Level"), ["dataFrom"] = ("数据时间", "Data from"),
        ["dataTo"] = ("数据截止", "Data to"), ["verdict"] = ("核实结论", "Verdict"), ["assignee"] = ("处理人", "Assignee"), ["disposedAt"] = ("处置时间", "Disposed"),
        ["disposedBy"] = ("处置人", "Disposed by"), ["disposeComment"] = ("处置情况", "Disposal"), ["clearedBy"] = ("解除人", "Cleared by"), ["clearComment"] = ("解除说明", "Clearance"),
        ["orderId"] = ("督办单号", "Order"), ["group"] = ("统计对象", "Group"), ["raised"] = ("报警数", "Raised"), ["acknowledged"] = ("已响应", "Acknowledged"),
        ["acknowledgedInTime"] = ("按时响应", "In time"), ["responseRate"] = ("响应率", "Response rate"), ["timedOut"] = ("响应超时", "Timed out"),
        ["responseTimeoutRate"] = ("响应超时率", "Timeout rate"), ["verified"] = ("已核实", "Verified"), ["verificationRate"] = ("核实率", "Verification rate"),
        ["disposed"] = ("已处置", "Disposed"), ["disposalRate"] = ("处置率", "Disposal rate"), ["medianMinutesToAcknowledge"] = ("响应用时中位数(分钟)", "Median minutes to answer"),
        ["medianMinutesToDispose"] = ("处置用时中位数(分钟)", "Median minutes to dispose"), ["outlet"] = ("排口", "Outlet"), ["startedAt"] = ("断线时间", "Down since"),
        ["reportDeadline"] = ("报告期限", "Report by"), ["markAt"] = ("报告时间", "Reported"), ["reportedInTime"] = ("按时报告", "Reported in time"),
        ["restoreDeadline"] = ("恢复期限", "Restore by"), ["restoredAt"] = ("恢复时间", "Restored"), ["restoredInTime"] = ("按时恢复", "Restored in time"),
        ["hoursDown"] = ("停运小时数", "Hours down"), ["period"] = ("时间", "Time"), ["cn"] = ("数据类型", "Data"), ["command"] = ("命令", "Command"),
        ["qn"] = ("请求编号(QN)", "QN"), ["params"] = ("参数", "Parameters"), ["link"] = ("链路", "Link"), ["sentAt"] = ("发送时间", "Sent"), ["acceptedAt"] = ("应答时间", "Accepted"),
        ["finishedAt"] = ("完成时间", "Finished"), ["qnRtn"] = ("请求应答(QnRtn)", "QnRtn"), ["exeRtn"] = ("执行结果(ExeRtn)", "ExeRtn"), ["reason"] = ("原因", "Reason"),
        ["groupName"] = ("名称", "Name"), ["rtd"] = ("实时值", "Real-time"), ["avg"] = ("均值", "Mean"), ["min"] = ("最小值", "Minimum"), ["max"] = ("最大值", "Maximum"),
        ["cou"] = ("排放量", "Amount"), ["zsRtd"] = ("折算实时值", "Corrected real-time"), ["zsAvg"] = ("折算均值", "Corrected mean"), ["invalid"] = ("无效", "Invalid"),
        ["rf"] = ("补遗", "Filled"), ["version"] = ("版本", "Version"), ["publishedAt"] = ("发布时间", "Published"), ["publishedBy"] = ("发布人", "Published by"),
        ["sampledAt"] = ("采样时间", "Sampled at"), ["flow"] = ("流量(m³/h)", "Flow (m³/h)"), ["coverFrom"] = ("代表时段开始", "Stands from"),
        ["coverTo"] = ("代表时段结束", "Stands to"), ["hoursStood"] = ("代表小时数", "Hours stood for"), ["markId"] = ("所属标记", "Mark"),
        ["manualKg"] = ("手工监测排放量(kg)", "From manual data (kg)"), ["manualHours"] = ("手工监测小时数", "Hours of manual data"),
        ["month"] = ("月份", "Month"), ["medium"] = ("介质", "Medium"), ["equivalentKg"] = ("污染当量值(kg)", "kg per equivalent"),
        ["equivalents"] = ("污染当量数", "Equivalents"), ["monthlyConcentration"] = ("月均浓度", "Month's concentration"), ["ratio"] = ("浓度与标准之比", "Share of the limit"),
        ["exceedingPeriods"] = ("超标时段数", "Exceeding periods"), ["reduction"] = ("计征比例", "Taxed at"), ["reductionReason"] = ("减征依据", "Reduction"),
        ["taxed"] = ("计征", "Taxed"), ["taxedReason"] = ("计征依据", "Item"), ["rate"] = ("税额(元/当量)", "Yuan per equivalent"), ["taxYuan"] = ("应纳税额(元)", "Tax (yuan)"),
        ["reportKind"] = ("报告类型", "Report"), ["reportPeriod"] = ("报告期", "Period"), ["due"] = ("截止日期", "Due"), ["generations"] = ("生成次数", "Generated"),
        ["lastGeneratedAt"] = ("最近生成时间", "Last generated"), ["lastGeneratedBy"] = ("生成人", "Generated by"), ["remindedAt"] = ("提醒时间", "Reminded"),
        ["annualPermitKg"] = ("年许可排放量(kg)", "Annual permit (kg)"), ["explanation"] = ("企业说明（数据标记与督办反馈）", "Enterprise's explanation (marks, order answers)"),
        ["outlets"] = ("排口数", "Outlets"), ["items"] = ("计征项数", "Items taxed"), ["airEquivalents"] = ("大气污染当量数", "Air equivalents"),
        ["waterEquivalents"] = ("水污染当量数", "Water equivalents"), ["airTaxYuan"] = ("大气污染物税额(元)", "Air tax (yuan)"), ["waterTaxYuan"] = ("水污染物税额(元)", "Water tax (yuan)"),
        ["requestedBy"] = ("下发人", "Requested by"), ["requestedAt"] = ("下发时间", "Requested"), ["attempts"] = ("发送次数", "Attempts"), ["result"] = ("结果", "Result"),
    };

    /// <summary>Values of enumerations by column key: each value's Chinese and English words.</summary>
    public static readonly Dictionary<string, Dictionary<string, (string Zh, string En)>> Values = new(StringComparer.Ordinal)
    {
        ["basis"] = Words(("hour", "小时均值", "hourly mean"), ("day", "日均值", "daily mean"), ("hourly", "小时数据", "hourly records"), ("realtime", "实时数据", "real-time records")),
        ["valueKind"] = Words(("as-sent", "小时均值（实测）", "hourly mean (measured)"), ("zs-sent", "折算小时均值", "corrected hourly mean"),
            ("zs-computed", "折算小时均值（按氧含量计算）", "O2-corrected hourly mean"), ("hourly-mean", "日均值（由小时均值计算）", "daily mean of hourly means"),
            ("manual", "手工监测值", "manual sample")),
        ["source"] = Words(("automatic", "自动监测", "automatic monitoring"), ("manual", "含手工监测数据", "with manual data")),
        ["card"] = Words(("red", "红牌", "red"), ("yellow", "黄牌", "yellow")),
        ["decision"] = Words(("proposed", "拟评", "proposed"), ("confirmed", "已确认", "confirmed"), ("dismissed", "不予认定", "dismissed"),
            ("approved", "已通过", "approved"), ("rejected", "已驳回", "rejected")),
        ["state"] = Words(("valid", "有效", "valid"), ("invalid", "无效", "invalid"), ("missing", "缺失", "missing"), ("excused", "豁免（标记）", "excused (mark)"),
            ("exempt", "不考核", "exempt"), ("open", "待办理", "open"), ("answered", "已反馈", "answered"), ("closed", "已办结", "closed"), ("pending", "待审核", "pending"),
            ("approved", "已通过", "approved"), ("rejected", "已驳回", "rejected"), ("revoked", "已撤销", "revoked"), ("withdrawn", "已撤回", "withdrawn"), ("active", "未确认", "active"),
            ("acknowledged", "已确认", "acknowledged"), ("cleared", "已解除", "cleared"), ("queued", "排队中", "queued"), ("sent", "已发送", "sent"),
            ("accepted", "已应答", "accepted"), ("done", "执行成功", "done"), ("failed", "执行失败", "failed"), ("refused", "被拒绝", "refused"), ("timeout", "超时", "timeout"),
            ("generated", "已生成", "generated"), ("upcoming", "未到期·未生成", "due, not generated"), ("overdue", "已过期限·未生成", "past due, not generated")),
        ["level"] = Words(("green", "正常", "green"), ("yellow", "黄色预警", "yellow"), ("red", "红色预警", "red")),
        ["severity"] = Words(("critical", "严重", "critical"), ("warning", "警告", "warning"), ("info", "提示", "info")),
        ["kind"] = Words(("exceedance", "超标", "exceedance"), ("warning", "实时预警", "warning"), ("silent", "断线", "silent"), ("low-rate", "传输率低", "low rate"),
            ("card", "红黄牌", "card"), ("anomaly", "数据异常", "anomaly"), ("order-overdue", "督办超期", "order overdue"), ("outage-overdue", "停运超时", "outage overdue"),
            ("clock-drift", "时钟偏差", "clock drift"), ("identity-changed", "数采仪更换", "logger changed"), ("check-failed", "标样核查不合格", "check failed"),
            ("key-age", "密钥过期", "key too old"), ("barometer", "晴雨表预警", "barometer"), ("flood", "报警过多", "alert flood"), ("backfill", "数据补传", "back-fill"),
            ("shutdown", "停产", "shutdown"), ("force-majeure", "不可抗力", "force majeure"), ("maintenance", "维护", "maintenance"), ("calibration", "校准", "calibration"),
            ("fault", "故障", "fault"), ("communication", "通讯中断", "communication loss")),
        ["subKind"] = Words(("constant", "恒值", "constant"), ("zero", "零值", "zero"), ("negative", "负值", "negative"), ("over-range", "超量程", "over range"),
            ("no-flow", "无流量", "no flow"), ("air", "疑似空气", "air"), ("report", "未按时报告", "not reported"), ("restore", "未按时恢复", "not restored")),
        ["verdict"] = Words(("real", "属实", "real"), ("instrument", "仪器故障", "instrument fault"), ("false-alarm", "误报", "false alarm"), ("unknown", "无法判定", "undetermined")),
        ["cn"] = Words(("2011", "实时数据", "real-time"), ("2051", "分钟数据", "minute"), ("2061", "小时数据", "hourly"), ("2031", "日数据", "daily")),
        ["link"] = Words(("mqtt", "MQTT", "MQTT"), ("tcp", "TCP 直连", "TCP")),
        ["flag"] = Words(("N", "正常（N）", "normal (N)"), ("F", "停运（F）", "stopped (F)"), ("M", "维护（M）", "maintenance (M)"), ("S", "手工输入（S）", "manual (S)"),
            ("D", "故障（D）", "fault (D)"), ("C", "校准（C）", "calibration (C)"), ("T", "超测定上限（T）", "over range (T)"), ("B", "通讯异常（B）", "link down (B)")),
        ["span"] = Words(("day", "日均值", "daily"), ("month", "月均值", "monthly"), ("quarter", "季均值", "quarterly"), ("year", "年均值", "annual")),
        ["category"] = Words(("decode", "报文解析", "decoding"), ("intake", "接收检查", "intake"), ("flag", "数据标记", "data flag"), ("validity", "小时有效性", "hour validity"),
            ("anomaly", "数据异常", "anomaly"), ("mark-effect", "标记效力", "mark effect")),
        ["medium"] = Words(("gas", "废气", "gas"), ("water", "废水", "water")),
        ["reportKind"] = Words(("monthly", "月度执行报告", "monthly"), ("quarterly", "季度执行报告", "quarterly"), ("semiannual", "半年执行报告", "half-year"),
            ("annual", "年度执行报告", "annual")),
        ["reductionReason"] = Words(("below-50", "低于标准50%，减按50%征收", "50 % below the limit: taxed at 50 %"),
            ("below-70", "低于标准30%，减按75%征收", "30 % below the limit: taxed at 75 %"), ("none", "不减征", "no reduction"),
            ("exceeding", "当月有超标时段，不减征", "an exceeding period this month: no reduction"),
            ("monitoring-unusable", "缺失时段超过25%，自动监测数据不能作为依据", "over 25 % missing: monitoring cannot stand"),
            ("no-limit", "无排放标准限值", "no limit"), ("no-valid-data", "当月无有效数据", "no valid data this month")),
        ["taxedReason"] = Words(("largest", "按污染当量数排序计征", "among the largest"), ("not-among-largest", "不在计征项数内", "not among the largest"),
            ("cod-bod5-toc-largest-only", "化学需氧量、五日生化需氧量、总有机碳只征收一项", "COD, BOD5, TOC: only the largest"),
            ("no-emissions", "无排放量", "no emissions")),
        ["reason"] = Checks.CheckCatalogue.All.ToDictionary(c => c.Code, c => (c.Zh, c.En), StringComparer.Ordinal),
    };

    /// <summary>Yes and no.</summary>
    public static (string Zh, string En) Yes => ("是", "yes");

    public static (string Zh, string En) No => ("否", "no");

    private static Dictionary<string, (string Zh, string En)> Words(params (string Value, string Zh, string En)[] words) =>
        words.ToDictionary(w => w.Value, w => (w.Zh, w.En), StringComparer.Ordinal);
}
