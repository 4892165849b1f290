using System.Buffers;
using System.Text;
using EmissionMonitor.Hj212.Packets;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EmissionMonitor.IntegrationTests.Ingestion;

public sealed class EmbeddedMqttTests
{
    private static async Task<IMqttClient> ConnectAsync(ServiceFixture service, string user, string password)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", service.MqttPort).WithCredentials(user, password)
            .WithClientId(user + "-" + Guid.NewGuid().ToString("N")[..6]).WithProtocolVersion(MqttProtocolVersion.V500).Build();
        var result = await client.ConnectAsync(options);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    [Fact]
    public async Task PublishedFrames_ArriveInSqliteExactlyOnce_AndRepliesComeOnTheDownTopic()
    {
        await using var service = await ServiceFixture.StartAsync();
        using var client = await ConnectAsync(service, "QHXN0010001", "123456");
        var replies = new List<string>();
        client.ApplicationMessageReceivedAsync += e =>
        {
            lock (replies)
            {
                replies.Add(Encoding.ASCII.GetString(e.ApplicationMessage.Payload.ToArray()));
            }

            return Task.CompletedTask;
        };
        var sub = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("emission/QHXN0010001/down", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, sub.Items.Single().ResultCode);

        for (int h = 0; h < 50; h++)
        {
            var frame = Some.Hourly(at: new DateTime(2025, 7, 1, 0, 0, 0).AddHours(h), flag: 5).Value("a21026", "Avg", 10m + h).Value("a21002", "Avg", 30m).Build().ToString();
            var result = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("emission/QHXN0010001/up").WithPayload(frame)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            Assert.True(result.IsSuccess, result.ReasonCode.ToString());
            if (h < 5)
            {
                await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("emission/QHXN0010001/up").WithPayload(frame)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build()); // resend: stored once
            }
        }

        // PUBACK came after the commit: the store already holds every reading.
        var counts = await service.CountsAsync();
        Assert.Equal(100, counts.Readings);
        Assert.Equal(55, counts.Frames);
        Assert.Equal(5, counts.FramesByReason["duplicate"]);

        await Waiting.UntilAsync(() => { lock (replies) { return replies.Count == 55; } });
        lock (replies)
        {
            Assert.All(replies, r =>
            {
                var decoded = Hj212Decoder.Decode(Encoding.ASCII.GetBytes(r));
                Assert.True(decoded.IsOk, decoded.Detail);
                Assert.Equal("9014", decoded.Packet!.Cn);
                Assert.Equal("20250701090000001", decoded.Packet.Qn);
            });
        }
    }

    [Fact]
    public async Task WrongPassword_IsRefusedAtConnect()
    {
        await using var service = await ServiceFixture.StartAsync();
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", service.MqttPort).WithCredentials("QHXN0010001", "wrong")
            .WithProtocolVersion(MqttProtocolVersion.V500).Build();
        var result = await client.ConnectAsync(options);
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, result.ResultCode);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task ForeignTopicPublish_IsNotAuthorized_AndArchivedAsTopicMismatch()
    {
        await using var service = await ServiceFixture.StartAsync();
        using var client = await ConnectAsync(service, "QHXN0020001", "654321");
        var frame = Some.Hourly().Value("a21026", "Avg", 1m).Build().ToString();
        var result = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("emission/QHXN0010001/up").WithPayload(frame)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
        var sub = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("emission/QHXN0010001/down").Build());
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, sub.Items.Single().ResultCode);
        var counts = await service.CountsAsync();
        Assert.Equal(0, counts.Readings);
        Assert.Equal(1, counts.FramesByReason["topic-mismatch"]);
    }
}
