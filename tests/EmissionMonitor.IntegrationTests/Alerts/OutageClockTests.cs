using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EmissionMonitor.Alerts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EmissionMonitor.IntegrationTests.Alerts;

/// <summary>
/// Outage clocks on a fake clock: two outlets go silent; one enterprise files a communication mark
/// in time and its data resumes, the other does nothing — it gets both overdue alerts and, with
/// Outage:AutoOrder, supervision orders; <c>report outages</c> lists both with their clocks.
/// </summary>
public sealed class OutageClockTests
{
    [Fact]
    public async Task AnOutageWithAMarkInTime_AndOneWithout_AreClockedAndReported()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Api:Users:0:Token"] = "operator-token-1", ["Api:Users:0:Role"] = "operator", ["Api:Users:0:Name"] = "值班员",
            ["Api:Users:1:Token"] = "enterprise-token-1", ["Api:Users:1:Role"] = "enterprise", ["Api:Users:1:Enterprise"] = "QH-XN-001",
            ["Alerts:SilentAfter"] = "01:00:00", ["Outage:CheckInterval"] = "00:00:00.1", ["Outage:AutoOrder"] = "true",
        }, services: s => s.AddSingleton<TimeProvider>(clock));
        var alerts = service.App.Services.GetRequiredService<AlertService>();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var start = clock.GetUtcNow(); // every outlet counts as seen when the service starts
        string Local(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);
        bool Open(string kind, string mn, string? sub = null) => alerts.List(null).Any(a => a.IsOpen && a.Kind == kind && a.Mn == mn && (sub is null || a.SubKind == sub));

        clock.Advance(TimeSpan.FromHours(2));
        var second = TimeSpan.FromSeconds(1);
        await Waiting.NudgingAsync(clock, () => Open("silent", "QHXN0010001") && Open("silent", "QHXN0020001"), second);

        // Three hours in, the first enterprise reports its outage (a communication mark over it).
        clock.Advance(TimeSpan.FromHours(1));
        using var enterprise = ApiCalls.Client(service.HttpBase, "enterprise-token-1");
        var (status, _) = await ApiCalls.PostAsync(enterprise, "/api/marks", new { mn = "QHXN0010001", kind = "communication", from = Local(start), to = Local(start.AddHours(24)), comment = "光纤中断" });
        Assert.Equal(HttpStatusCode.Created, status);

        // Past the report deadline (12 h): only the outlet without a mark is overdue, with an order made.
        clock.Advance(TimeSpan.FromHours(10));
        await Waiting.NudgingAsync(clock, () => Open("outage-overdue", "QHXN0020001", "report"), second);
        await Task.Delay(500); // several checks
        Assert.False(Open("outage-overdue", "QHXN0010001"));
        var overdue = alerts.List(null).Single(a => a.Kind == "outage-overdue" && a.SubKind == "report");
        await Waiting.NudgingAsync(clock, () => alerts.Find(overdue.Id)?.OrderId is not null, second);
        using var op = ApiCalls.Client(service.HttpBase, "operator-token-1");
        var order = await op.GetFromJsonAsync<JsonElement>($"/api/orders/{alerts.Find(overdue.Id)!.OrderId}");
        Assert.Equal((overdue.Id, "QHXN0020001"), (order.GetProperty("alertId").GetString(), order.GetProperty("mn").GetString()));

        // The first outlet's data resumes at 20 h: its episode closes.
        clock.Advance(TimeSpan.FromHours(7));
        var at = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime;
        using (var tcp = new System.Net.Sockets.TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
            var frame = new EmissionMonitor.Hj212.Encoders.Hj212Builder { Qn = at.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture), St = "31", Cn = "2011", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
                .DataTime(at).Value("a21026", "Rtd", 10m).Value("a21026", "Flag", "N");
            await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(frame.Build().ToString()));
            await Waiting.NudgingAsync(clock, () => !Open("silent", "QHXN0010001"), second);
        }

        // Past the restore deadline (48 h): the silent one is overdue again, the restored one is not.
        clock.Advance(TimeSpan.FromHours(29));
        await Waiting.NudgingAsync(clock, () => Open("outage-overdue", "QHXN0020001", "restore"), second);
        await Task.Delay(500);
        Assert.False(Open("outage-overdue", "QHXN0010001"));

        var store = service.App.Services.GetRequiredService<EmissionMonitor.Storage.IRecordStore>();
        var registry = service.App.Services.GetRequiredService<Func<EmissionMonitor.Registry.StationRegistry>>()();
        var period = new EmissionMonitor.Compliance.ReportPeriod(TimeZoneInfo.ConvertTime(start, zone).Date, TimeZoneInfo.ConvertTime(start, zone).Date.AddDays(3));
        var report = await Outages.ReportAsync(store, period, null, new OutageOptions(), registry, zone, clock.GetUtcNow(), CancellationToken.None);
        var rows = report.Rows.ToDictionary(r => (string)r[0]!, r => report.Columns.Zip(r).ToDictionary(p => p.First, p => p.Second));
        Assert.Equal(2, rows.Count);
        Assert.Equal((true, true, "closed"), (rows["QHXN0010001"]["reportedInTime"], rows["QHXN0010001"]["restoredInTime"], rows["QHXN0010001"]["state"]));
        Assert.Equal((false, false, "open"), (rows["QHXN0020001"]["reportedInTime"], rows["QHXN0020001"]["restoredInTime"], rows["QHXN0020001"]["state"]));
        Assert.NotNull(rows["QHXN0020001"]["orderId"]);
        Assert.Null(rows["QHXN0020001"]["markAt"]);
        Assert.InRange((double)rows["QHXN0010001"]["hoursDown"]!, 19.9, 20.2); // a few seconds more: the clock is nudged while waiting
    }
}
