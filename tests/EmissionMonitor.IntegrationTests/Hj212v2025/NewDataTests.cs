using System.Net.Sockets;
using System.Text.Json;
using EmissionMonitor.Alerts;
using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace EmissionMonitor.IntegrationTests.Hj212v2025;

/// <summary>HJ 212-2025 data beyond the pollutant records: heartbeats, standard-sample checks, ST 44/45 real-time data.</summary>
public sealed class NewDataTests
{
    private static string Now17(int addSeconds = 0) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddSeconds(addSeconds), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task SendAsync(ServiceFixture service, params Hj212Packet[] packets)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
        var stream = tcp.GetStream();
        foreach (var p in packets)
        {
            await stream.WriteAsync(Hj212Encoder.Encode(p));
        }

        await stream.FlushAsync();
        await Task.Delay(300);
    }

    private static Task<ServiceFixture> StartAsync() => ServiceFixture.StartAsync(new Dictionary<string, string?>
    {
        ["Gateway:Port"] = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Intake:MaxAge"] = "3650.00:00:00",
    });

    [Fact]
    public async Task AHeartbeat_KeepsTheOutletOnline()
    {
        await using var service = await StartAsync();
        var alerts = service.App.Services.GetRequiredService<AlertService>();
        var before = alerts.LastSeen("QHXN0010001");
        await Task.Delay(50);
        await SendAsync(service, new Hj212Builder { Qn = Now17(), St = "31", Cn = "9015", Pw = "123456", Mn = "QHXN0010001", Flag = 8 }.Build());
        await Waiting.UntilAsync(() => alerts.LastSeen("QHXN0010001") > before, 10_000); // only an accepted live frame moves it
        Assert.DoesNotContain(alerts.List(null).Where(a => a.IsOpen), a => a.Kind == "silent" && a.Mn == "QHXN0010001");
    }

    [Fact]
    public async Task AFailedStandardSampleCheck_RaisesCheckFailed_AndAPassingOneClearsIt()
    {
        await using var service = await StartAsync();
        Hj212Packet Check(int result, string qn) => new Hj212Builder { Qn = qn, St = "31", Cn = "2062", Pw = "123456", Mn = "QHXN0010001", Flag = 8 }
            .DataTime(new DateTime(2026, 1, 5, 10, 0, 0)).Value("a21026", "SampleRd", 41.2m).Value("a21026", "StandardValue", 50m).Value("a21026", "ResultType", result).Build();
        await SendAsync(service, Check(0, "20260105100000001"));
        var alerts = service.App.Services.GetRequiredService<AlertService>();
        await Waiting.UntilAsync(() => alerts.List(null).Where(a => a.IsOpen).Any(a => a.Kind == "check-failed"), 10_000);
        var failed = alerts.List(null).Where(a => a.IsOpen).Single(a => a.Kind == "check-failed");
        Assert.Equal("a21026", failed.Pollutant);
        Assert.Equal("warning", failed.Severity);
        await SendAsync(service, Check(1, "20260105110000001"));
        await Waiting.UntilAsync(() => !alerts.List(null).Where(a => a.IsOpen).Any(a => a.Kind == "check-failed"), 10_000);
    }

    [Fact]
    public async Task ElectricityAndProductionConditionData_UnderCn2011_AreStoredAsReadings()
    {
        await using var service = await StartAsync();
        var at = DateTime.ParseExact(Now17()[..14], "yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var electricity = new Hj212Builder { Qn = Now17(), St = "44", Cn = "2011", Pw = "123456", Mn = "QHXN0010001", Flag = 8 }
            .DataTime(at).Value("d20105", "Rtd", 3.2m).Value("d20105", "Flag", "N").Build();
        var production = new Hj212Builder { Qn = Now17(1), St = "45", Cn = "2011", Pw = "123456", Mn = "QHXN0010001", Flag = 8 }
            .DataTime(at.AddSeconds(1)).Value("p99101", "Rtd", 1.0m).Build();
        await SendAsync(service, electricity, production);
        var store = service.App.Services.GetRequiredService<IReadingStore>();
        IReadOnlyList<EmissionMonitor.Intake.Reading> readings = [];
        await Waiting.UntilAsync(async () => (readings = await store.QueryReadingsAsync(new ReadingQuery("2011", at.AddMinutes(-1), at.AddMinutes(1), "QHXN0010001"), CancellationToken.None)).Count >= 2,
            TimeSpan.FromSeconds(10), "both real-time records stored");
        Assert.Equal(3.2, readings.Single(r => r.Pollutant == "d20105").Rtd);
        Assert.Equal(1.0, readings.Single(r => r.Pollutant == "p99101").Rtd);
    }
}
