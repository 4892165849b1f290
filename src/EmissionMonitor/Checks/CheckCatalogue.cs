using EmissionMonitor.Compliance.Anomalies;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Compliance.Rates;
using EmissionMonitor.Hj212;
using EmissionMonitor.Intake;

namespace EmissionMonitor.Checks;

/// <summary>
/// One check the service applies, by its stable code: what kind of check it is
/// (<see cref="CheckCatalogue.Categories"/>), a sentence an officer can forward in Chinese and in
/// English, and the rule it comes from.
/// </summary>
public sealed record Check(string Code, string Category, string Zh, string En, string Source);

/// <summary>
/// Every rejection reason (decode errors and intake reasons), data flag, validity reason of an hour,
/// anomaly kind and mark effect, with a stable code (the one JSON carries), a Chinese and an English
/// sentence and its source rule (issue "figures a bureau can sign", item 7): <c>GET /api/checks</c>,
/// <c>report checks</c>; tables, downloads and the dashboard show the sentence.
/// </summary>
public static class CheckCatalogue
{
    public const string Decode = "decode", Intake = "intake", Flag = "flag", Validity = "validity", Anomaly = "anomaly", MarkEffect = "mark-effect", Facility = "facility";

    /// <summary>The categories in the order the catalogue lists them.</summary>
    public static IReadOnlyList<string> Categories { get; } = [Decode, Intake, Flag, Validity, Anomaly, MarkEffect, Facility];

    private const string Frame = "HJ 212-2017 §6.3.1 表2 (frame layout)";
    private const string Design = "intake rules of the service (README: intake reasons)";
    private const string Flags = "HJ 212-2017 §6.6.4 表8 (data flags)";
    private const string Section0 = "HJ 212-2017 表8 (only N is normal); the national platform's validity rule (有效数据)";
    private const string Marking = "Compliance:MarkEffects; 污染源自动监控数据标记规则 (MEE, 2022)";
    private const string Power = "HJ 212-2025 ST=44 用电监控 (DOMAIN.md §0.4); registry facilities, Facilities:*";

