using EmissionMonitor.Outcomes;
using System.Text.Json;
using System.Threading.Channels;
using EmissionMonitor.Alerts;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Ingestion;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Journaling;

namespace EmissionMonitor.Commands;

/// <summary>What submitting a command gave: the command, or an HTTP status with the reason (and the bad parameter for a 400).</summary>
public sealed record SubmitOutcome(TerminalCommand? Command, Refusal Refusal, string? Parameter, string? Problem)
{
    /// <summary>The command as it was when taken (sent or queued), as JSON in the service's zone.</summary>
    public string? Json { get; init; }
}

/// <summary>
/// Operators' commands to terminals over whichever link each uses — its live HJ 212 TCP connection,
/// else <c>emission/{mn}/down</c> on MQTT when it sent a frame within Gateway:CommandPresence — with
/// the standard's tracking (<see cref="CommandLedger"/>): committed frames answer commands, time
/// resends and times them out, a closed link fails them; every change is stored. Also measures each
/// terminal's clock and raises <c>clock-drift</c> beyond Gateway:ClockAlert (with
/// Gateway:AutoSetTime, sends set-time at most once an hour).
/// </summary>
public sealed partial class CommandService(
    CommandLedger ledger, Journal journal, Func<StationRegistry> registry, Hj212Gateway gateway, IMessagePublisher publisher, IRecordStore store,
    AlertService alerts, GatewayOptions options, Users.UserLimits api, TimeZoneInfo zone, TimeProvider clock, ILogger<CommandService> logger,
    EmbeddedMqttBroker? broker = null) : BackgroundService
{
    private readonly Channel<Action<LedgerEffects>> _events = Channel.CreateBounded<Action<LedgerEffects>>(
        new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly SemaphoreSlim _step = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _drifting = new(StringComparer.Ordinal);

    /// <summary>Every change of a command's state, as its JSON in the service's zone (the dashboard's stream).</summary>
    public event Action<string, string>? Changed;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        journal.Committed += OnCommitted;
        gateway.Disconnected += OnTcpDisconnected;
        if (broker is not null)
        {
            broker.TerminalDisconnected += OnMqttDisconnected;
        }

        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        journal.Committed -= OnCommitted;
        gateway.Disconnected -= OnTcpDisconnected;
        if (broker is not null)
        {
            broker.TerminalDisconnected -= OnMqttDisconnected;
        }

        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _step.Dispose();
        base.Dispose();
    }

    /// <summary>How the terminal can be reached now: <c>tcp</c>, <c>mqtt</c>, or null.</summary>
    public string? Reachable(string mn) =>
        gateway.IsConnected(mn) ? "tcp"
        : ledger.LastMqtt(mn) is { } last && clock.GetUtcNow() - last <= options.CommandPresence ? "mqtt"
        : null;

    /// <summary>
    /// An operator's command: 404 for an unknown MN, 400 naming a bad parameter, 409 when the
    /// terminal cannot be reached or its queue is full; else the command (sent or queued), stored.
    /// </summary>
    public async Task<SubmitOutcome> SubmitAsync(string mn, string? command, JsonElement? parameters, string by, CancellationToken cancellationToken)
    {
        if (registry().FindOutlet(mn) is not { } outlet)
        {
            return new SubmitOutcome(null, Refusal.NotFound, null, $"no outlet {mn}");
        }

        var now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime;
        if (CommandCatalogue.Prepare(command, parameters, now, api.MaxPeriod, out string? parameter, out string? why) is not { } prepared)
        {
            return new SubmitOutcome(null, Refusal.Invalid, parameter, $"{parameter}: {why}");
        }

        if (Reachable(mn) is not { } link)
        {
            return new SubmitOutcome(null, Refusal.Conflict, null,
                $"terminal {mn} is not reachable: no live HJ 212 TCP connection and no MQTT frame from it within {options.CommandPresence.TotalMinutes:F0} min (Gateway:CommandPresence)");
        }

        var effects = LedgerEffects.None();
        var submitted = ledger.Submit(outlet, prepared, by, link, effects, out string? refusal);
        if (submitted is null)
        {
            return new SubmitOutcome(null, Refusal.Conflict, null, refusal);
        }

        string taken = ledger.Json(submitted, zone); // as taken: the terminal may answer before this returns
        await ApplyAsync(effects, cancellationToken);
        return new SubmitOutcome(submitted, Refusal.None, null, null) { Json = taken };
    }

    /// <summary>A command the caller holds, as JSON in the service's zone (read under the ledger's lock).</summary>
    public string Live(TerminalCommand command) => ledger.Json(command, zone);

    /// <summary>A command by id: the ledger's live state, else the store's.</summary>
    public async Task<string?> FindAsync(string id, CancellationToken cancellationToken) =>
        ledger.Find(id, zone) ?? ((await store.GetCommandRecordAsync(id, cancellationToken)) is { } r ? InZone(r.Json) : null);

    /// <summary>A page of an MN's commands (or all), newest first, as JSON in the service's zone.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string? mn, int limit, int offset, CancellationToken cancellationToken) =>
        (await store.QueryCommandRecordsAsync(mn, limit, offset, cancellationToken)).Select(r => ledger.Find(r.Id, zone) ?? InZone(r.Json)).ToList();

    private string InZone(string json) => TerminalCommand.FromJson(json).ToJson(zone);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(options.CommandOverTime.TotalMilliseconds / 10, 20, 250));
        while (!stoppingToken.IsCancellationRequested)
        {
            using var timed = new CancellationTokenSource(tick, clock); // the injected clock's: a test's fake clock ticks when advanced
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timed.Token);
            var effects = LedgerEffects.None();
            try
            {
                if (await _events.Reader.WaitToReadAsync(wait.Token))
                {
                    while (_events.Reader.TryRead(out var step) && effects.Changed.Count < 10_000)
                    {
                        step(effects);
                    }
                }
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // the tick
            }

            ledger.Tick(effects);
            try
            {
                await ApplyAsync(effects, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogStepFailed(logger, e.Message); // the store or the broker failed this step: the ledger goes on
            }
        }
    }

    /// <summary>Sends what the ledger asks, then stores and streams what changed (one step at a time).</summary>
    private async Task ApplyAsync(LedgerEffects effects, CancellationToken cancellationToken)
    {
        await _step.WaitAsync(cancellationToken);
        try
        {
            foreach (var send in effects.Sends)
            {
                var bytes = Hj212Encoder.Encode(send.Packet);
                bool sent = send.Command.Link == "tcp"
                    ? await gateway.SendAsync(send.Command.Mn, send.Packet, cancellationToken)
                    : await PublishAsync(send.Command.Mn, bytes, cancellationToken);
                if (!sent)
                {
                    ledger.SendFailed(send.Command, $"the command could not be sent over {send.Command.Link}: the terminal is no longer connected", effects);
                }
            }

            foreach (var command in effects.Changed.Distinct())
            {
                string utc = ledger.Json(command, TimeZoneInfo.Utc);
                await store.SaveCommandRecordAsync(new CommandRecord(command.Id, command.Mn, command.State, command.RequestedAt, utc), cancellationToken);
                Changed?.Invoke(command.Mn, ledger.Json(command, zone));
            }
        }
        finally
        {
            _step.Release();
        }
    }

    private async Task<bool> PublishAsync(string mn, byte[] bytes, CancellationToken cancellationToken)
    {
        await publisher.PublishAsync(Topics.Down(mn), bytes, cancellationToken);
        return true;
    }

    private void OnCommitted(IReadOnlyList<IntakeResult> items, IReadOnlyList<StoredOutcome> outcomes)
    {
        var frames = new List<(IntakeResult, StoredOutcome)>();
        for (int i = 0; i < items.Count; i++)
        {
            if (items[i].Frame.IsLive && items[i].Packet is not null)
            {
                frames.Add((items[i], outcomes[i]));
            }
        }

        if (frames.Count > 0)
        {
            _events.Writer.TryWrite(effects => Observe(frames, effects));
        }
    }

    private void Observe(List<(IntakeResult Item, StoredOutcome Outcome)> frames, LedgerEffects effects)
    {
        foreach (var (item, outcome) in frames)
        {
            if (ledger.Observe(item, outcome, effects) is not { } measured || (item.Outlet ?? registry().FindOutlet(item.Packet!.Mn!)) is not { } outlet)
            {
                continue;
            }

            // Only a change of the drift (or a drifting terminal, for Gateway:AutoSetTime) does any
            // work: every real-time frame is measured. The first measurement after a start counts as
            // a change, so an alert left open before the restart is cleared.
            bool drifting = Math.Abs(measured.OffsetSeconds) > options.ClockAlert.TotalSeconds;
            bool changed = !_drifting.TryGetValue(outlet.Mn, out bool was) || was != drifting;
            _drifting[outlet.Mn] = drifting;
            if (changed || (drifting && options.AutoSetTime))
            {
                _ = CheckClockAsync(outlet, measured, drifting, changed); // the alert service's side; the ledger's step does not wait for it
            }
        }
    }

    private async Task CheckClockAsync(Outlet outlet, TerminalClock measured, bool drifting, bool changed)
    {
        try
        {
            if (changed)
            {
                await alerts.SetConditionAsync(AlertKinds.ClockDrift, outlet, drifting, measured.OffsetSeconds, options.ClockAlert.TotalSeconds, measured.MeasuredAt,
                    $"{outlet.Name}: terminal clock {(measured.OffsetSeconds > 0 ? "ahead" : "behind")} by {Math.Abs(measured.OffsetSeconds):F0} s (Gateway:ClockAlert {options.ClockAlert.TotalSeconds:F0} s)",
                    CancellationToken.None, new Dictionary<string, string?>
                    {
                        ["seconds"] = Math.Abs(Math.Round(measured.OffsetSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["direction"] = measured.OffsetSeconds > 0 ? "ahead" : "behind",
                    });
            }

            if (drifting && options.AutoSetTime && Reachable(outlet.Mn) is not null && ledger.AutoSetDue(outlet.Mn, clock.GetUtcNow()))
            {
                var outcome = await SubmitAsync(outlet.Mn, "set-time", null, "auto (clock drift)", CancellationToken.None);
                LogAutoSetTime(logger, outlet.Mn, measured.OffsetSeconds, outcome.Command?.Id ?? outcome.Problem ?? "?");
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogStepFailed(logger, e.Message);
        }
    }

    private void OnTcpDisconnected(string mn) => _events.Writer.TryWrite(effects => ledger.Disconnected(mn, "tcp", effects));

    private void OnMqttDisconnected(string mn) => _events.Writer.TryWrite(effects => ledger.Disconnected(mn, "mqtt", effects));

    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning, Message = "Command step failed: {Reason}")]
    private static partial void LogStepFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Information, Message = "Terminal {Mn} clock off by {Offset:F0} s: set-time sent on its own (Gateway:AutoSetTime), {Command}")]
    private static partial void LogAutoSetTime(ILogger logger, string mn, double offset, string command);
}
