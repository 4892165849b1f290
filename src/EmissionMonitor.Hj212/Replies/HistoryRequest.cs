namespace EmissionMonitor.Hj212.Replies;

/// <summary>What a history request asks a terminal for; times are local.</summary>
public sealed record HistoryRequest(
    string Mn,
    string Pw,
    string St,
    string Cn,
    DateTime Begin,
    DateTime End,
    DateTime QnTime,
    Hj212Version Version = Hj212Version.V2017);
