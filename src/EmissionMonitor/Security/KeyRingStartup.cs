namespace EmissionMonitor.Security;

/// <summary>Loads the terminals' keys and hardware identities before the transports start taking frames.</summary>
public sealed class KeyRingStartup(KeyRing keys, TerminalIdentities identities) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await keys.LoadAsync(cancellationToken);
        await identities.LoadAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
