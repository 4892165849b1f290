namespace EmissionMonitor.Security;

/// <summary>Loads the terminals' keys before the transports start taking frames.</summary>
public sealed class KeyRingStartup(KeyRing keys) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => keys.LoadAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
