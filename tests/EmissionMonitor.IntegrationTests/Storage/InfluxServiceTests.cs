using System.Net.Http.Json;
using System.Text.Json;
using EmissionMonitor.IntegrationTests.Ingestion;
using EmissionMonitor.Storage.Influx;
using MQTTnet;
using MQTTnet.Protocol;

namespace EmissionMonitor.IntegrationTests.Storage;

public sealed class InfluxServiceTests
{
    [Fact]
    public async Task ServiceWithTheInfluxBackend_StoresTerminalFramesInInfluxdb_AndReportsReadThem()
    {
        await using var influx = await InfluxFixture.StartAsync();
        await influx.StartProxyAsync();
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Backend"] = "influxdb", ["Influx:Url"] = influx.ProxyUrl, ["Influx:Bucket"] = "emission", ["Influx:WriteApi"] = "v2", ["Influx:Token"] = "t0ken",
        });
        using var terminal = new MqttClientFactory().CreateMqttClient();
        await terminal.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", service.MqttPort).WithCredentials("QHXN0010001", "123456").Build());
        for (int h = 0; h < 24; h++)
        {
            var frame = Some.Hourly(at: new DateTime(2025, 7, 1).AddHours(h)).Value("a21026", "Avg", 10m).Value("a21026", "Flag", "N")
                .Value("a21002", "Avg", 20m).Value("a34013", "Avg", 1m).Build().ToString();
            Assert.True((await terminal.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("emission/QHXN0010001/up").WithPayload(frame)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build())).IsSuccess);
        }

        using var direct = new InfluxConnection(new InfluxOptions { Url = influx.Url, Bucket = "emission", WriteApi = "v1" });
        await Waiting.UntilAsync(() =>
        {
            using var doc = direct.QueryAsync("SELECT COUNT(\"n\") FROM \"hourly\"", CancellationToken.None).Result;
            var results = doc.RootElement.GetProperty("results")[0];
            return results.TryGetProperty("series", out var s) && s[0].GetProperty("values")[0][1].GetInt64() == 72;
        }, 20_000);

        using var http = new HttpClient { BaseAddress = service.HttpBase };
        var rates = await http.GetFromJsonAsync<JsonElement>("/api/rates?from=2025-07-01&to=2025-07-02&mn=QHXN0010001&by=pollutant&pollutant=a21026");
        Assert.Equal(24, rates[0].GetProperty("received").GetInt32());
        var ready = await http.GetFromJsonAsync<JsonElement>("/readyz");
        Assert.Equal(0, ready.GetProperty("buffer").GetProperty("depth").GetInt64());
        Assert.Contains("em_buffer_depth 0", await http.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }
}
