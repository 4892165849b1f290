using MQTTnet;
using MQTTnet.Protocol;

namespace EmissionMonitor.Ingestion;

/// <summary>Publishing alerts and replies to the external broker, kept in order while it is unreachable.</summary>
public sealed partial class ExternalMqttIngress
{
    /// <summary>
    /// Publishes at QoS 1, or — while the broker is unreachable, or earlier messages still wait —
    /// keeps the message in the backlog (Mqtt:PublishBacklog, oldest dropped beyond it) for the
    /// reconnect. Never throws for a lost connection: an alert raised while the broker restarts must
    /// not stop the service.
    /// </summary>
    public async Task PublishAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        bool waiting;
        lock (_backlog)
        {
            waiting = _backlog.Count > 0;
        }

        if (waiting || !_client.IsConnected || !await TryPublishAsync(topic, payload, cancellationToken))
        {
            Keep(topic, payload);
        }
    }

    /// <summary>Messages kept for the reconnect.</summary>
    public int Backlog
    {
        get
        {
            lock (_backlog)
            {
                return _backlog.Count;
            }
        }
    }

    private async Task<bool> TryPublishAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        try
        {
            var result = await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
            if (!result.IsSuccess)
            {
                LogPublishFailed(logger, topic, result.ReasonCode.ToString());
            }

            return true;
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException e)
        {
            LogPublishDeferred(logger, topic, e.Message);
            return false;
        }
    }

    private void Keep(string topic, byte[] payload)
    {
        int dropped = 0;
        lock (_backlog)
        {
            _backlog.Enqueue((topic, payload));
            while (_backlog.Count > options.PublishBacklog)
            {
                _backlog.Dequeue();
                dropped++;
            }
        }

        if (dropped > 0)
        {
            LogBacklogFull(logger, options.PublishBacklog, dropped);
        }
    }

    /// <summary>Sends what was kept while disconnected, in order; stops at the first failure (the rest waits for the next reconnect).</summary>
    private async Task FlushBacklogAsync(CancellationToken cancellationToken)
    {
        while (_client.IsConnected)
        {
            (string Topic, byte[] Payload) next;
            lock (_backlog)
            {
                if (!_backlog.TryPeek(out next))
                {
                    return;
                }
            }

            if (!await TryPublishAsync(next.Topic, next.Payload, cancellationToken))
            {
                return;
            }

            lock (_backlog)
            {
                _backlog.TryDequeue(out _);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        var reconnect = Resilience.Retries.Forever(clock, (e, pause) => LogConnectFailed(logger, options.Host, options.Port, e?.Message ?? "?", pause.TotalSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!_client.IsConnected)
            {
                try
                {
                    await reconnect.ExecuteAsync(async ct => await ConnectAsync(ct), stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
            }

            try
            {
                await FlushBacklogAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException e)
            {
                // The broker went first (a broken pipe while saying goodbye): stopping anyway, nothing to undo.
                LogAckFailed(logger, "disconnect", e.Message);
            }
        }
    }
}