    /// <summary>The whole catalogue, by category then code.</summary>
    public static IReadOnlyList<Check> All { get; } =
    [
        new(Hj212Errors.NoHeader, Decode, "数据前有不属于报文的字节（缺少“##”包头），已跳过并存档。", "Bytes before a frame (no ## header): skipped and archived.", Frame),
        new(Hj212Errors.BadLength, Decode, "报文长度字段不是4位数字，无法读取。", "The 4-character length field is not digits: the frame cannot be read.", Frame),
        new(Hj212Errors.Truncated, Decode, "报文不完整：数据在报文结束前中断。", "The frame is incomplete: the input ends before the frame does.", Frame),
        new(Hj212Errors.LengthMismatch, Decode, "报文实际长度与长度字段不符（CRC和结束符不在应在的位置）。", "The frame's length differs from its length field (CRC and line end misplaced).", Frame),
        new(Hj212Errors.CrcMismatch, Decode, "CRC校验不符：报文在传输中损坏或校验算法错误。", "CRC mismatch: the frame was damaged in transit or the terminal computes its CRC wrongly.", "HJ 212-2017 附录A (CRC16)"),
        new(Hj212Errors.BadField, Decode, "CRC正确但包头或数据区字段无法使用。", "The CRC is right but a header or data-area field is unusable.", "HJ 212-2017 §6.3.2 表3"),
        new(Hj212Errors.NoKey, Decode, "加密报文，但该数采仪没有登记SM4密钥，无法解密。", "An encrypted frame from a terminal without a registered SM4 key: it cannot be decrypted.", "HJ 212-2025 (SM4 encryption)"),
        new(Hj212Errors.BadCipher, Decode, "加密数据区无法用登记的密钥解密。", "The encrypted data area does not decrypt with the registered key.", "HJ 212-2025 (SM4 encryption)"),

        new(Reasons.UnknownMn, Intake, "数采仪编号（MN）未在监控名录中登记。", "The terminal's MN is not in the registry.", Design),
        new(Reasons.BadPassword, Intake, "访问密码（PW）与登记的不符。", "The access password (PW) differs from the registered one.", Design),
        new(Reasons.TopicMismatch, Intake, "报文的MN与发布主题或登录身份不一致：一台数采仪只能上报自己的排口。", "The frame's MN differs from its topic or login: a terminal may report only for its own outlet.", "MQTT access rules (README: MQTT)"),
        new(Reasons.MissingField, Intake, "缺少必需字段（如MN、DataTime）。", "A required field (such as MN or DataTime) is missing.", Design),
        new(Reasons.BadDataTime, Intake, "数据时间（DataTime）不是有效的时间。", "DataTime is not a valid time.", Design),
        new(Reasons.FutureDataTime, Intake, "数据时间超前于接收时间（超过 Intake:MaxFutureSkew）：数采仪时钟可能不准。", "DataTime is ahead of the time received (beyond Intake:MaxFutureSkew): the terminal's clock may be wrong.", Design),
        new(Reasons.TooOld, Intake, "数据时间早于保留期限（Intake:MaxAge）。", "DataTime is older than Intake:MaxAge.", Design),
        new(Reasons.Throttled, Intake, "该连接发送过快或错误过多，已限流。", "The connection sent too fast or too many bad frames: throttled.", "Intake limits (Intake:*)"),
        new(Reasons.TooLarge, Intake, "报文超过允许的最大长度（Intake:MaxFrameBytes）。", "The frame is longer than Intake:MaxFrameBytes.", "Intake:MaxFrameBytes"),
        new(Reasons.Duplicate, Intake, "重复上报：同一数据已入库，已回复确认但不重复计算。", "A resend of stored data: acknowledged, not counted twice.", Design),
        new(Reasons.DuplicateConflict, Intake, "重复上报但数值与已入库的不同：以先收到的为准，差异已存档。", "A resend with different values: the first received stands; the difference is archived.", Design),
        new(Reasons.NotEncrypted, Intake, "该数采仪要求加密，但此类报文未加密。", "This terminal must encrypt, and the frame is plain.", "HJ 212-2025; registry encryption=required"),

        new("flag-N", Flag, "N：仪器正常运行，数据有效。", "N: the instrument works normally; the value counts.", Flags),
        new("flag-F", Flag, "F：排放源或仪器停运，该时段不计入应传时数。", "F: the source or instrument is stopped; the period is not expected.", Flags),
        new("flag-M", Flag, "M：维护期间产生的数据，无效（有维护标记时免予考核）。", "M: produced during maintenance; invalid unless a maintenance mark excuses it.", Flags),
        new("flag-S", Flag, "S：手工输入的设定值，无效。", "S: a manually entered set value; invalid.", Flags),
        new("flag-D", Flag, "D：仪器故障，数据无效（有故障标记时免予考核）。", "D: instrument fault; invalid unless a fault mark excuses it.", Flags),
        new("flag-C", Flag, "C：仪器校验期间的数据，无效（有校准标记时免予考核）。", "C: produced while calibrating; invalid unless a calibration mark excuses it.", Flags),
        new("flag-T", Flag, "T：超出仪器测量上限，数据无效。", "T: above the measuring upper limit; invalid.", Flags),
        new("flag-B", Flag, "B：仪器与数采仪通信异常，数据无效。", "B: instrument–terminal communication abnormal; invalid.", Flags),

        new(HourReasons.Valid, Validity, "有效：标记为N、有数值且在合理范围内。", "Valid: flag N, a value, within its physical range.", Section0),
        new(HourReasons.Missing, Validity, "缺失：该小时没有收到小时数据（CN=2061）。", "Missing: no hourly record (CN=2061) arrived for the hour.", "国家平台有效传输率 (应传/实传小时数)"),
        new(HourReasons.ExemptFlag, Validity, "免予考核：数据标记为停运（F），该小时不计入应传时数。", "Exempt: flagged as stopped (F); the hour is not expected.", "Compliance:ExemptFlags (停运时段不计入应传)"),
        new(HourReasons.ExemptMark, Validity, "免予考核：经审核的停运、不可抗力或通讯标记覆盖该小时。", "Exempt: an approved shutdown, force-majeure or communication mark covers the hour.", Marking),
        new(HourReasons.ExcusedMark, Validity, "免予考核：经审核的维护、校准或故障标记覆盖该小时，且数据标记与之相符。", "Excused: an approved maintenance, calibration or fault mark covers the hour and its flag matches.", Marking),
        new(HourReasons.InvalidFlag, Validity, "无效：数据标记不是N（见数据标记说明）。", "Invalid: the flag is not N (see the flags).", Flags),
        new(HourReasons.NoValue, Validity, "无效：标记为N但没有数值。", "Invalid: flag N without a value.", Section0),
        new(HourReasons.OutOfRange, Validity, "无效：数值超出物理合理范围（如浓度为负、pH不在0–14）。", "Invalid: a value outside its physical range (a negative concentration, pH outside 0–14).", "Intake:Ranges (physical plausibility)"),
        new(HourReasons.NotFinite, Validity, "无效：数值不是有限数。", "Invalid: the value is not a finite number.", "Intake:Ranges (physical plausibility)"),
        new(HourReasons.TooFewMinutes, Validity, "无效：该小时没有小时数据，由分钟数据补全时有效分钟数不足45个（HJ 75/76 附录B）。",
            "Invalid: no hourly record, and the minute records that would complete it have fewer than 45 valid values (HJ 75/76 Appendix B).", "HJ 75/76-2017 附录B; Compliance:MinValidMinutesPerHour"),
        new(HourReasons.ManualData, Validity, "免予考核：没有有效的自动监测值，经审核的手工监测数据代表该小时（计为已传输，用于超标判定和排放量核算）。",
            "Excused: no valid automatic value; an approved manual sample stands for the hour (counted as sent, judged for exceedance and used for totals).",
            "污染源自动监控数据标记规则 (MEE, 2022) 手工监测值录入; Manual:CoversHours"),
        new(HourReasons.Suspect, Validity, "无效：疑似异常数据（恒值、零值等），按 Anomalies:InvalidateSuspect 不计为有效。", "Invalid: suspect data (constant, zero …) under Anomalies:InvalidateSuspect.", "Anomalies:InvalidateSuspect"),

        new(AnomalyKinds.Constant, Anomaly, "恒值：数值连续多个时段不变。", "Constant: the value did not change over several periods.", "Anomalies:ConstantHours; 污染源自动监控数据标记规则 (2022)"),
        new(AnomalyKinds.Zero, Anomaly, "零值：排放期间数值持续为零。", "Zero: the value stayed at zero while emitting.", "Anomalies:ZeroHours"),
        new(AnomalyKinds.Negative, Anomaly, "负值：浓度或流量为负。", "Negative: a negative concentration or flow.", "Anomalies:*"),
        new(AnomalyKinds.OverRange, Anomaly, "超量程：数值高于仪器量程。", "Over range: a value above the analyser's range.", "registry rangeMax"),
        new(AnomalyKinds.NoFlow, Anomaly, "无流量：有浓度但流量为零或缺失。", "No flow: concentrations without flow.", "Anomalies:*"),
        new(AnomalyKinds.Air, Anomaly, "疑似空气：氧含量接近空气，烟气可能被稀释或未经采样。", "Air: oxygen near that of air; the flue gas may be diluted or not sampled.", "Anomalies:AirOxygen"),

        new(Compliance.Marks.MarkEffect.Exempt, MarkEffect, "免予考核：覆盖的小时不计入应传时数。", "Exempt: the hours covered are not expected.", Marking),
        new(Compliance.Marks.MarkEffect.Excuse, MarkEffect, "豁免：覆盖的小时中数据标记相符的不计入有效性考核。", "Excuse: covered hours whose flag matches are left out of the validity count.", Marking),
        new(Compliance.Marks.MarkEffect.NoEffect, MarkEffect, "仅记录：标记保留，不改变任何数字。", "Record only: the mark is kept and changes no figure.", Marking),

        new("treatment-off", Facility, "治污设施停运：生产设施运行期间，为其服务的治污设施停止运行（不少于 Facilities:MinMinutes）。",
            "Treatment off: a treatment facility stopped while a production facility it serves runs (for Facilities:MinMinutes or more).", Power),
        new("shutdown-contradicted", Facility, "停产申报存疑：已通过的停产标记期间，企业的生产设施仍在运行。",
            "Shutdown contradicted: a production facility runs inside an approved shutdown mark.", Power),
        new("emissions-without-production", Facility, "停产仍有排放：全部生产设施停止运行，排口仍有流量（高于 Facilities:FlowThreshold）。",
            "Emissions without production: the outlet's flow is above Facilities:FlowThreshold while every production facility is stopped.", Power),
        new("facility-unknown", Facility, "状态未知：超过 Facilities:StaleAfter 未收到用电数据，不判定为停运。",
            "Unknown: no power value for Facilities:StaleAfter; never taken as stopped.", Power),
    ];

    private static readonly Dictionary<string, Check> ByCode = All.ToDictionary(c => c.Code, StringComparer.Ordinal);

    /// <summary>A check by its code, or null.</summary>
    public static Check? Find(string? code) => code is null ? null : ByCode.GetValueOrDefault(code);

    /// <summary>The sentence of a code in <paramref name="lang"/> (zh unless en), or the code itself when the catalogue has none.</summary>
    public static string Sentence(string code, string lang) => Find(code) is { } c ? (lang == "en" ? c.En : c.Zh) : code;
}
