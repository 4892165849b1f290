using EmissionMonitor.Commands;
using EmissionMonitor.Ingestion;
using Microsoft.Extensions.Time.Testing;

namespace EmissionMonitor.Tests.Commands;

/// <summary>The command ledger on its own, on a fake clock: one command at a time per terminal, resends, time-outs, the queue's bound.</summary>
public sealed class CommandLedgerTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 7, 1, 1, 0, 0, TimeSpan.Zero));
    private static readonly EmissionMonitor.Registry.StationRegistry Registry = Some.Registry();

    private CommandLedger Ledger(GatewayOptions? options = null) =>
        new(() => Registry, options ?? new GatewayOptions { CommandOverTime = TimeSpan.FromSeconds(10), CommandReCount = 2, CommandQueue = 1 }, TimeZoneInfo.Utc, _clock);

    private static PreparedCommand Prepared(string name) =>
        CommandCatalogue.Prepare(name, null, new DateTime(2025, 7, 1, 9, 0, 0), TimeSpan.FromDays(30), out _, out var why) ?? throw new InvalidOperationException(why);

    [Fact]
    public void OneCommandRunsAtATime_TheNextWaitsInTheQueue_AndAFullQueueRefuses()
    {
        var ledger = Ledger();
        var outlet = Registry.FindOutlet("QHXN0010001")!;
        var effects = LedgerEffects.None();
        var first = ledger.Submit(outlet, Prepared("get-time"), "op", "tcp", effects, out _);
        Assert.Equal(CommandStates.Sent, first!.State);
        Assert.Single(effects.Sends);
        var second = ledger.Submit(outlet, Prepared("get-rtd-interval"), "op", "tcp", LedgerEffects.None(), out _);
        Assert.Equal(CommandStates.Queued, second!.State);
        Assert.Null(ledger.Submit(outlet, Prepared("get-min-interval"), "op", "tcp", LedgerEffects.None(), out var refusal));
        Assert.Contains("Gateway:CommandQueue", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnansweredCommand_IsResentEveryOverTime_ThenTimesOut_AndTheNextStarts()
    {
        var ledger = Ledger();
        var outlet = Registry.FindOutlet("QHXN0010001")!;
        var first = ledger.Submit(outlet, Prepared("get-time"), "op", "tcp", LedgerEffects.None(), out _)!;
        var second = ledger.Submit(outlet, Prepared("get-rtd-interval"), "op", "tcp", LedgerEffects.None(), out _)!;
        var sends = new List<int>();
        for (int step = 0; step < 4; step++)
        {
            _clock.Advance(TimeSpan.FromSeconds(10));
            var effects = LedgerEffects.None();
            ledger.Tick(effects);
            sends.Add(effects.Sends.Count(s => s.Command.Id == first.Id));
        }

        Assert.Equal([1, 1, 0, 0], sends); // resent twice (Gateway:CommandReCount), then no more
        Assert.Equal(CommandStates.Timeout, first.State);
        Assert.Equal(CommandStates.Sent, second.State); // the queue moves on
        Assert.Equal(second.Id, ledger.Last("QHXN0010001")!.Id); // the station list shows the latest asked
    }
}
