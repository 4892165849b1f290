using System.Security.Cryptography;
using System.Text;

namespace EmissionMonitor.Alerts;

/// <summary>
/// An alert with the lifecycle <c>active</c> → <c>acknowledged</c> → <c>cleared</c>; at most one open
/// alert per outlet, pollutant and kind. Its id is derived from (kind, mn, pollutant, start), so two
/// instances raising the same alert raise one.
/// </summary>
public sealed record Alert(
    string Id,
    string Kind,
    string Severity,
    string State,
    string Mn,
    string? Enterprise,
    string? City,
    string? Pollutant,
    double? Value,
    double? Limit,
    DateTimeOffset RaisedAt,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    DateTimeOffset? ClearedAt,
    string Message)
{
    public const string Active = "active";
    public const string Acknowledged = "acknowledged";
    public const string Cleared = "cleared";

    /// <summary>
    /// The message as data for the dashboard to say in the user's language: a key
    /// (<c>alert.{kind}</c>, or a variant) and its parameters (text values); <see cref="Message"/>
    /// stays the English sentence for logs and MQTT.
    /// </summary>
    public string? MessageKey { get; init; }

    /// <summary>The parameters of <see cref="MessageKey"/>.</summary>
    public IReadOnlyDictionary<string, string?>? Params { get; init; }

    public bool IsOpen => State != Cleared;

    /// <summary>The time of the data the alert is about (its value's or period's start); for alerts about no data, when the condition began.</summary>
    public DateTimeOffset? DataFrom { get; init; }

    /// <summary>The end of the data the alert is about (a period's end, a back-fill's last period), or null.</summary>
    public DateTimeOffset? DataTo { get; init; }

    /// <summary>The comment given when it was acknowledged (several at once take one comment), or null.</summary>
    public string? AcknowledgeComment { get; init; }

    /// <summary>An anomaly's kind (<c>constant</c>, <c>zero</c>, <c>negative</c>, <c>over-range</c>, <c>no-flow</c>, <c>air</c>); null for other alerts.</summary>
    public string? SubKind { get; init; }

    /// <summary>核实结论 given when acknowledging or disposing: <c>real</c>, <c>instrument</c>, <c>false-alarm</c> or <c>unknown</c>; null until verified.</summary>
    public string? Verdict { get; init; }

    /// <summary>The user (name) the alert is assigned to, or null.</summary>
    public string? Assignee { get; init; }

    /// <summary>When it was disposed of (处置: what was done is <see cref="DisposeComment"/>), by whom.</summary>
    public DateTimeOffset? DisposedAt { get; init; }

    public string? DisposedBy { get; init; }

    public string? DisposeComment { get; init; }

    /// <summary>Who cleared it by hand and why (null when its condition ended by itself).</summary>
    public string? ClearedBy { get; init; }

    public string? ClearComment { get; init; }

    /// <summary>The supervision order made from this alert, or null.</summary>
    public string? OrderId { get; init; }

    /// <summary>Every step of the alert's life and handling, oldest first (at most <see cref="AlertStep.MaxSteps"/>: the first and the newest).</summary>
    public IReadOnlyList<AlertStep> History { get => _history; init => _history = value as AlertSteps ?? new AlertSteps(value); }

    private readonly IReadOnlyList<AlertStep> _history = AlertSteps.Empty;

    /// <summary>The alert with one more step in its history.</summary>
    public Alert WithStep(AlertStep step) =>
        this with { History = History.Count < AlertStep.MaxSteps ? [.. History, step] : [History[0], .. History.Skip(History.Count - AlertStep.MaxSteps + 2), step] };

    public static string MakeId(string kind, string mn, string? pollutant, DateTimeOffset start, string? subKind = null)
    {
        string sub = subKind is null ? string.Empty : "|" + subKind; // ids of alerts without a sub-kind stay as they were
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}|{mn}|{pollutant}|{start.ToUnixTimeMilliseconds()}{sub}"));
        return Convert.ToHexStringLower(bytes.AsSpan(0, 10));
    }
}

/// <summary>
/// One step of an alert's life: <c>raise</c>, <c>reopen</c>, <c>acknowledge</c>, <c>assign</c>,
/// <c>dispose</c>, <c>order</c>, <c>clear</c>; by a user's name or <c>system</c>.
/// </summary>
public sealed record AlertStep(string Action, string By, DateTimeOffset At, string? Comment = null, string? Verdict = null)
{
    public const string System = "system";
    public const string Raise = "raise", Reopen = "reopen", Acknowledge = "acknowledge", Assign = "assign", Dispose = "dispose", Order = "order", Clear = "clear";

