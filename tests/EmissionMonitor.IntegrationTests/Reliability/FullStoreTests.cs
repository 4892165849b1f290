using System.Net.Http.Json;
using System.Text.Json;
using EmissionMonitor.IntegrationTests.Ingestion;
using MQTTnet;
using MQTTnet.Protocol;

namespace EmissionMonitor.IntegrationTests.Reliability;

public sealed class FullStoreTests
{
    [Fact]
    public async Task FullDatabase_RefusesFrames_WithoutAcknowledging_AndLosesNoneThatWereAcknowledged()
    {
        // Storage:MaxSizeMB caps the SQLite file the way a full disk would (DESIGN.md: as root, file
        // permissions do not stop writes, so the cap stands in for a full disk).
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?> { ["Storage:MaxSizeMB"] = "1", ["Storage:CommitInterval"] = "00:00:00" });
        service.ExpectErrors("Commit of"); // the full database fails commits on purpose
        int acknowledged = 0, refused = 0;
        IMqttClient? terminal = null;
        for (int h = 0; h < 5000 && refused < 3; h++)
        {
            if (terminal is not { IsConnected: true })
            {
                terminal?.Dispose();
                terminal = new MqttClientFactory().CreateMqttClient();
                await terminal.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", service.MqttPort).WithCredentials("QHXN0010001", "123456").Build());
            }

            var frame = Some.Hourly(at: new DateTime(2025, 1, 1).AddHours(h)).Value("a21026", "Avg", h).Value("a21002", "Avg", 1m).Value("a34013", "Avg", 2m).Build().ToString();
            try
            {
                var result = await terminal.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("emission/QHXN0010001/up").WithPayload(frame)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
                if (result.IsSuccess)
                {
                    acknowledged++;
                }
                else
                {
                    refused++;
                }
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException)
            {
                refused++; // the service closed the connection instead of acknowledging
            }
        }

        terminal?.Dispose();
        Assert.True(refused > 0, "the cap was reached");
        Assert.True(acknowledged > 100, $"acknowledged {acknowledged}");
        var counts = await service.CountsAsync();
        Assert.Equal(acknowledged * 3, counts.Readings); // every acknowledged frame is stored, none beyond
        using var http = new HttpClient { BaseAddress = service.HttpBase };
        Assert.Equal("ok", await http.GetStringAsync("/healthz"));
        var ready = await http.GetFromJsonAsync<JsonElement>("/readyz");
        Assert.True(ready.GetProperty("commitFailures").GetInt64() > 0);
        Assert.Contains(service.LoggedErrors, e => e.Contains("Commit of", StringComparison.Ordinal)); // the fixture sees the service's Error logs
    }
}
