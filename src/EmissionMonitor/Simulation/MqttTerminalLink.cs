using System.Buffers;
using MQTTnet;
using MQTTnet.Protocol;

namespace EmissionMonitor.Simulation;

/// <summary>
/// A terminal on MQTT: user = MN, QoS 1 to <c>emission/{mn}/up</c>; PUBACK is the acknowledgement.
/// It subscribes to <c>emission/{mn}/down</c>: host frames other than replies go to the handler.
/// </summary>
public sealed class MqttTerminalLink(Uri target, string mn, string password) : ITerminalLink
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    public async Task ConnectAsync(Func<Hj212.Packets.Hj212Packet, Task>? hostFrame, CancellationToken cancellationToken)
    {
        var options = new MqttClientOptionsBuilder().WithTcpServer(target.Host, target.Port).WithCredentials(mn, password)
            .WithClientId($"sim-{mn}").WithCleanSession(true).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build();
        if (hostFrame is not null)
        {
            _client.ApplicationMessageReceivedAsync += e =>
            {
                var payload = e.ApplicationMessage.Payload.ToArray();
                if (Hj212.Packets.Hj212Decoder.Decode(payload) is { IsOk: true, Packet: { } packet } && packet.Cn is { } cn && !cn.StartsWith('9'))
                {
                    _ = Task.Run(() => hostFrame(packet), CancellationToken.None); // never block the client's receive loop
                }

                return Task.CompletedTask;
            };
        }

        var result = await _client.ConnectAsync(options, cancellationToken);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"MQTT login of {mn} refused: {result.ResultCode}");
        }

        if (hostFrame is not null)
        {
            await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter($"emission/{mn}/down", MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
        }
    }

    public async Task<bool?> SendAsync(byte[] frame, bool expectsReply, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic($"emission/{mn}/up").WithPayload(frame)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        var result = await _client.PublishAsync(message, cancellationToken);
        return result.IsSuccess;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }
}