    /// <summary>Steps one alert keeps (a flapping alert reopens many times): the first and the newest.</summary>
    public const int MaxSteps = 50;

    /// <summary>The user an <c>assign</c> step assigned the alert to.</summary>
    public string? Assignee { get; init; }

    /// <summary>The order an <c>order</c> step made.</summary>
    public string? OrderId { get; init; }
}

/// <summary>An alert's steps, equal to another list of the same steps (so alerts compare by value, history included).</summary>
public sealed class AlertSteps(IEnumerable<AlertStep> steps) : IReadOnlyList<AlertStep>, IEquatable<AlertSteps>
{
    public static readonly AlertSteps Empty = new([]);

    private readonly AlertStep[] _steps = steps.ToArray();

    public int Count => _steps.Length;

    public AlertStep this[int index] => _steps[index];

    public IEnumerator<AlertStep> GetEnumerator() => ((IEnumerable<AlertStep>)_steps).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _steps.GetEnumerator();

    public bool Equals(AlertSteps? other) => other is not null && _steps.SequenceEqual(other._steps);

    public override bool Equals(object? obj) => Equals(obj as AlertSteps);

    public override int GetHashCode() => _steps.Length;
}

/// <summary>核实结论: what an alert turned out to be.</summary>
public static class AlertVerdicts
{
    public const string Real = "real", Instrument = "instrument", FalseAlarm = "false-alarm", Unknown = "unknown";

    public static readonly string[] All = [Real, Instrument, FalseAlarm, Unknown];
}

/// <summary>Alert kinds and their severities.</summary>
public static class AlertKinds
{
    public const string Exceedance = "exceedance";
    public const string Warning = "warning";
    public const string LowRate = "low-rate";
    public const string Silent = "silent";
    public const string Card = "card";

    /// <summary>HJ 212-2025: a terminal's SM4 key is older than Security:KeyMaxAge (the standard rotates every 90 days).</summary>
    public const string KeyAge = "key-age";

    /// <summary>HJ 212-2025 CN 2062: an automatic standard-sample check failed (<c>-ResultType=0</c>).</summary>
    public const string CheckFailed = "check-failed";

    /// <summary>HJ 212-2025 CN 1001: a terminal reported other hardware (logger id, CPU id or MACs) than recorded.</summary>
    public const string IdentityChanged = "identity-changed";

    /// <summary>A terminal's clock (the QN of its frames against their arrival) is off by more than Gateway:ClockAlert.</summary>
    public const string ClockDrift = "clock-drift";

    /// <summary>A city's year-to-date emissions of a pollutant crossed a level of the target barometer (yellow or red).</summary>
    public const string Barometer = "barometer";

    /// <summary>A supervision order of the outlet is open past its deadline.</summary>
    public const string OrderOverdue = "order-overdue";

    /// <summary>A data anomaly (恒值, 零值, 负值, 超量程, 无流量, air instead of flue gas), with its <see cref="Alert.SubKind"/>.</summary>
    public const string Anomaly = "anomaly";

    /// <summary>An outlet's back-filled data (older than Alerts:LiveWindow, or RF=1): one open per outlet, saying how much arrived and how many exceedance episodes it holds.</summary>
    public const string Backfill = "backfill";

    /// <summary>An outage (a <c>silent</c> outlet) past a deadline: sub-kind <c>report</c> (no mark filed within Outage:ReportWithin) or <c>restore</c> (no data within Outage:RestoreWithin).</summary>
    public const string OutageOverdue = "outage-overdue";

    /// <summary>An outlet raised more than Alerts:MaxNewPerOutletPerHour alerts in an hour: this one stands for the rest, which are counted.</summary>
    public const string Flood = "flood";

    /// <summary>A treatment facility stopped while a production facility it serves runs (HJ 212-2025 ST=44), sub-kind the treatment facility's id.</summary>
    public const string TreatmentOff = Compliance.Facilities.FacilityStates.TreatmentOff;

    /// <summary>A production facility running inside a shutdown mark (pending or approved) of its enterprise, sub-kind the facility's id.</summary>
    public const string ShutdownContradicted = Compliance.Facilities.FacilityStates.ShutdownContradicted;

    /// <summary>An outlet's flow while every production facility of its enterprise is stopped.</summary>
    public const string EmissionsWithoutProduction = Compliance.Facilities.FacilityStates.EmissionsWithoutProduction;

    public static string SeverityOf(string kind) => kind switch
    {
        Exceedance or Flood or TreatmentOff => "critical",
        Warning or Silent or CheckFailed or IdentityChanged or ClockDrift or Barometer or OrderOverdue or Anomaly or OutageOverdue or ShutdownContradicted => "warning",
        _ => "info",
    };
}
