using System.Text;
using EmissionMonitor.Ingestion;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

namespace EmissionMonitor.IntegrationTests.Ingestion;

public sealed class ExternalBrokerResilienceTests
{
    private static readonly Dictionary<string, string> Users = new() { ["emission-monitor"] = "svc", ["QHXN0010001"] = "123456", ["watcher"] = "w" };

    [Fact]
    public async Task MosquittoOverTls_WithAuthentication_AndARestart_LosesNoAcknowledgedFrame()
    {
        var tls = TestCertificates.Create(Some.TempDirectory());
        using var broker = await MosquittoFixture.StartAsync(Users, tls: tls);
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:Mode"] = "external", ["Mqtt:Host"] = "127.0.0.1", ["Mqtt:Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mqtt:Username"] = "emission-monitor", ["Mqtt:Password"] = "svc", ["Mqtt:UseTls"] = "true", ["Mqtt:CaFile"] = tls.Ca,
        });
        var ingress = service.App.Services.GetRequiredService<ExternalMqttIngress>();
        await Waiting.UntilAsync(() => ingress.IsConnected, 15_000);

        int acknowledged = 0;
        async Task PublishAsync(int from, int to)
        {
            using var terminal = new MqttClientFactory().CreateMqttClient();
            var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithCredentials("QHXN0010001", "123456").WithClientId("terminal")
                .WithTlsOptions(o => o.UseTls().WithTrustChain([System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(tls.Ca)])).Build();
            Assert.Equal(MqttClientConnectResultCode.Success, (await terminal.ConnectAsync(options)).ResultCode);
            for (int h = from; h < to; h++)
            {
                var frame = Some.Hourly(at: new DateTime(2025, 7, 1).AddHours(h)).Value("a21026", "Avg", h).Build().ToString();
                if ((await terminal.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("emission/QHXN0010001/up").WithPayload(Encoding.ASCII.GetBytes(frame))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build())).IsSuccess)
                {
                    acknowledged++;
                }
            }
        }

        await PublishAsync(0, 300);
        await broker.RestartAsync(); // graceful: mosquitto keeps the service's persistent session and its queue
        await PublishAsync(300, 600);
        Assert.Equal(600, acknowledged);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await service.CountsAsync()).Readings < 600 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(ingress.IsConnected, "reconnected after the restart");
        var counts = await service.CountsAsync();
        Assert.Equal(600, counts.Readings);
        Assert.Equal(0, counts.FramesByReason.GetValueOrDefault("duplicate-conflict"));
    }

    [Fact]
    public async Task WhatTheServicePublishesWhileTheBrokerIsDown_IsSentAfterTheReconnect_AndStopsNothing()
    {
        using var broker = await MosquittoFixture.StartAsync(Users);
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:Mode"] = "external", ["Mqtt:Host"] = "127.0.0.1", ["Mqtt:Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mqtt:Username"] = "emission-monitor", ["Mqtt:Password"] = "svc",
        });
        var ingress = service.App.Services.GetRequiredService<ExternalMqttIngress>();
        await Waiting.UntilAsync(() => ingress.IsConnected, 15_000);

        // A watcher with a persistent session: mosquitto keeps its subscription over the restart.
        var received = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var watcher = new MqttClientFactory().CreateMqttClient();
        watcher.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue(Encoding.UTF8.GetString(e.ApplicationMessage.Payload));
            return Task.CompletedTask;
        };
        var watch = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithCredentials("watcher", "w").WithClientId("watcher")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithCleanStart(false).WithSessionExpiryInterval(3600).Build();
        await watcher.ConnectAsync(watch);
        await watcher.SubscribeAsync("emission/alerts/#", MqttQualityOfServiceLevel.AtLeastOnce);

        await broker.RestartAsync(async () =>
        {
            await Waiting.UntilAsync(() => !ingress.IsConnected, 15_000);
            for (int i = 0; i < 3; i++)
            {
                await ingress.PublishAsync("emission/alerts/info", Encoding.UTF8.GetBytes($"kept {i}"), CancellationToken.None); // must not throw
            }

            Assert.Equal(3, ingress.Backlog);
        });

        await Waiting.UntilAsync(() => ingress.IsConnected && ingress.Backlog == 0, 30_000);
        await Waiting.UntilAsync(() => !watcher.IsConnected, 15_000);
        await watcher.ConnectAsync(watch);
        await Waiting.UntilAsync(() => received.Count >= 3, 15_000);
        Assert.Equal(["kept 0", "kept 1", "kept 2"], received.ToArray());
    }
}
