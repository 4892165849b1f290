using MQTTnet;
using MQTTnet.Protocol;

namespace EmissionMonitor.Simulation;

/// <summary>A terminal on MQTT: user = MN, QoS 1 to <c>emission/{mn}/up</c>; PUBACK is the acknowledgement.</summary>
public sealed class MqttTerminalLink(Uri target, string mn, string password) : ITerminalLink
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var options = new MqttClientOptionsBuilder().WithTcpServer(target.Host, target.Port).WithCredentials(mn, password)
            .WithClientId($"sim-{mn}").WithCleanSession(true).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build();
        var result = await _client.ConnectAsync(options, cancellationToken);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"MQTT login of {mn} refused: {result.ResultCode}");
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
