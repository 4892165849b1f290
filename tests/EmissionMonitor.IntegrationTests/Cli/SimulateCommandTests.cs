using System.Text.RegularExpressions;
using EmissionMonitor.IntegrationTests.Ingestion;

namespace EmissionMonitor.IntegrationTests.Cli;

public sealed class SimulateCommandTests
{
    [Theory]
    [InlineData("mqtt")]
    [InlineData("tcp")]
    public async Task Simulate_AgainstTheService_EveryAcknowledgedFrameIsStored(string scheme)
    {
        await using var service = await ServiceFixture.StartAsync();
        string registry = Path.Combine(Some.TempDirectory(), "stations.json");
        await File.WriteAllTextAsync(registry, Some.RegistryJson);
        int port = scheme == "mqtt" ? service.MqttPort : service.GatewayPort;
        var result = await CliRunner.RunAsync(["simulate", "--target", $"{scheme}://127.0.0.1:{port}", "--registry", registry,
            "--rate", "100", "--duration", "3s", "--bad-share", "0.2", "--backfill-hours", "3"]);
        Assert.True(result.ExitCode == 0, result.StdErr);
        var m = Regex.Match(result.StdOut, @"sent (\d+) frames .*acknowledged (\d+), not acknowledged (\d+)");
        Assert.True(m.Success, result.StdOut);
        int sent = int.Parse(m.Groups[1].Value), acknowledged = int.Parse(m.Groups[2].Value);
        Assert.InRange(sent, 20, 400); // the pace depends on the machine; what matters is below
        await Waiting.UntilAsync(() => service.CountsAsync().Result.Frames == sent);
        var counts = await service.CountsAsync();
        Assert.True(counts.FramesByReason.GetValueOrDefault("crc-mismatch") > 0, "the bad share reaches the service as crc-mismatch");
        Assert.Equal(sent - counts.FramesByReason["crc-mismatch"], counts.FramesByStatus["accepted"]);
        if (scheme == "mqtt")
        {
            Assert.Equal(sent, acknowledged); // PUBACK for every publish, broken frames included (archived)
        }
    }

    [Fact]
    public async Task Simulate_BadTarget_IsAUsageError()
    {
        var result = await CliRunner.RunAsync(["simulate", "--target", "http://x"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--target", result.StdErr, StringComparison.Ordinal);
    }
}
