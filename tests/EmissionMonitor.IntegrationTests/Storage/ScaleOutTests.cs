using System.Net.Http.Json;
using System.Text.Json;
using EmissionMonitor.IntegrationTests.Ingestion;
using EmissionMonitor.Storage.Influx;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

namespace EmissionMonitor.IntegrationTests.Storage;

public sealed class ScaleOutTests
{
    [Fact]
    public async Task TwoInstances_ShareOneSubscriptionAndOneInfluxdb_EveryFrameStoredOnce_AndTheirReportsAgree()
    {
        var users = new Dictionary<string, string> { ["emission-monitor"] = "svc", ["QHXN0010001"] = "123456", ["QHXN0020001"] = "654321" };
        using var broker = await MosquittoFixture.StartAsync(users);
        await using var influx = await InfluxFixture.StartAsync();
        Dictionary<string, string?> Settings(string id) => new()
        {
            ["Mqtt:Mode"] = "external", ["Mqtt:Host"] = "127.0.0.1", ["Mqtt:Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mqtt:Username"] = "emission-monitor", ["Mqtt:Password"] = "svc", ["Mqtt:ClientId"] = "emission-monitor-" + id, ["Mqtt:SharedGroup"] = "emission-monitor",
            ["Storage:Backend"] = "influxdb", ["Influx:Url"] = influx.Url, ["Influx:Bucket"] = "emission", ["Influx:WriteApi"] = "v1",
        };
        await using var a = await ServiceFixture.StartAsync(Settings("a"));
        await using var b = await ServiceFixture.StartAsync(Settings("b"));
        foreach (var s in new[] { a, b })
        {
            var ingress = s.App.Services.GetRequiredService<EmissionMonitor.Ingestion.ExternalMqttIngress>();
            await Waiting.UntilAsync(() => ingress.IsConnected);
        }

        const int Hours = 400;
        foreach (var (mn, pw, code) in new[] { ("QHXN0010001", "123456", "a21026"), ("QHXN0020001", "654321", "w01018") })
        {
            using var terminal = new MqttClientFactory().CreateMqttClient();
            await terminal.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithCredentials(mn, pw).WithClientId("t-" + mn).Build());
            for (int h = 0; h < Hours; h++)
            {
                var frame = Some.Hourly(mn: mn, pw: pw, at: new DateTime(2025, 7, 1).AddHours(h)).Value(code, "Avg", h % 7 == 0 ? 80m : 10m).Value(code, "Flag", "N").Build().ToString();
                Assert.True((await terminal.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"emission/{mn}/up").WithPayload(frame)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build())).IsSuccess);
            }
        }

        using var direct = new InfluxConnection(new InfluxOptions { Url = influx.Url, Bucket = "emission", WriteApi = "v1" });
        long Count(string q)
        {
            using var doc = direct.QueryAsync(q, CancellationToken.None).Result;
            var r = doc.RootElement.GetProperty("results")[0];
            return r.TryGetProperty("series", out var s) ? s.EnumerateArray().Sum(x => x.GetProperty("values")[0][1].GetInt64()) : 0;
        }

        await Waiting.UntilAsync(() => Count("SELECT COUNT(\"id\") FROM \"frames\"") == 2 * Hours, 60_000);
        Assert.Equal(2 * Hours, Count("SELECT COUNT(\"n\") FROM \"hourly\""));
        Assert.Equal(2 * Hours, Count("SELECT COUNT(\"id\") FROM \"frames\" WHERE \"status\" = 'accepted'")); // none twice: no duplicates either

        // Both instances took part, and reports computed on either instance are identical.
        var aFrames = a.App.Services.GetRequiredService<EmissionMonitor.Diagnostics.IngestMetrics>().Frames;
        var bFrames = b.App.Services.GetRequiredService<EmissionMonitor.Diagnostics.IngestMetrics>().Frames;
        Assert.Equal(2 * Hours, aFrames + bFrames);
        Assert.True(aFrames > 0 && bFrames > 0, $"shared subscription split: {aFrames} / {bFrames}");
        // An operator's mark made on one instance is seen by the other (through InfluxDB).
        using (var ha = new HttpClient { BaseAddress = a.HttpBase })
        using (var hb = new HttpClient { BaseAddress = b.HttpBase })
        {
            var created = await ha.PostAsJsonAsync("/api/marks", new { mn = "QHXN0010001", kind = "shutdown", from = "2025-07-02", to = "2025-07-03", comment = "停产" });
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
            await Waiting.UntilAsync(() => hb.GetFromJsonAsync<JsonElement>("/api/marks").Result.GetArrayLength() == 1);
            var hours = await hb.GetFromJsonAsync<JsonElement>("/api/hours?from=2025-07-02&to=2025-07-03&mn=QHXN0010001&pollutant=a21026");
            Assert.All(hours.EnumerateArray(), h => Assert.Equal("exempt", h.GetProperty("state").GetString()));
        }

        foreach (var report in new[] { "rates", "exceedances", "totals", "cards" })
        {
            using var ha = new HttpClient { BaseAddress = a.HttpBase };
            using var hb = new HttpClient { BaseAddress = b.HttpBase };
            string query = $"/api/{report}?from=2025-07-01&to=2025-07-20&by=pollutant";
            Assert.Equal(await ha.GetStringAsync(query), await hb.GetStringAsync(query));
        }

        var exceedances = await new HttpClient { BaseAddress = a.HttpBase }.GetFromJsonAsync<JsonElement>("/api/exceedances?from=2025-07-01&to=2025-07-20&mn=QHXN0010001");
        Assert.True(exceedances.GetArrayLength() > 0);
    }
}
