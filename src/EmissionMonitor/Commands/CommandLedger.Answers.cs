using System.Globalization;
using EmissionMonitor.Hj212;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Commands;

/// <summary>A terminal's answers to commands: matched, parsed into results, the clock measured, a command ended.</summary>
public sealed partial class CommandLedger
{
    private void Answer(Terminal t, Outlet outlet, Hj212Packet packet, IntakeResult item, DateTimeOffset now, LedgerEffects effects)
    {
        string? cn = packet.Cn;
        string? qn = packet.Qn ?? packet.Params.FirstOrDefault(p => p.Key == "QN").Value; // 2005 terminals put the QN in CP
        TerminalCommand? byQn = qn is null ? null : t.Running.FirstOrDefault(c => c.Qn == qn);
        if (cn is "9011" or "9012" or "9013")
        {
            if (byQn is not null && !byQn.IsFinal)
            {
                Reply(t, byQn, cn, packet, now, effects);
            }

            return;
        }

        // The data a command asked for: by its QN, else the running command that waits for this CN.
        var waiting = byQn is { } q && q.AnswerCn == cn ? q : t.Running.FirstOrDefault(c => c.AnswerCn == cn && c.State is CommandStates.Sent or CommandStates.Accepted);
        if (waiting is null || cn is null)
        {
            return;
        }

        waiting.Record(now, "in", cn, packet.ToString());
        waiting.Result = Parse(cn, packet, item.Frame.ReceivedAt);
        effects.Changed.Add(waiting);
    }

    /// <summary>
    /// A terminal's reply to a running command — 9011 (request answer: accepted, or refused with its QnRtn), 9012 (execution
    /// result: done, or failed with its ExeRtn), 9013 (a notification's receipt) — recorded, the command ended when it is final.
    /// </summary>
    private void Reply(Terminal t, TerminalCommand command, string cn, Hj212Packet packet, DateTimeOffset now, LedgerEffects effects)
    {
        command.Record(now, "in", cn, packet.ToString());
        int? code = int.TryParse(packet.Params.FirstOrDefault(p => p.Key == (cn == "9011" ? "QnRtn" : "ExeRtn")).Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : null;
        switch (cn)
        {
            case "9011" when command.State == CommandStates.Sent:
                command.QnRtn = code;
                if (code == 1)
                {
                    command.AcceptedAt = now;
                    command.State = CommandStates.Accepted;
                    if (command.Kind == CommandKind.Start)
                    {
                        command.Finish(CommandStates.Done, now, null);
                    }
                }
                else
                {
                    command.Finish(CommandStates.Refused, now, code is { } c ? $"QnRtn {c}: {CommandCatalogue.QnRtnMeaning(c)}" : "9011 without a QnRtn");
                }

                break;
            case "9012" when command.State is CommandStates.Sent or CommandStates.Accepted:
                command.ExeRtn = code;
                command.AcceptedAt ??= now; // a terminal that skipped its 9011
                command.Finish(code == 1 ? CommandStates.Done : CommandStates.Failed, now,
                    code == 1 ? null : code is { } e ? $"ExeRtn {e}: {CommandCatalogue.ExeRtnMeaning(e)}" : "9012 without an ExeRtn");
                break;
            case "9013" when command.Kind == CommandKind.Notification:
                command.Finish(CommandStates.Done, now, null);
                break;
        }

        if (command.IsFinal)
        {
            End(t, command, now, effects);
        }
        else
        {
            effects.Changed.Add(command);
        }
    }

    private CommandResult Parse(string cn, Hj212Packet packet, DateTimeOffset arrival)
    {
        string? Param(string key) => packet.Params.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
        switch (cn)
        {
            case "1011":
                var (time, _) = Hj212Time.Parse(Param("SystemTime"));
                var local = TimeZoneInfo.ConvertTime(arrival, zone).DateTime;
                return new CommandResult
                {
                    SystemTime = time?.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
                    OffsetSeconds = time is { } t ? Math.Round((t - local).TotalSeconds, 1) : null,
                };
            case "1061":
                return new CommandResult { RtdInterval = int.TryParse(Param("RtdInterval"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int r) ? r : null };
            case "1063":
                return new CommandResult { MinInterval = int.TryParse(Param("MinInterval"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int m) ? m : null };
            default:
                var info = new Dictionary<string, string>(StringComparer.Ordinal);
                string? pol = Param("PolId");
                foreach (var v in packet.Values.Take(64))
                {
                    string key = (pol is null ? string.Empty : pol + " ") + v.Key;
                    info.TryAdd(key.Length > 64 ? key[..64] : key, Clean(v.Text));
                }

                return new CommandResult { Info = info };
        }
    }

    /// <summary>A terminal's text, bounded, without control characters.</summary>
    private static string Clean(string text)
    {
        text = text.Length > 256 ? text[..256] : text;
        return text.Any(char.IsControl) ? string.Concat(text.Select(c => char.IsControl(c) ? '?' : c)) : text;
    }

    /// <summary>
    /// The terminal's clock from a frame it sent of its own accord (data 2xxx, heartbeat 9015,
    /// time calibration 1013) live (<see cref="IntakeResult.IsAboutArrival"/> with Alerts:LiveWindow) —
    /// a back-fill's QN is often its data time, not the terminal's clock. The QN, its send time,
    /// against the arrival.
    /// </summary>
    private TerminalClock? MeasureClock(IntakeResult item, Hj212Packet packet)
    {
        if (!item.IsAboutArrival(zone, liveWindow ?? TimeSpan.FromHours(2)) || packet.Cn is not { } cn || !(cn.StartsWith('2') || cn is "1013" or "9015")
            || Hj212Time.Parse(packet.Qn) is not ({ } sent, true))
        {
            return null;
        }

        var arrival = TimeZoneInfo.ConvertTime(item.Frame.ReceivedAt, zone).DateTime;
        return new TerminalClock(Math.Round((sent - arrival).TotalSeconds, 1), item.Frame.ReceivedAt);
    }

    private void End(Terminal t, TerminalCommand command, DateTimeOffset now, LedgerEffects effects)
    {
        effects.Changed.Add(command);
        t.Side.Remove(command);
        if (!ReferenceEquals(t.Active, command))
        {
            return;
        }

        t.Active = null;
        while (t.Queue.TryDequeue(out var next))
        {
            if (registry().FindOutlet(command.Mn) is { } outlet)
            {
                Start(t, outlet, next, now, effects);
                return;
            }

            next.Finish(CommandStates.Failed, now, "the outlet left the registry");
            effects.Changed.Add(next);
        }
    }
}
