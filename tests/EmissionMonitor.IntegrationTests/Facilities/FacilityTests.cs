using System.Globalization;
using System.Net;
using System.Text.Json;
using EmissionMonitor.Alerts;
using EmissionMonitor.Hj212.Encoders;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

namespace EmissionMonitor.IntegrationTests.Facilities;

/// <summary>
/// Are the treatment facilities running? HJ 212-2025 ST=44 real-time power values of a boiler (over
/// the TCP link) and of the desulphurisation fan that serves it (over MQTT): the fan stopped while the
/// boiler runs raises one critical <c>treatment-off</c>, which clears when the fan runs again; the
/// facility episodes and the finding equal what the values sent say, written out here.
/// </summary>
public sealed class FacilityTests
{
    private const string Registry = """
        { "enterprises": [ {
            "id": "QH-XN-001", "name": "西宁某热电有限公司", "city": "西宁市", "industry": "thermal-power",
            "outlets": [ { "mn": "QHXN0010001", "password": "123456", "kind": "gas", "name": "1号锅炉排口", "flowUnit": "m3/s", "limits": { "a21026": 35 } } ],
            "facilities": [
              { "id": "boiler", "name": "1号锅炉", "kind": "production", "code": "d20105", "unit": "A", "onAbove": 20, "outlets": ["QHXN0010001"],
                "declaredCode": "p99101" },
              { "id": "fan", "name": "脱硫引风机", "kind": "treatment", "code": "d30106", "unit": "A", "onAbove": 5, "serves": ["boiler"], "outlets": ["QHXN0010001"] } ] } ] }
        """;

