using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using EmissionMonitor.IntegrationTests.Ingestion;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

namespace EmissionMonitor.IntegrationTests.Alerts;

public sealed class AlertTopicTests
{
    [Fact]
    public async Task RealTimeWarningChurn_StaysOutOfWarn_AndIsSummedUpPeriodically()
    {
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?> { ["Alerts:LogSummaryInterval"] = "00:00:01", ["Alerts:SilentAfter"] = "00:00:02" });
        using var terminal = new MqttClientFactory().CreateMqttClient();
        await terminal.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", service.MqttPort).WithCredentials("QHXN0010001", "123456").Build());
        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone()).DateTime;
        for (int i = 0; i < 10; i++)
        {
            var frame = new EmissionMonitor.Hj212.Encoders.Hj212Builder { Qn = "1", St = "31", Cn = "2011", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
                .DataTime(now.AddSeconds(-60 + i)).Value("a21026", "Rtd", i % 2 == 0 ? 80m : 20m).Value("a21026", "Flag", "N").Build().ToString();
            await terminal.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("emission/QHXN0010001/up").WithPayload(frame)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        }

        // The summary lines (each interval's own counts) add up to the five raised and five cleared.
        (int Raised, int Cleared) Summed()
        {
            var counts = service.LogLines.Select(l => System.Text.RegularExpressions.Regex.Match(l.Text, @"^Real-time warnings: (\d+) raised and (\d+) cleared")).Where(m => m.Success).ToList();
            return (counts.Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)),
                counts.Sum(m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)));
        }

        for (var until = DateTime.UtcNow.AddSeconds(15); Summed() != (5, 5) && DateTime.UtcNow < until;)
        {
            await Task.Delay(100);
        }

        Assert.Equal((5, 5), Summed());
        // The log's structured values may come quoted: compare without the quotes.
        var lines = () => service.LogLines.Select(l => (l.Level, Text: l.Text.Replace("\"", string.Empty, StringComparison.Ordinal)));
        Assert.DoesNotContain(lines(), l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Warning && l.Text.StartsWith("Alert warning", StringComparison.Ordinal));
        Assert.DoesNotContain(lines(), l => l.Text.StartsWith("Real-time warning active", StringComparison.Ordinal)); // Debug, below what is recorded

        // A flapping condition: WARN once, then Debug, summed up.
        var alerts = service.App.Services.GetRequiredService<EmissionMonitor.Alerts.AlertService>();
        var outlet = service.App.Services.GetRequiredService<Func<EmissionMonitor.Registry.StationRegistry>>()().FindOutlet("QHXN0010001")!;
        for (int i = 0; i < 3; i++)
        {
            await alerts.SetConditionAsync(EmissionMonitor.Alerts.AlertKinds.ClockDrift, outlet, true, 900, 300, DateTimeOffset.UtcNow.AddMinutes(-10 + i), "drift", CancellationToken.None);
            await alerts.SetConditionAsync(EmissionMonitor.Alerts.AlertKinds.ClockDrift, outlet, false, null, null, DateTimeOffset.UtcNow, string.Empty, CancellationToken.None);
        }

        // Three raises: each WARN (the first of a summary interval) or counted in a summary line; fewer than three WARN.
        int Warned() => lines().Count(l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning && l.Text.StartsWith("Alert clock-drift active", StringComparison.Ordinal));
        int Summed2() => lines().Select(l => System.Text.RegularExpressions.Regex.Match(l.Text, @"^Alerts raised again within the last \d+ min \([^)]*\): (\d+) raised")).Where(m => m.Success)
            .Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        await Waiting.UntilAsync(() => Warned() + Summed2() == 3, 15_000);
        Assert.InRange(Warned(), 1, 2);

        // What needs a person still says WARN: an outlet gone silent.
        await Waiting.UntilAsync(() => lines().Any(l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning && l.Text.StartsWith("Alert silent active", StringComparison.Ordinal)), 15_000);
    }

    [Fact]
    public async Task RealTimeValueAboveTheLimit_RaisesAWarningOnTheAlertTopic_AndACompliantValueClearsIt()
    {
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:Username"] = "operators",
            ["Mqtt:Password"] = "op-secret",
        });
        var messages = new ConcurrentQueue<JsonElement>();
        using var op = new MqttClientFactory().CreateMqttClient();
        Assert.Equal(MqttClientConnectResultCode.Success, (await op.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", service.MqttPort)
            .WithCredentials("operators", "op-secret").WithClientId("op").Build())).ResultCode);
        op.ApplicationMessageReceivedAsync += e =>
        {
            var alert = JsonDocument.Parse(e.ApplicationMessage.Payload.ToArray()).RootElement.Clone();
            if (alert.GetProperty("kind").GetString() == "warning")
            {
                messages.Enqueue(alert); // other kinds (low-rate of yesterday) may arrive too
            }

            return Task.CompletedTask;
        };
        var sub = await op.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("emission/alerts/#", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, sub.Items.Single().ResultCode);

        using var terminal = new MqttClientFactory().CreateMqttClient();
        await terminal.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", service.MqttPort).WithCredentials("QHXN0010001", "123456").Build());
        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone()).DateTime;
        async Task SendRealTime(decimal so2, int second)
        {
            var frame = new EmissionMonitor.Hj212.Encoders.Hj212Builder { Qn = "1", St = "31", Cn = "2011", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
                .DataTime(now.AddSeconds(-60 + second)).Value("a21026", "Rtd", so2).Value("a21026", "Flag", "N").Build().ToString();
            Assert.True((await terminal.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("emission/QHXN0010001/up").WithPayload(frame)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build())).IsSuccess);
        }

        await SendRealTime(80.5m, 0);
        await SendRealTime(90m, 1); // still above: no second message
        await Waiting.UntilAsync(() => !messages.IsEmpty);
        var raised = messages.Single();
        Assert.Equal(("warning", "warning", "active"), (raised.GetProperty("kind").GetString(), raised.GetProperty("severity").GetString(), raised.GetProperty("state").GetString()));
        Assert.Equal(("QHXN0010001", "a21026", 80.5, 35.0), (raised.GetProperty("mn").GetString(), raised.GetProperty("pollutant").GetString(), raised.GetProperty("value").GetDouble(), raised.GetProperty("limit").GetDouble()));
        Assert.Equal("西宁市", raised.GetProperty("city").GetString());

        await SendRealTime(20m, 2);
        await Waiting.UntilAsync(() => messages.Count >= 2);
        var cleared = messages.Last();
        Assert.Equal((raised.GetProperty("id").GetString(), "cleared"), (cleared.GetProperty("id").GetString(), cleared.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task OutletWithoutFrames_RaisesSilent()
    {
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?> { ["Alerts:SilentAfter"] = "00:00:01" });
        var alerts = service.App.Services.GetRequiredService<EmissionMonitor.Alerts.AlertService>();
        await Waiting.UntilAsync(() => alerts.List("active").Count(a => a.Kind == "silent") == 2);
    }

    [Fact]
    public async Task EnterpriseMeetingACardConditionThisQuarter_RaisesACardAlert()
    {
        var zone = new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone();
        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime;
        var quarter = EmissionMonitor.Compliance.ReportPeriod.QuarterOf(now);
        var start = now.AddHours(-40) > quarter.From ? now.AddHours(-40) : quarter.From;
        // Cards are checked with the day's rates at Alerts:LowRateAt (02:00 by default): at midnight here, so the test does not depend on the time of day.
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?> { ["Alerts:SilentAfter"] = "00:00:01", ["Alerts:LowRateAt"] = "00:00:00" }, async (config, data) =>
        {
            var frames = new StringBuilder();
            for (var t = new DateTime(start.Year, start.Month, start.Day, start.Hour, 0, 0); t.AddHours(1) <= now; t = t.AddHours(1))
            {
                frames.Append(new EmissionMonitor.Hj212.Encoders.Hj212Builder { St = "31", Cn = "2061", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
                    .DataTime(t).Value("a21026", "ZsAvg", t.Hour % 2 == 0 ? 50m : 20m).Value("a21026", "Flag", "N").Build().ToString());
            }

            string file = Path.Combine(data + "-frames.h212");
            await File.WriteAllTextAsync(file, frames.ToString());
            var import = await CliRunner.RunAsync(["import", file, "--config", config, "--data", data]);
            Assert.True(import.ExitCode == 0, import.StdErr);
        });
        var alerts = service.App.Services.GetRequiredService<EmissionMonitor.Alerts.AlertService>();
        await Waiting.UntilAsync(() => alerts.List("active").Any(a => a.Kind == "card"));
        var card = alerts.List("active").Single(a => a.Kind == "card");
        Assert.Equal(("QHXN0010001", "QH-XN-001", "info"), (card.Mn, card.Enterprise, card.Severity));
        Assert.Contains("exceedance-rate:a21026:QHXN0010001:", card.Message, StringComparison.Ordinal);
    }
}
