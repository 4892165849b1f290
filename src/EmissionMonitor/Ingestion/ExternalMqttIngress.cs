using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using EmissionMonitor.Intake;
using EmissionMonitor.Storage;
using MQTTnet;
using MQTTnet.Protocol;

namespace EmissionMonitor.Ingestion;

/// <summary>
/// The service as a client of an external broker (mosquitto, EMQX): a persistent session
/// subscribed at QoS 1 to <c>emission/+/up</c> (or a shared subscription), automatic reconnection
/// with backoff. Messages are acknowledged manually, after the group commit: the handler hands each
/// frame to the journal and returns, and the PUBACK follows when the frame's batch commits — so one
/// subscriber connection is not capped at one commit per frame. Unacknowledged messages are
/// redelivered by the broker after a reconnect; duplicates are then stored once.
/// </summary>
public sealed partial class ExternalMqttIngress(MqttOptions options, FrameIngestor ingestor, TimeProvider clock, ILogger<ExternalMqttIngress> logger)
    : BackgroundService, IMessagePublisher
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly SemaphoreSlim _window = new(options.ReceiveMaximum, options.ReceiveMaximum);
    private int _unacknowledged;
    private int _peakUnacknowledged;
    private readonly Queue<(string Topic, byte[] Payload)> _backlog = new();

    /// <summary>Messages received and not yet acknowledged (at most Mqtt:ReceiveMaximum while the broker honours it).</summary>
    public int Unacknowledged => Volatile.Read(ref _unacknowledged);

    /// <summary>The most messages ever unacknowledged at once (never above Mqtt:ReceiveMaximum).</summary>
    public int PeakUnacknowledged => Volatile.Read(ref _peakUnacknowledged);

    /// <summary>True while connected to the broker.</summary>
    /// <summary>Connected to the broker and subscribed to the terminals' topics (before the subscription is granted, frames published are not ours yet).</summary>
    public bool IsConnected => _client.IsConnected && Volatile.Read(ref _subscribed);

    private bool _subscribed;

    public override void Dispose()
    {
        _client.Dispose();
        _window.Dispose();
        base.Dispose();
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithClientId(options.ClientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(uint.MaxValue)
            .WithReceiveMaximum((ushort)options.ReceiveMaximum)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30));
        if (options.Username is not null)
        {
            builder.WithCredentials(options.Username, options.Password);
        }

        if (options.UseTls)
        {
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls();
                if (options.CaFile is not null)
                {
                    var ca = X509CertificateLoader.LoadCertificateFromFile(options.CaFile);
                    tls.WithTrustChain([ca]);
                }
            });
        }

        Volatile.Write(ref _subscribed, false);
        var result = await _client.ConnectAsync(builder.Build(), cancellationToken);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"broker refused the connection: {result.ResultCode}");
        }

        string filter = options.SharedGroup is { Length: > 0 } group ? $"$share/{group}/emission/+/up" : "emission/+/up";
        var sub = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
        var code = sub.Items.Single().ResultCode;
        if (code > MqttClientSubscribeResultCode.GrantedQoS2)
        {
            throw new InvalidOperationException($"subscription to {filter} refused: {code}");
        }

        Volatile.Write(ref _subscribed, true);

        LogConnected(logger, options.Host, options.Port, filter, result.IsSessionPresent);
    }

    /// <summary>
    /// Hands a message to the journal and returns; at most Mqtt:ReceiveMaximum are in the pipeline at
    /// once. The broker should stop there by itself (MQTT 5 Receive Maximum), but mosquitto 2.0.11
    /// was measured sending past it under load, so the window is enforced here too: when it is full
    /// the handler waits, and further messages wait, compactly, in the client's receive queue.
    /// </summary>
    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        e.AutoAcknowledge = false;
        await _window.WaitAsync();
        var message = e.ApplicationMessage;
        var frame = new ReceivedFrame(message.Payload.ToArray(), Transport.Mqtt, $"mqtt:{message.Topic}", clock.GetUtcNow(), Topics.UpMn(message.Topic));
        int now = Interlocked.Increment(ref _unacknowledged);
        for (int peak = Volatile.Read(ref _peakUnacknowledged); now > peak; peak = Volatile.Read(ref _peakUnacknowledged))
        {
            Interlocked.CompareExchange(ref _peakUnacknowledged, now, peak);
        }

        _ = CommitThenAcknowledgeAsync(e, frame);
    }

    private async Task CommitThenAcknowledgeAsync(MqttApplicationMessageReceivedEventArgs e, ReceivedFrame frame)
    {
        try
        {
            await CommitThenAcknowledgeCoreAsync(e, frame);
        }
        finally
        {
            Interlocked.Decrement(ref _unacknowledged);
            _window.Release();
        }
    }

    private async Task CommitThenAcknowledgeCoreAsync(MqttApplicationMessageReceivedEventArgs e, ReceivedFrame frame)
    {
        IngestOutcome outcome;
        try
        {
            outcome = await ingestor.IngestAsync(frame, CancellationToken.None);
        }
        catch (StoreUnavailableException)
        {
            return; // not acknowledged: the broker redelivers it after the next reconnect
        }

        try
        {
            await e.AcknowledgeAsync(CancellationToken.None);
            if (outcome.ReplyBytes is { } reply && outcome.Result.Outlet is { } outlet)
            {
                await PublishAsync(Topics.Down(outlet.Mn), reply, CancellationToken.None);
            }

            if (outcome.FollowUpBytes is { } followUp && outcome.Result.Outlet is { } to)
            {
                await PublishAsync(Topics.Down(to.Mn), followUp, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or OperationCanceledException)
        {
            // The connection dropped after the commit: the broker redelivers, and the resend is stored once.
            LogAckFailed(logger, frame.TopicMn ?? "?", ex.Message);
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Connected to MQTT broker {Host}:{Port}, subscribed to {Filter} (session present: {SessionPresent})")]
    private static partial void LogConnected(ILogger logger, string host, int port, string filter, bool sessionPresent);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "MQTT broker {Host}:{Port} unreachable ({Reason}); retrying in {Seconds} s")]
    private static partial void LogConnectFailed(ILogger logger, string host, int port, string reason, double seconds);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Publish to {Topic} failed: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Warning, Message = "Publish to {Topic} deferred until the broker is back: {Reason}")]
    private static partial void LogPublishDeferred(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Warning, Message = "Publish backlog full ({Limit}, Mqtt:PublishBacklog): {Dropped} oldest message(s) dropped")]
    private static partial void LogBacklogFull(ILogger logger, int limit, int dropped);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Acknowledgement of a frame of {Mn} failed: {Reason}")]
    private static partial void LogAckFailed(ILogger logger, string mn, string reason);
}
