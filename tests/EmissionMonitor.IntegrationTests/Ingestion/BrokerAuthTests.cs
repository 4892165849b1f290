using System.Diagnostics;
using EmissionMonitor.Ingestion;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

namespace EmissionMonitor.IntegrationTests.Ingestion;

public sealed class BrokerAuthTests
{
    [Fact]
    public async Task GeneratedPasswordAndAclFiles_LetTerminalsPublishOnlyForThemselves()
    {
        string dir = Some.TempDirectory(), config = Path.Combine(dir, "config"), files = Path.Combine(dir, "broker");
        Directory.CreateDirectory(config);
        await File.WriteAllTextAsync(Path.Combine(config, "stations.json"), Some.RegistryJson);
        var result = await CliRunner.RunAsync(["broker-auth", "--out", files, "--config", config, "--service-password", "svc-secret", "--operator-user", "ops", "--operator-password", "ops-secret"]);
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("QHXN0010001:123456", await File.ReadAllTextAsync(Path.Combine(files, "passwd")), StringComparison.Ordinal);
        using (var hash = Process.Start("mosquitto_passwd", ["-U", Path.Combine(files, "passwd")]))
        {
            await hash.WaitForExitAsync();
            Assert.Equal(0, hash.ExitCode);
        }

        Assert.DoesNotContain("123456", await File.ReadAllTextAsync(Path.Combine(files, "passwd")), StringComparison.Ordinal);
        using var broker = await MosquittoFixture.StartAsync(new Dictionary<string, string>(), passwordFile: Path.Combine(files, "passwd"), aclFile: Path.Combine(files, "acl"));
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:Mode"] = "external", ["Mqtt:Host"] = "127.0.0.1", ["Mqtt:Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mqtt:Username"] = "emission-monitor", ["Mqtt:Password"] = "svc-secret",
        });
        var ingress = service.App.Services.GetRequiredService<ExternalMqttIngress>();
        await Waiting.UntilAsync(() => ingress.IsConnected);

        using var terminal = new MqttClientFactory().CreateMqttClient();
        Assert.Equal(MqttClientConnectResultCode.Success, (await terminal.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port)
            .WithCredentials("QHXN0020001", "654321").WithClientId("water").Build())).ResultCode);
        var own = Some.Hourly(mn: "QHXN0020001", pw: "654321").Value("w01018", "Avg", 10m).Build().ToString();
        var foreign = Some.Hourly(mn: "QHXN0010001", pw: "123456").Value("a21026", "Avg", 10m).Build().ToString();
        await terminal.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("emission/QHXN0010001/up").WithPayload(foreign).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await terminal.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("emission/QHXN0020001/up").WithPayload(own).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await Waiting.UntilAsync(() => service.CountsAsync().Result.Readings == 1);
        var counts = await service.CountsAsync();
        Assert.Equal(1, counts.Frames); // the broker's ACL dropped the foreign publish before the service saw it

        using var wrongLogin = new MqttClientFactory().CreateMqttClient();
        var refused = await wrongLogin.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithCredentials("QHXN0020001", "bad").Build());
        Assert.NotEqual(MqttClientConnectResultCode.Success, refused.ResultCode);
    }
}
