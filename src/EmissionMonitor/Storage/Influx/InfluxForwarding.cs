namespace EmissionMonitor.Storage.Influx;

/// <summary>
/// The InfluxDB backend's forwarder as a hosted service: drains the local buffer to InfluxDB while
/// the service runs. Registered before the journal's lifetime, so it is still running when the
/// journal has committed its last frames and the store flushes them on closing.
/// </summary>
public sealed class InfluxForwarding(IStore store) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        store is InfluxStore influx ? influx.RunForwarderAsync(stoppingToken) : Task.CompletedTask;
}
