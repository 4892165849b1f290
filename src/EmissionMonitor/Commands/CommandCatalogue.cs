using System.Globalization;
using System.Text.Json;
using EmissionMonitor.Hj212;
using EmissionMonitor.Hj212.Codes;

namespace EmissionMonitor.Commands;

/// <summary>How a command's exchange ends (HJ 212-2017 §6.1–6.5, DOMAIN.md 1.10).</summary>
public enum CommandKind
{
    /// <summary>A request: 9011 QnRtn, any data asked for, then 9012 ExeRtn; done on ExeRtn=1.</summary>
    Request,

    /// <summary>A request that starts a stream (2011, 2021): done on QnRtn=1.</summary>
    Start,

    /// <summary>A notification (2012, 2022): done on the terminal's 9013.</summary>
    Notification,
}

/// <summary>One command operators can send: its name, CN, kind and the CN of the data it brings back, if any.</summary>
public sealed record CommandDefinition(string Name, string Cn, CommandKind Kind, string? AnswerCn = null);

/// <summary>A command as forms show it: its name, CN, kind and parameters.</summary>
public sealed record CommandDescription(string Name, string Cn, string Kind, IReadOnlyList<CommandParameter> Params);

/// <summary>One parameter of a command: its name, type, whether required, and its bounds, allowed values or unit.</summary>
public sealed record CommandParameter(string Name, string Type, bool Required)
{
    public int? Min { get; init; }

    public int? Max { get; init; }

    public IReadOnlyList<string>? Values { get; init; }

    public string? Unit { get; init; }
}

/// <summary>What a validated command sends: its CN and the CP items (values checked: nothing a caller sends can break the CP).</summary>
public sealed record PreparedCommand(CommandDefinition Definition, string Cn, IReadOnlyList<KeyValuePair<string, string>> Cp, IReadOnlyDictionary<string, string> Params);

/// <summary>
/// The host→terminal commands of HJ 212 Appendix C the service sends (DESIGN.md "Commands"), with
/// their parameters checked: a bad one is named with the reason.
/// </summary>
public static class CommandCatalogue
{
    /// <summary>The minute-data intervals HJ 212 allows (minutes).</summary>
    public static readonly IReadOnlyList<int> MinIntervals = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30];

    public static readonly IReadOnlyDictionary<string, CommandDefinition> All = new CommandDefinition[]
    {
        new("get-time", "1011", CommandKind.Request, "1011"),
        new("set-time", "1012", CommandKind.Request),
        new("get-rtd-interval", "1061", CommandKind.Request, "1061"),
        new("set-rtd-interval", "1062", CommandKind.Request),
        new("get-min-interval", "1063", CommandKind.Request, "1063"),
        new("set-min-interval", "1064", CommandKind.Request),
        new("start-realtime", Cns.RealTime, CommandKind.Start),
        new("stop-realtime", "2012", CommandKind.Notification),
        new("start-run-state", Cns.RunningState, CommandKind.Start),
        new("stop-run-state", "2022", CommandKind.Notification),
        new("history", Cns.Hourly, CommandKind.Request),
        new("get-info", "3020", CommandKind.Request, "3020"),
        new("zero-calibrate", "3011", CommandKind.Request),
        new("sample-now", "3012", CommandKind.Request),
    }.ToDictionary(d => d.Name, StringComparer.Ordinal);

