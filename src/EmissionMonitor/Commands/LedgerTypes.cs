using EmissionMonitor.Hj212.Packets;

namespace EmissionMonitor.Commands;

/// <summary>A terminal's clock as the service last measured it: the QN (its send time) of a frame against the frame's arrival.</summary>
public sealed record TerminalClock(double OffsetSeconds, DateTimeOffset MeasuredAt);

/// <summary>A command in brief, for the station list.</summary>
public sealed record CommandSummary(string Id, string Command, string State, string RequestedBy, DateTimeOffset RequestedAt, DateTimeOffset? FinishedAt);

/// <summary>A command to put on the wire: the command (for its link and tracking) and the frame.</summary>
public sealed record CommandSend(TerminalCommand Command, Hj212Packet Packet);

/// <summary>What a step of the ledger asks the service to do: frames to send, commands whose state changed (to store and stream).</summary>
public sealed record LedgerEffects(List<CommandSend> Sends, List<TerminalCommand> Changed)
{
    public static LedgerEffects None() => new([], []);
}
