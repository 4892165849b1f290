using EmissionMonitor.Hj212;

namespace EmissionMonitor.Commands;

/// <summary>The ledger's terminals and what the station list and the API read of them.</summary>
public sealed partial class CommandLedger
{
    private sealed class Terminal
    {
        public TerminalCommand? Active { get; set; }

        public Queue<TerminalCommand> Queue { get; } = new();

        /// <summary>Commands outside the queue (the 1012 answering a 1013), tracked by QN.</summary>
        public List<TerminalCommand> Side { get; } = [];

        public DateTimeOffset? LastMqtt { get; set; }

        public Hj212Version Version { get; set; } = Hj212Version.V2017;

        public TerminalClock? Clock { get; set; }

        public DateTimeOffset LastAutoSet { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset LastTimeAnswer { get; set; } = DateTimeOffset.MinValue;

        public TerminalCommand? LastCommand { get; set; }

        public IEnumerable<TerminalCommand> Running => Active is null ? Side : Side.Prepend(Active);
    }

    /// <summary>When the terminal last sent an accepted frame over MQTT, or null.</summary>
    public DateTimeOffset? LastMqtt(string mn)
    {
        lock (_lock)
        {
            return _terminals.GetValueOrDefault(mn)?.LastMqtt;
        }
    }

    /// <summary>The terminal's clock offset as last measured, or null.</summary>
    public TerminalClock? Clock(string mn)
    {
        lock (_lock)
        {
            return _terminals.GetValueOrDefault(mn)?.Clock;
        }
    }

    /// <summary>The terminal's last command since the service started (who asked what, and where it stands), or null.</summary>
    public CommandSummary? Last(string mn)
    {
        lock (_lock)
        {
            return _terminals.GetValueOrDefault(mn)?.LastCommand is { } c ? new CommandSummary(c.Id, c.Command, c.State, c.RequestedBy, c.RequestedAt, c.FinishedAt) : null;
        }
    }

    /// <summary>A command as JSON in <paramref name="shownIn"/>, read under the ledger's lock (its state changes under it).</summary>
    public string Json(TerminalCommand command, TimeZoneInfo shownIn)
    {
        lock (_lock)
        {
            return command.ToJson(shownIn);
        }
    }

    /// <summary>A command still tracked (not finished, or just finished), as JSON; null when the ledger does not hold it.</summary>
    public string? Find(string id, TimeZoneInfo shownIn)
    {
        lock (_lock)
        {
            foreach (var t in _terminals.Values)
            {
                if (t.Running.Concat(t.Queue).FirstOrDefault(c => c.Id == id) is { } c)
                {
                    return c.ToJson(shownIn);
                }
            }

            return null;
        }
    }
}
