using System.Buffers;
using System.Net;
using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace EmissionMonitor.Ingestion;

/// <summary>
/// The embedded MQTT broker (MQTTnet server). Terminals log in with user name = MN and the outlet's
/// password; they may publish only to <c>emission/{mn}/up</c> and subscribe only to
/// <c>emission/{mn}/down</c>. A publish is answered (PUBACK) when the interceptor returns, so the
/// interceptor awaits the group commit: a frame is acknowledged only once durably stored; if the
/// commit fails the connection is closed without PUBACK and the terminal resends.
/// </summary>
public sealed partial class EmbeddedMqttBroker(
    MqttOptions options, Func<StationRegistry> registry, FrameIngestor ingestor, TimeProvider clock, ILogger<EmbeddedMqttBroker> logger) : IHostedService, IAsyncDisposable, IMessagePublisher
{
    private MqttServer? _server;

    /// <summary>The port actually bound (useful when configured as 0 in tests).</summary>
    public int Port => options.Port;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Parse(options.Host))
            .WithDefaultEndpointPort(options.Port)
            .WithMaxPendingMessagesPerClient(options.MaxPendingMessagesPerClient)
            .WithConnectionBacklog(1024) // thousands of terminals reconnect at once after a network blip
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        _server.ValidatingConnectionAsync += ValidateConnectionAsync;
        _server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        _server.InterceptingPublishAsync += InterceptPublishAsync;
        await _server.StartAsync();
        LogStarted(logger, options.Host, options.Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync(new MqttServerStopOptions());
        }
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Publishes a message from the service (replies, alerts) to the broker's subscribers.</summary>
    public Task PublishAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        return _server!.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = "emission-monitor" }, cancellationToken);
    }

    private bool IsOperator(string? user) => options.Username is { Length: > 0 } name && string.Equals(user, name, StringComparison.Ordinal);

    private Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        if (IsOperator(e.UserName) && string.Equals(e.Password, options.Password, StringComparison.Ordinal))
        {
            return Task.CompletedTask; // the operators' login: may subscribe to the alert topics
        }

        var outlet = registry().FindOutlet(e.UserName);
        if (outlet is null || !string.Equals(outlet.Password, e.Password, StringComparison.Ordinal))
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            LogRefused(logger, e.UserName ?? "(none)", e.RemoteEndPoint?.ToString() ?? "?");
        }

        return Task.CompletedTask;
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        bool allowed = IsOperator(e.UserName)
            ? e.TopicFilter.Topic.StartsWith("emission/alerts/", StringComparison.Ordinal)
            : e.UserName is not null && string.Equals(e.TopicFilter.Topic, Topics.Down(e.UserName), StringComparison.Ordinal);
        if (!allowed)
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        }

        return Task.CompletedTask;
    }

    private async Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        if (string.Equals(e.ClientId, "emission-monitor", StringComparison.Ordinal))
        {
            return; // the service's own replies and alerts
        }

        // Terminal frames are data for the service, not messages to route to other subscribers.
        e.ProcessPublish = false;
        if (IsOperator(e.UserName))
        {
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized; // operators only listen
            return;
        }

        var topic = e.ApplicationMessage.Topic;
        var frame = new ReceivedFrame(e.ApplicationMessage.Payload.ToArray(), Transport.Mqtt, e.ClientId, clock.GetUtcNow(), Topics.UpMn(topic), e.UserName);
        IngestOutcome outcome;
        try
        {
            outcome = await ingestor.IngestAsync(frame, e.CancellationToken);
        }
        catch (StoreUnavailableException)
        {
            e.CloseConnection = true; // no PUBACK: the terminal resends after reconnecting
            return;
        }

        if (outcome.Result.Rejection == Reasons.TopicMismatch)
        {
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
        }

        if (outcome.Reply is { } reply && outcome.Result.Outlet is { } outlet)
        {
            await PublishAsync(Topics.Down(outlet.Mn), Hj212Encoder.Encode(reply), e.CancellationToken);
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Host}:{Port}")]
    private static partial void LogStarted(ILogger logger, string host, int port);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "MQTT login refused for {UserName} from {Peer}")]
    private static partial void LogRefused(ILogger logger, string userName, string peer);
}
