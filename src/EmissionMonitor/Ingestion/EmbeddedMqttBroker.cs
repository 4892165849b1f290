using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using EmissionMonitor.Ingestion.Connecting;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Journaling;
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
/// Identity: client ids starting with <c>emission-monitor</c> (the service's own) and ids equal to
/// another outlet's MN are refused at CONNECT, as is an id whose session belongs to another login;
/// one MN has one session, so a second connection of the same MN replaces the first.
/// Connections are admitted per address and within the process budget by <see cref="GuardedMqttTcpAdapter"/>;
/// failed logins are throttled per (address, MN).
/// </summary>
public sealed partial class EmbeddedMqttBroker(
    MqttOptions options, IntakeOptions intake, Func<StationRegistry> registry, FrameIngestor ingestor, LoginThrottle throttle,
    ConnectionBudget budget, TimeProvider clock, ILogger<EmbeddedMqttBroker> logger) : IHostedService, IAsyncDisposable, IMessagePublisher
{
    /// <summary>The client id the service publishes its own messages with; no connection may use the prefix.</summary>
    public const string ServiceClientId = "emission-monitor";

    private readonly ConcurrentDictionary<string, string> _loginOfClient = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _clientOfMn = new(StringComparer.Ordinal);
    private readonly AddressLimiter _limiter = new("mqtt", options.MaxConnectionsPerAddress, budget);
    private GuardedMqttTcpAdapter? _adapter;
    private MqttServer? _server;

    /// <summary>The port actually bound.</summary>
    public int Port => _adapter?.Port ?? options.Port;

    /// <summary>A terminal's MQTT session ended (its MN): commands in flight over MQTT fail.</summary>
    public event Action<string>? TerminalDisconnected;

    /// <summary>Connections refused by the per-address cap or the process budget.</summary>
    public long RefusedConnections => _limiter.Refused;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultCommunicationTimeout(options.ConnectTimeout)
            .WithMaxPendingMessagesPerClient(options.MaxPendingMessagesPerClient)
            .Build();
        // Payloads a little past the frame limit are read, refused as too-large and archived as their
        // head; a packet over four times the limit closes the connection before it is buffered.
        _adapter = new GuardedMqttTcpAdapter(IPAddress.Parse(options.Host), options.Port, _limiter, MaxPacketBytes(intake), logger, clock);
        _server = new MqttServerFactory().CreateMqttServer(serverOptions, [_adapter]);
        _server.ValidatingConnectionAsync += ValidateConnectionAsync;
        _server.ClientConnectedAsync += ClientConnectedAsync;
        _server.ClientDisconnectedAsync += ClientDisconnectedAsync;
        _server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        _server.InterceptingPublishAsync += InterceptPublishAsync;
        await _server.StartAsync();
        LogStarted(logger, options.Host, Port);
    }

    /// <summary>The largest MQTT packet read: four times Intake:MaxFrameBytes.</summary>
    public static int MaxPacketBytes(IntakeOptions intake) => (int)Math.Min(int.MaxValue, 4L * intake.MaxFrameBytes);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync(new MqttServerStopOptions());
        }
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose(); // disposes the adapter too
        return ValueTask.CompletedTask;
    }

    /// <summary>Publishes a message from the service (replies, alerts) to the broker's subscribers.</summary>
    public Task PublishAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        return _server!.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = ServiceClientId }, cancellationToken);
    }

    private bool IsOperator(string? user) => options.Username is { Length: > 0 } name && string.Equals(user, name, StringComparison.Ordinal);

    private Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        string peer = e.RemoteEndPoint?.ToString() ?? "?";
        string user = e.UserName ?? string.Empty;
        if (ClientIdProblem(e.ClientId ?? string.Empty, user) is { } problem)
        {
            e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
            LogClientIdRefused(logger, e.ClientId ?? "(none)", user, peer, problem);
            return Task.CompletedTask;
        }

        if (throttle.IsLocked(peer, user))
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            LogThrottled(logger, user, peer);
            return Task.CompletedTask;
        }

        bool ok = IsOperator(user)
            ? string.Equals(e.Password, options.Password, StringComparison.Ordinal)
            : registry().FindOutlet(user) is { } outlet && string.Equals(outlet.Password, e.Password, StringComparison.Ordinal);
        if (!ok)
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            throttle.Fail(peer, user);
            LogRefused(logger, user.Length == 0 ? "(none)" : user, peer);
            return Task.CompletedTask;
        }

        throttle.Succeed(peer, user);
        // Claimed now, not when the connection is announced (after its CONNACK): a second login
        // racing right behind this one must already see whose id it is.
        _loginOfClient[e.ClientId ?? string.Empty] = user;
        return Task.CompletedTask;
    }

    /// <summary>Why a client id may not be used by <paramref name="user"/>, or null when it may.</summary>
    private string? ClientIdProblem(string clientId, string user)
    {
        if (clientId.StartsWith(ServiceClientId, StringComparison.OrdinalIgnoreCase))
        {
            return "the prefix emission-monitor is reserved for the service";
        }

        if (!string.Equals(clientId, user, StringComparison.Ordinal) && registry().FindOutlet(clientId) is not null)
        {
            return "it is another outlet's MN";
        }

        return _loginOfClient.TryGetValue(clientId, out var owner) && !string.Equals(owner, user, StringComparison.Ordinal)
            ? "its session belongs to another login"
            : null;
    }

    private async Task ClientConnectedAsync(ClientConnectedEventArgs e)
    {
        string user = e.UserName ?? string.Empty;
        if (IsOperator(user))
        {
            return;
        }

        // One session per MN: a terminal that reconnects under another client id replaces its old connection.
        string? previous = null;
        _clientOfMn.AddOrUpdate(user, e.ClientId, (_, old) =>
        {
            previous = old;
            return e.ClientId;
        });
        if (previous is not null && !string.Equals(previous, e.ClientId, StringComparison.Ordinal))
        {
            LogReplaced(logger, user, previous, e.ClientId);
            try
            {
                await _server!.DisconnectClientAsync(previous, new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.SessionTakenOver });
            }
            catch (InvalidOperationException)
            {
                // it went away meanwhile
            }
        }
    }

    private Task ClientDisconnectedAsync(ClientDisconnectedEventArgs e)
    {
        if (e.DisconnectType == MqttClientDisconnectType.Takeover)
        {
            return Task.CompletedTask; // the same client id is connected again
        }

        if (_loginOfClient.TryRemove(e.ClientId, out var user) && _clientOfMn.TryRemove(new KeyValuePair<string, string>(user, e.ClientId)))
        {
            TerminalDisconnected?.Invoke(user);
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
        if (string.Equals(e.ClientId, ServiceClientId, StringComparison.Ordinal))
        {
            return; // the service's own replies and alerts (no connection can use this id)
        }

        // Terminal frames are data for the service, not messages to route to other subscribers.
        e.ProcessPublish = false;
        if (IsOperator(e.UserName))
        {
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized; // operators only listen
            return;
        }

        var topic = e.ApplicationMessage.Topic;
        var payload = e.ApplicationMessage.Payload;
        // Oversized payloads are cut to what is archived before they are copied.
        var bytes = payload.Length > intake.MaxFrameBytes
            ? new FrameHead(payload.Slice(0, intake.MaxArchivedGarbage).ToArray(), payload.Length)
            : new FrameHead(payload.ToArray(), payload.Length);
        var frame = new ReceivedFrame(bytes.Bytes, Transport.Mqtt, e.ClientId, clock.GetUtcNow(), Topics.UpMn(topic), e.UserName);
        IngestOutcome outcome;
        try
        {
            outcome = bytes.Length > intake.MaxFrameBytes
                ? await ingestor.IngestTooLargeAsync(frame, bytes.Length, e.CancellationToken)
                : await ingestor.IngestAsync(frame, e.CancellationToken);
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
        else if (outcome.Result.Rejection == Reasons.TooLarge)
        {
            e.Response.ReasonCode = MqttPubAckReasonCode.QuotaExceeded;
        }

        if (outcome.ReplyBytes is { } reply && outcome.Result.Outlet is { } outlet)
        {
            await PublishAsync(Topics.Down(outlet.Mn), reply, e.CancellationToken);
        }

        if (outcome.FollowUpBytes is { } followUp && outcome.Result.Outlet is { } to)
        {
            await PublishAsync(Topics.Down(to.Mn), followUp, e.CancellationToken);
        }
    }

    private readonly record struct FrameHead(byte[] Bytes, long Length);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Host}:{Port}")]
    private static partial void LogStarted(ILogger logger, string host, int port);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "MQTT login refused for {UserName} from {Peer}")]
    private static partial void LogRefused(ILogger logger, string userName, string peer);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "MQTT client id {ClientId} refused for {UserName} from {Peer}: {Problem}")]
    private static partial void LogClientIdRefused(ILogger logger, string clientId, string userName, string peer, string problem);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "MQTT login of {UserName} from {Peer} throttled after repeated failures")]
    private static partial void LogThrottled(ILogger logger, string userName, string peer);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "MQTT session of {Mn}: connection {Previous} replaced by {Current}")]
    private static partial void LogReplaced(ILogger logger, string mn, string previous, string current);
}
