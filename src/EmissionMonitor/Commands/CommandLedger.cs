using System.Globalization;
using EmissionMonitor.Hj212;
using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Ingestion;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Commands;

/// <summary>
/// The state of every terminal's commands (HJ 212-2017 §6.1–6.5): one command runs at a time per
/// terminal, the others queue in order (at most <see cref="GatewayOptions.CommandQueue"/>); a sent
/// command waits for its QnRtn (9011) and is resent after <see cref="GatewayOptions.CommandOverTime"/>
/// up to <see cref="GatewayOptions.CommandReCount"/> times, then for its ExeRtn (9012) and the data it
/// asked for. Also what the service knows of each terminal's link (its last MQTT frame, its version)
/// and clock. Pure apart from the clock: the <see cref="CommandService"/> does the I/O.
/// </summary>
public sealed partial class CommandLedger(Func<StationRegistry> registry, GatewayOptions options, TimeZoneInfo zone, TimeProvider clock, TimeSpan? liveWindow = null) : ITimeCalibration
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Terminal> _terminals = new(StringComparer.Ordinal);
    private readonly List<TerminalCommand> _unsaved = [];
    private DateTime _lastQn;

    /// <summary>
    /// Takes an operator's command for a terminal reachable over <paramref name="link"/>: running at
    /// once when the terminal has none, else queued; null with the reason when its queue is full.
    /// </summary>
    public TerminalCommand? Submit(Outlet outlet, PreparedCommand prepared, string by, string link, LedgerEffects effects, out string? refusal)
    {
        refusal = null;
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            var t = TerminalOf(outlet.Mn);
            if (t.Queue.Count >= options.CommandQueue)
            {
                refusal = $"terminal {outlet.Mn} already has {t.Queue.Count} commands waiting (Gateway:CommandQueue)";
                return null;
            }

            var command = new TerminalCommand
            {
                Id = NewId(), Mn = outlet.Mn, Command = prepared.Definition.Name, Cn = prepared.Cn, Params = new Dictionary<string, string>(prepared.Params, StringComparer.Ordinal),
                Cp = prepared.Cp, Link = link, RequestedBy = by, RequestedAt = now,
            };
            t.LastCommand = command;
            if (t.Active is null)
            {
                Start(t, outlet, command, now, effects);
            }
            else
            {
                t.Queue.Enqueue(command);
                effects.Changed.Add(command);
            }

            return command;
        }
    }

    /// <summary>
    /// A terminal's 1013 time-calibration request: a tracked <c>set-time</c> (1012) carrying the
    /// service's clock, outside the queue, at most once per <see cref="GatewayOptions.TimeAnswerInterval"/>;
    /// null when one was sent more recently.
    /// </summary>
    public Hj212Packet? Answer(Outlet outlet, Hj212Packet request, Transport transport) => AnswerTimeCalibration(outlet, request, transport)?.Packet;

    /// <summary>As <see cref="Answer"/>, with the command the answer is tracked as.</summary>
    public CommandSend? AnswerTimeCalibration(Outlet outlet, Hj212Packet request, Transport transport)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            var t = TerminalOf(outlet.Mn);
            if (now - t.LastTimeAnswer < options.TimeAnswerInterval)
            {
                return null;
            }

            t.LastTimeAnswer = now;
            t.Version = request.Version;
            var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
            var command = new TerminalCommand
            {
                Id = NewId(), Mn = outlet.Mn, Command = "set-time", Cn = "1012",
                Params = new(StringComparer.Ordinal) { ["time"] = local.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) },
                Cp = [new("SystemTime", Hj212Time.Format(local))], Link = transport == Transport.Mqtt ? "mqtt" : "tcp",
                RequestedBy = "terminal (1013 time calibration)", RequestedAt = now,
            };
            t.Side.Add(command);
            t.LastCommand = command;
            var packet = Sent(command, outlet, t.Version, now);
            _unsaved.Add(command); // stored at the service's next step
            return new CommandSend(command, packet);
        }
    }

    /// <summary>
    /// An auto <c>set-time</c> for a drifting terminal (Gateway:AutoSetTime), at most once an hour
    /// and never beside another set-time in flight; null when not due.
    /// </summary>
    public bool AutoSetDue(string mn, DateTimeOffset now)
    {
        lock (_lock)
        {
            var t = TerminalOf(mn);
            if (now - t.LastAutoSet < TimeSpan.FromHours(1) || t.Running.Concat(t.Queue).Any(c => c.Command == "set-time"))
            {
                return false;
            }

            t.LastAutoSet = now;
            return true;
        }
    }

    /// <summary>
    /// A committed frame: the link and version of its terminal, its clock, and the step of a
    /// command it answers (9011, 9012, 9013, or the data a command asked for). Returns the clock
    /// measured from it, if any.
    /// </summary>
    public TerminalClock? Observe(IntakeResult item, StoredOutcome outcome, LedgerEffects effects)
    {
        var packet = item.Packet;
        var outlet = item.Outlet ?? (packet?.Mn is { } m ? registry().FindOutlet(m) : null);
        if (packet is null || outlet is null || !item.Frame.IsLive || !string.Equals(packet.Pw, outlet.Password, StringComparison.Ordinal))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        lock (_lock)
        {
            // A terminal whose clock runs ahead has its data refused as future-datatime: its clock still counts.
            bool counts = item.IsAccepted || item.Rejection is Reasons.FutureDataTime or Reasons.TooOld;
            var t = TerminalOf(outlet.Mn);
            var measured = counts ? MeasureClock(item, packet) : null;
            if (measured is not null)
            {
                t.Clock = measured;
            }

            if (!item.IsAccepted)
            {
                return measured;
            }

            if (item.Frame.Transport == Transport.Mqtt)
            {
                t.LastMqtt = item.Frame.ReceivedAt;
            }

            t.Version = packet.Version;
            if (outcome.Status == StoredOutcome.Accepted || outcome.Status == Reasons.Duplicate)
            {
                Answer(t, outlet, packet, item, now, effects);
            }

            return measured;
        }
    }

    /// <summary>The terminal's link went down: its running commands fail, its queued ones too (nothing can reach it).</summary>
    public void Disconnected(string mn, string link, LedgerEffects effects)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (!_terminals.TryGetValue(mn, out var t))
            {
                return;
            }

            foreach (var c in t.Running.Where(c => c.Link == link).ToList())
            {
                c.Finish(CommandStates.Failed, now, $"the terminal disconnected ({link}) before the command ended");
                End(t, c, now, effects);
            }

            if (t.Active is null && link == "tcp")
            {
                while (t.Queue.TryDequeue(out var q))
                {
                    q.Finish(CommandStates.Failed, now, "the terminal disconnected (tcp) before the command was sent");
                    effects.Changed.Add(q);
                }
            }
        }
    }

    /// <summary>A send did not go out (the TCP link is gone): the command fails.</summary>
    public void SendFailed(TerminalCommand command, string why, LedgerEffects effects)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (_terminals.TryGetValue(command.Mn, out var t) && !command.IsFinal)
            {
                command.Finish(CommandStates.Failed, now, why);
                End(t, command, now, effects);
            }
        }
    }

    /// <summary>Time passes: resends of unanswered commands and timeouts.</summary>
    public void Tick(LedgerEffects effects)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            effects.Changed.AddRange(_unsaved);
            _unsaved.Clear();
            foreach (var (mn, t) in _terminals)
            {
                foreach (var c in t.Running.ToList())
                {
                    if (c.State == CommandStates.Sent && now - c.LastSentAt >= options.CommandOverTime)
                    {
                        if (c.Attempts <= options.CommandReCount && registry().FindOutlet(mn) is { } outlet)
                        {
                            effects.Sends.Add(new CommandSend(c, Sent(c, outlet, t.Version, now)));
                            effects.Changed.Add(c);
                        }
                        else
                        {
                            c.Finish(CommandStates.Timeout, now, $"no {(c.Kind == CommandKind.Notification ? "9013" : "QnRtn")} after {c.Attempts} sends, {options.CommandOverTime.TotalSeconds:F0} s apart (Gateway:CommandOverTime, Gateway:CommandReCount)");
                            End(t, c, now, effects);
                        }
                    }
                    else if (c.State == CommandStates.Accepted && now - c.AcceptedAt >= options.CommandOverTime * options.CommandReCount)
                    {
                        c.Finish(CommandStates.Timeout, now, $"no ExeRtn within {(options.CommandOverTime * options.CommandReCount).TotalSeconds:F0} s after acceptance");
                        End(t, c, now, effects);
                    }
                }
            }
        }
    }

    private Terminal TerminalOf(string mn)
    {
        if (!_terminals.TryGetValue(mn, out var t))
        {
            _terminals[mn] = t = new Terminal();
        }

        return t;
    }

    private string NewId() => "cmd-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    private void Start(Terminal t, Outlet outlet, TerminalCommand command, DateTimeOffset now, LedgerEffects effects)
    {
        t.Active = command;
        effects.Sends.Add(new CommandSend(command, Sent(command, outlet, t.Version, now)));
        effects.Changed.Add(command);
    }

    /// <summary>Marks a (re)send and builds its frame: the first send takes a fresh QN, a resend keeps it.</summary>
    private Hj212Packet Sent(TerminalCommand command, Outlet outlet, Hj212Version version, DateTimeOffset now)
    {
        if (command.Qn is null)
        {
            var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
            local = new DateTime(local.Ticks - (local.Ticks % TimeSpan.TicksPerMillisecond));
            _lastQn = local > _lastQn ? local : _lastQn.AddMilliseconds(1);
            command.Qn = Hj212Time.FormatQn(_lastQn);
            command.SentAt = now;
        }

        command.State = CommandStates.Sent;
        command.Attempts++;
        command.LastSentAt = now;
        var builder = new Hj212Builder
        {
            Qn = command.Qn, St = outlet.Kind == Hj212.Codes.MediumKind.Gas ? "31" : "32", Cn = command.Cn, Pw = outlet.Password, Mn = outlet.Mn,
            Flag = version.Flag(needsReply: true),
        };
        foreach (var (key, value) in command.Cp)
        {
            builder.Param(key, value);
        }

        var packet = builder.Build();
        command.Record(now, "out", command.Cn, packet.ToString());
        return packet;
    }

}
