namespace EmissionMonitor.Ingestion;

/// <summary>Publishes a message from the service to the broker (replies, alerts) at QoS 1, not retained.</summary>
public interface IMessagePublisher
{
    Task PublishAsync(string topic, byte[] payload, CancellationToken cancellationToken);
}