    private static string Frame(DateTime at, string code, decimal value, string st = "44") =>
        new Hj212Builder { Qn = at.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture), St = st, Cn = "2011", Pw = "123456", Mn = "QHXN0010001", Flag = 9 }
            .DataTime(at).Value(code, "Rtd", value).Value(code, "Flag", "N").Build().ToString();

    [Fact]
    public async Task AFanStoppedWhileTheBoilerRuns_IsOneTreatmentOff_AndTheEpisodesSayWhatTheValuesSay()
    {
        string registry = Path.Combine(Some.TempDirectory(), "stations.json");
        await File.WriteAllTextAsync(registry, Registry);
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Api:Users:0:Token"] = "operator-token-1", ["Api:Users:0:Role"] = "operator", ["Facilities:MinMinutes"] = "3", ["Alerts:LiveWindow"] = "02:00:00",
            ["Facilities:MarksEvery"] = "00:00:00.5", ["Alerts:SilentAfter"] = "00:00:08", // the desk ticks every 2 s
        }, registryPath: registry);
        var alerts = service.App.Services.GetRequiredService<AlertService>();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime;
        var t0 = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0).AddMinutes(-10);

        // The boiler runs (80 A) every minute from t0 to t0+9 over TCP; the fan runs (12 A) for three minutes, then stops (0.4 A) over MQTT.
        // Its declared production state (ST=45) says stopped (0) at t0+5: declared state and power disagree.
        await GatewayClient.SendAcknowledgedAsync(service.GatewayPort, Enumerable.Range(0, 10).Select(m => Frame(t0.AddMinutes(m), "d20105", 80m))
            .Append(Frame(t0.AddMinutes(5), "p99101", 0m, st: "45")));
        using var mqtt = new MqttClientFactory().CreateMqttClient();
        await mqtt.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", service.MqttPort).WithCredentials("QHXN0010001", "123456")
            .WithClientId("fan-" + Guid.NewGuid().ToString("N")[..8]).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build());
        async Task FanAsync(int minute, decimal amps) => await mqtt.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("emission/QHXN0010001/up")
            .WithPayload(Frame(t0.AddMinutes(minute), "d30106", amps)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        for (int m = 0; m < 10; m++)
        {
            await FanAsync(m, m < 3 ? 12m : 0.4m);
        }

        await Waiting.UntilAsync(() => alerts.List(null).Any(a => a.Kind == "treatment-off" && a.IsOpen), 20_000);
        var alert = Assert.Single(alerts.List(null), a => a.Kind == "treatment-off");
        Assert.Equal(("critical", "fan", "d30106", 0.4, new DateTimeOffset(t0.AddMinutes(3), TimeSpan.FromHours(8))),
            (alert.Severity, alert.SubKind, alert.Pollutant, alert.Value, alert.DataFrom));
        Assert.Equal(("脱硫引风机", "1号锅炉"), (alert.Params!["treatment"], alert.Params["production"]));

        // The fan runs again: cleared.
        await FanAsync(10, 11m);
        await Waiting.UntilAsync(() => alerts.List(null).Single(a => a.Kind == "treatment-off").State == Alert.Cleared, 20_000);
        await mqtt.DisconnectAsync();

        // The episodes: the boiler runs from t0 to its last value + 15 min and declares itself stopped 5–20; the fan runs 0–3, is stopped 3–10, runs from 10.
        using var op = ApiCalls.Client(service.HttpBase, "operator-token-1");
        string from = t0.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture), to = t0.AddMinutes(30).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
        var episodes = JsonDocument.Parse(await op.GetStringAsync(new Uri($"/api/facilities/episodes?from={from}&to={to}", UriKind.Relative))).RootElement.EnumerateArray()
            .Select(e => $"{e.GetProperty("facility").GetString()} {e.GetProperty("source").GetString()} {e.GetProperty("state").GetString()} {e.GetProperty("minutes").GetDouble()}").ToList();
        Assert.Equal(["boiler power running 24", "boiler power unknown 6", "boiler declared unknown 5", "boiler declared stopped 15", "boiler declared unknown 10",
            "fan power running 3", "fan power stopped 7", "fan power running 15", "fan power unknown 5"], episodes);

        var finding = JsonDocument.Parse(await op.GetStringAsync(new Uri($"/api/facilities/findings?from={from}&to={to}", UriKind.Relative))).RootElement.EnumerateArray().Single();
        Assert.Equal(("treatment-off", "fan", "boiler", 7.0, 0.4, 80.0), (finding.GetProperty("finding").GetString(), finding.GetProperty("facility").GetString(),
            finding.GetProperty("other").GetString(), finding.GetProperty("minutes").GetDouble(), finding.GetProperty("facilityMin").GetDouble(), finding.GetProperty("otherMax").GetDouble()));

        // A shutdown claimed over minutes 1–8 while the boiler ran: contradicted, naming the mark.
        var (filed, mark) = await ApiCalls.PostAsync(op, "/api/marks", new
        {
            mn = "QHXN0010001", kind = "shutdown", from = t0.AddMinutes(1).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture),
            to = t0.AddMinutes(8).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture), comment = "停产检修",
        });
        Assert.Equal(HttpStatusCode.Created, filed);
        var contradicted = JsonDocument.Parse(await op.GetStringAsync(new Uri($"/api/facilities/findings?from={from}&to={to}", UriKind.Relative))).RootElement.EnumerateArray()
            .Single(f => f.GetProperty("finding").GetString() == "shutdown-contradicted");
        Assert.Equal(("boiler", 7.0, mark.GetProperty("id").GetString()), (contradicted.GetProperty("facility").GetString(), contradicted.GetProperty("minutes").GetDouble(),
            contradicted.GetProperty("markId").GetString()));

        // A shutdown claimed from t0 on, while the boiler still runs: a live warning naming the boiler.
        var (claimed, _) = await ApiCalls.PostAsync(op, "/api/marks", new
        {
            mn = "QHXN0010001", kind = "shutdown", from = t0.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture),
            to = t0.AddHours(2).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture), comment = "全厂停产",
        });
        Assert.Equal(HttpStatusCode.Created, claimed);
        await Waiting.UntilAsync(() => alerts.List(null).Any(a => a.Kind == "shutdown-contradicted" && a.IsOpen), 20_000); // on the desk's tick
        var warning = alerts.List(null).Single(a => a.Kind == "shutdown-contradicted");
        Assert.Equal(("warning", "boiler", "1号锅炉"), (warning.Severity, warning.SubKind, warning.Params!["production"]));

        // The terminal's hourly record of this hour says the outlet stopped (flag F) while the boiler ran: contradicted by the data too
        // (this hour shares at least ten minutes with the boiler's run from t0 to t0+24).
        var hour = t0.AddMinutes(10).Date.AddHours(t0.AddMinutes(10).Hour);
        await GatewayClient.SendAcknowledgedAsync(service.GatewayPort, [Some.Hourly(at: hour, flag: 5).Value("a21026", "Avg", 1m).Value("a21026", "Flag", "F").Build().ToString()]);
        var byFlags = JsonDocument.Parse(await op.GetStringAsync(new Uri($"/api/facilities/findings?from={from}&to={to}", UriKind.Relative))).RootElement.EnumerateArray()
            .Single(f => f.GetProperty("flaggedMn").ValueKind == JsonValueKind.String);
        var running = (Start: t0, End: t0.AddMinutes(24));
        double expected = ((running.End < hour.AddHours(1) ? running.End : hour.AddHours(1)) - (running.Start > hour ? running.Start : hour)).TotalMinutes;
        Assert.Equal(("shutdown-contradicted", "boiler", "QHXN0010001", expected), (byFlags.GetProperty("finding").GetString(), byFlags.GetProperty("facility").GetString(),
            byFlags.GetProperty("flaggedMn").GetString(), byFlags.GetProperty("minutes").GetDouble()));

        // The registry's facilities are shown with the stations; a bad period names its parameter.
        var stations = JsonDocument.Parse(await op.GetStringAsync(new Uri("/api/stations", UriKind.Relative))).RootElement;
        Assert.Equal(["boiler", "fan"], stations[0].GetProperty("facilities").EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        var bad = await op.GetAsync(new Uri("/api/facilities/episodes?from=yesterday", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("from", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
