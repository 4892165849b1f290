using System.Text.Json;
using System.Text.Json.Serialization;

namespace EmissionMonitor.Commands;

/// <summary>The states of a command (DESIGN.md "Commands"): queued behind another, then the standard's exchange.</summary>
public static class CommandStates
{
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Accepted = "accepted";
    public const string Refused = "refused";
    public const string Done = "done";
    public const string Failed = "failed";
    public const string Timeout = "timeout";

    /// <summary>True for a state nothing more changes.</summary>
    public static bool IsFinal(string state) => state is Refused or Done or Failed or Timeout;
}

/// <summary>One frame of a command's exchange: sent by the service (<c>out</c>) or by the terminal (<c>in</c>).</summary>
public sealed record CommandExchange(DateTimeOffset At, string Direction, string? Cn, string Frame);

/// <summary>What a command brought back, parsed.</summary>
public sealed class CommandResult
{
    /// <summary>get-time: the terminal's clock (local, as it sent it).</summary>
    public string? SystemTime { get; set; }

    /// <summary>get-time: the terminal's clock minus the service's at the answer's arrival, seconds.</summary>
    public double? OffsetSeconds { get; set; }

    /// <summary>get-rtd-interval: seconds.</summary>
    public int? RtdInterval { get; set; }

    /// <summary>get-min-interval: minutes.</summary>
    public int? MinInterval { get; set; }

    /// <summary>get-info: the field information items (<c>code-Info</c> and other CP items), as sent.</summary>
    public Dictionary<string, string>? Info { get; set; }
}

/// <summary>
/// A host→terminal command and its tracking: who asked and when, each state change, each frame of
/// the exchange (at most <see cref="MaxExchanges"/>, texts cut to <see cref="MaxFrameText"/>), the
/// parsed result. Changed only under the <see cref="CommandLedger"/>'s lock; stored as JSON.
/// </summary>
public sealed class TerminalCommand
{
    public const int MaxExchanges = 32;
    public const int MaxFrameText = 600;

    public required string Id { get; init; }

    public required string Mn { get; init; }

    public required string Command { get; init; }

    public required string Cn { get; init; }

    public string? Qn { get; set; }

    public Dictionary<string, string> Params { get; init; } = [];

    public string? Link { get; set; }

    public string State { get; set; } = CommandStates.Queued;

    public required string RequestedBy { get; init; }

    public DateTimeOffset RequestedAt { get; init; }

    public DateTimeOffset? SentAt { get; set; }

    public DateTimeOffset? AcceptedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public int Attempts { get; set; }

    public int? QnRtn { get; set; }

    public int? ExeRtn { get; set; }

    public string? Reason { get; set; }

    public CommandResult? Result { get; set; }

    public List<CommandExchange> Exchanges { get; init; } = [];

    /// <summary>The CP items sent (not shown: the frame text in <see cref="Exchanges"/> carries them).</summary>
    [JsonIgnore]
    public IReadOnlyList<KeyValuePair<string, string>> Cp { get; init; } = [];

    /// <summary>The kind of exchange (from the catalogue).</summary>
    [JsonIgnore]
    public CommandKind Kind => CommandCatalogue.All.TryGetValue(Command, out var d) ? d.Kind : CommandKind.Request;

    /// <summary>The CN of the data the command brings back, if any.</summary>
    [JsonIgnore]
    public string? AnswerCn => CommandCatalogue.All.GetValueOrDefault(Command)?.AnswerCn;

    /// <summary>When the last send went out (for resends).</summary>
    [JsonIgnore]
    public DateTimeOffset? LastSentAt { get; set; }

    [JsonIgnore]
    public bool IsFinal => CommandStates.IsFinal(State);

    public void Record(DateTimeOffset at, string direction, string? cn, string frame)
    {
        if (Exchanges.Count < MaxExchanges)
        {
            string text = Secrets.Hide(frame.TrimEnd('\r', '\n'));
            Exchanges.Add(new CommandExchange(at, direction, cn, text.Length > MaxFrameText ? text[..MaxFrameText] + "…" : text));
        }
    }

    public void Finish(string state, DateTimeOffset at, string? reason)
    {
        State = state;
        FinishedAt = at;
        Reason = reason;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>The command as JSON, its times in <paramref name="zone"/> (UTC for the store).</summary>
    public string ToJson(TimeZoneInfo zone)
    {
        var copy = (TerminalCommand)MemberwiseClone();
        DateTimeOffset In(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, zone);
        DateTimeOffset? InN(DateTimeOffset? t) => t is { } v ? In(v) : null;
        var shown = new TerminalCommand
        {
            Id = copy.Id, Mn = copy.Mn, Command = copy.Command, Cn = copy.Cn, Qn = copy.Qn, Params = copy.Params, Link = copy.Link, State = copy.State,
            RequestedBy = copy.RequestedBy, RequestedAt = In(copy.RequestedAt), SentAt = InN(copy.SentAt), AcceptedAt = InN(copy.AcceptedAt),
            FinishedAt = InN(copy.FinishedAt), Attempts = copy.Attempts, QnRtn = copy.QnRtn, ExeRtn = copy.ExeRtn, Reason = copy.Reason, Result = copy.Result,
            Exchanges = copy.Exchanges.Select(e => e with { At = In(e.At), Frame = Secrets.Hide(e.Frame) }).ToList(), // records kept before secrets were hidden
        };
        return JsonSerializer.Serialize(shown, Json);
    }

    /// <summary>A stored command back from its JSON.</summary>
    public static TerminalCommand FromJson(string json) => JsonSerializer.Deserialize<TerminalCommand>(json, Json)!;
}