/// <summary>
    /// What each command takes, for forms (<c>GET /api/commands/catalogue</c>): every parameter with
    /// its type — <c>time</c> (local time, empty: the service's clock when sent), <c>datetime</c>,
    /// <c>integer</c> (with its bounds or its allowed values), <c>choice</c> (with its values),
    /// <c>pollutant</c> (a code of the outlet), <c>code</c> (an information code) — and whether it
    /// is required; the same rules <see cref="Prepare"/> checks.
    /// </summary>
    public static IEnumerable<CommandDescription> Describe() => All.Values.Select(d => new CommandDescription(d.Name, d.Cn, d.Kind.ToString().ToLowerInvariant(),
        (Allowed.TryGetValue(d.Name, out var names) ? names : []).Select(n => Parameter(d.Name, n)).ToList()));

    private static CommandParameter Parameter(string command, string name) => (command, name) switch
    {
        ("set-time", "time") => new(name, "time", Required: false),
        ("set-rtd-interval", _) => new(name, "integer", Required: true) { Min = 30, Max = 3600, Unit = "s" },
        ("set-min-interval", _) => new(name, "integer", Required: true) { Values = MinIntervals.Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList(), Unit = "min" },
        ("history", "cn") => new(name, "choice", Required: false) { Values = [Cns.Hourly, Cns.Minute, Cns.Daily] },
        ("history", _) => new(name, "datetime", Required: true),
        (_, "polId") => new(name, "pollutant", Required: command != "get-info"),
        _ => new(name, "code", Required: false),
    };

    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["set-time"] = ["time"],
        ["set-rtd-interval"] = ["interval"],
        ["set-min-interval"] = ["interval"],
        ["history"] = ["cn", "from", "to"],
        ["get-info"] = ["polId", "infoId"],
        ["zero-calibrate"] = ["polId"],
        ["sample-now"] = ["polId"],
    };

    /// <summary>
    /// Checks a command and its parameters (a JSON object or absent) and builds what it sends;
    /// null with the bad parameter and why otherwise. <paramref name="now"/> is the service's local
    /// clock (set-time's default); <paramref name="maxHistory"/> bounds a history request's span.
    /// </summary>
    public static PreparedCommand? Prepare(string? name, JsonElement? parameters, DateTime now, TimeSpan maxHistory, out string? parameter, out string? why)
    {
        parameter = null;
        why = null;
        if (name is null || !All.TryGetValue(name, out var definition))
        {
            parameter = "command";
            why = $"must be one of {string.Join(", ", All.Keys)}";
            return null;
        }

        var given = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (parameters is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } p)
        {
            if (p.ValueKind != JsonValueKind.Object)
            {
                (parameter, why) = ("params", "must be an object");
                return null;
            }

            string[] allowed = Allowed.GetValueOrDefault(name, []);
            foreach (var property in p.EnumerateObject())
            {
                if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                {
                    (parameter, why) = ($"params.{Shown(property.Name)}", allowed.Length == 0 ? $"{name} takes no parameters" : $"{name} takes {string.Join(", ", allowed)}");
                    return null;
                }

                given[property.Name] = property.Value;
            }
        }

        var cp = new List<KeyValuePair<string, string>>();
        var shown = new Dictionary<string, string>(StringComparer.Ordinal);
        string cn = definition.Cn;
        void Add(string key, string value, string param, string display)
        {
            cp.Add(new(key, value));
            shown[param] = display;
        }

        switch (name)
        {
            case "set-time":
                DateTime time = now;
                if (given.TryGetValue("time", out var t) && !TryLocal(t, out time))
                {
                    (parameter, why) = ("params.time", "needs a local time YYYY-MM-DDTHH:mm:ss (or YYYY-MM-DD)");
                    return null;
                }

                Add("SystemTime", Hj212Time.Format(time), "time", time.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
                break;
            case "set-rtd-interval":
                if (!given.TryGetValue("interval", out var rtd) || !IsWhole(rtd, out int seconds) || seconds is < 30 or > 3600)
                {
                    (parameter, why) = ("params.interval", "needs the real-time interval in seconds, 30 to 3600");
                    return null;
                }

                Add("RtdInterval", seconds.ToString(CultureInfo.InvariantCulture), "interval", seconds.ToString(CultureInfo.InvariantCulture));
                break;
            case "set-min-interval":
                if (!given.TryGetValue("interval", out var min) || !IsWhole(min, out int minutes) || !MinIntervals.Contains(minutes))
                {
                    (parameter, why) = ("params.interval", $"needs the minute-data interval in minutes, one of {string.Join(", ", MinIntervals)}");
                    return null;
                }

                Add("MinInterval", minutes.ToString(CultureInfo.InvariantCulture), "interval", minutes.ToString(CultureInfo.InvariantCulture));
                break;
            case "history":
                cn = given.TryGetValue("cn", out var c) ? (c.ValueKind == JsonValueKind.String ? c.GetString()! : c.ToString()) : Cns.Hourly;
                if (cn is not (Cns.Daily or Cns.Minute or Cns.Hourly))
                {
                    (parameter, why) = ("params.cn", "must be 2031 (daily), 2051 (minute) or 2061 (hourly)");
                    return null;
                }

                if (!given.TryGetValue("from", out var f) || !TryLocal(f, out var from))
                {
                    (parameter, why) = ("params.from", "needs a local time YYYY-MM-DDTHH:mm:ss (or YYYY-MM-DD)");
                    return null;
                }

                if (!given.TryGetValue("to", out var e) || !TryLocal(e, out var to))
                {
                    (parameter, why) = ("params.to", "needs a local time YYYY-MM-DDTHH:mm:ss (or YYYY-MM-DD)");
                    return null;
                }

                if (to <= from || to - from > maxHistory)
                {
                    (parameter, why) = ("params.to", to <= from ? "must be after from" : $"the span is at most {maxHistory.TotalDays:F0} days");
                    return null;
                }

                shown["cn"] = cn;
                Add("BeginTime", Hj212Time.Format(from), "from", from.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
                Add("EndTime", Hj212Time.Format(to), "to", to.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
                break;
            case "get-info" or "zero-calibrate" or "sample-now":
                if (given.TryGetValue("polId", out var pol) && !IsCode(pol, out string? code))
                {
                    (parameter, why) = ("params.polId", "needs a pollutant code such as w01018");
                    return null;
                }
                else if (given.ContainsKey("polId"))
                {
                    Add("PolId", pol.GetString()!, "polId", pol.GetString()!);
                }
                else if (name != "get-info")
                {
                    (parameter, why) = ("params.polId", $"{name} needs the pollutant code of the analyser (polId)");
                    return null;
                }

                if (given.TryGetValue("infoId", out var info))
                {
                    if (!IsCode(info, out _))
                    {
                        (parameter, why) = ("params.infoId", "needs an information code such as i13004");
                        return null;
                    }

                    Add("InfoId", info.GetString()!, "infoId", info.GetString()!);
                }

                break;
        }

        return new PreparedCommand(definition, cn, cp, shown);
    }

    /// <summary>A JSON whole number (a string such as "30" is not one: TryGetInt32 would throw on it).</summary>
    private static bool IsWhole(JsonElement value, out int number)
    {
        number = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out number);
    }

    private static bool TryLocal(JsonElement value, out DateTime local)
    {
        local = default;
        if (value.ValueKind != JsonValueKind.String || Compliance.ReportPeriod.ParseLocal(value.GetString()!) is not { } parsed)
        {
            return false;
        }

        local = parsed;
        return true;
    }

    /// <summary>A code of the 2017 shape (a letter and five digits): nothing else may enter the CP.</summary>
    private static bool IsCode(JsonElement value, out string? code)
    {
        code = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return code is not null && CodeCatalogue.Looks2017(code.AsSpan());
    }

    private static string Shown(string text) => text.Length > 40 ? text[..40] + "…" : text;

    /// <summary>The meaning of a QnRtn (HJ 212-2017 表7).</summary>
    public static string QnRtnMeaning(int code) => code switch
    {
        1 => "ready to execute",
        2 => "rejected",
        3 => "PW error",
        4 => "MN error",
        5 => "ST error",
        6 => "Flag error",
        7 => "QN error",
        8 => "CN error",
        9 => "CRC error",
        100 => "unknown error",
        _ => $"unknown QnRtn {code}",
    };

    /// <summary>The meaning of an ExeRtn (HJ 212-2017 表6).</summary>
    public static string ExeRtnMeaning(int code) => code switch
    {
        1 => "success",
        2 => "failed, reason unknown",
        3 => "request condition error",
        4 => "communication timeout",
        5 => "system busy",
        6 => "system fault",
        100 => "no data",
        _ => $"unknown ExeRtn {code}",
    };
}
