using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EmissionMonitor.Alerts;
using Microsoft.Extensions.DependencyInjection;

namespace EmissionMonitor.IntegrationTests.Alerts;

/// <summary>Alerts are about now: a terminal back-filling a week raises one back-fill summary, not a replay of the week.</summary>
public sealed class BackfillAlertTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task AWeekBackFilledWithExceedances_RaisesOneBackfillAlert_NoExceedanceOrClockDrift_AndTheReportsStillListEveryEpisode()
    {
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Alerts:LiveWindow"] = "02:00:00", ["Alerts:BackfillQuiet"] = "00:00:03", ["Alerts:SilentAfter"] = "00:00:08", ["Alerts:LowRateAt"] = "00:00:00",
        });
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime;
        var first = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0).AddDays(-7);
        var frames = new StringBuilder();
        var late = new StringBuilder(); // yesterday from 06:00 on: it arrives after yesterday was judged
        int hours = 0, episodes = 0;
        // Up to two hours ago (older than the live window); the hour after it comes live at the end, so yesterday is whole at any time of day.
        for (var t = first; t < first.AddDays(7).AddHours(-1); t = t.AddHours(1), hours++)
        {
            // One three-hour episode a day, 10:00–13:00 by the clock: never cut by midnight or by the late part's 06:00
            // (an episode split between two back-fills is one in each of them), only by the week's first hour.
            bool exceeds = t.Hour is 10 or 11 or 12;
            episodes += exceeds && (t.Hour == 10 || t == first) ? 1 : 0;
            // As a 2017 terminal back-fills: the QN is the data time (it is not the terminal's clock).
            (t.Date == now.Date.AddDays(-1) && t.Hour >= 6 ? late : frames).Append(new EmissionMonitor.Hj212.Encoders.Hj212Builder { Qn = t.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "000", St = "31", Cn = "2061", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
                .DataTime(t).Value("a21026", "ZsAvg", exceeds ? 80m : 20m).Value("a21026", "Flag", "N").Value("a21002", "ZsAvg", 20m).Value("a21002", "Flag", "N")
                .Value("a34013", "ZsAvg", 5m).Value("a34013", "Flag", "N").Build().ToString());
        }

        var alerts = service.App.Services.GetRequiredService<AlertService>();
        using (var tcp = new System.Net.Sockets.TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
            await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(frames.ToString()));
            // Yesterday is judged incomplete (at start, or with the part that came).
            await Waiting.UntilAsync(() => alerts.List(null).Any(a => a.Kind == "low-rate" && a.Mn == "QHXN0010001" && a.IsOpen), 30_000);
            await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(late.ToString()));
            await Waiting.UntilAsync(async () => (await service.CountsAsync()).Readings >= 3 * hours, TimeSpan.FromSeconds(30), "the week stored");
        }

        await Waiting.UntilAsync(() => alerts.Backlog == 0 && alerts.List(null).Any(a => a.Kind == "backfill"), 20_000);
        await Waiting.UntilAsync(() => alerts.List(null).Where(a => a.Kind == "backfill").All(a => a.State == Alert.Cleared), 20_000); // quiet for Alerts:BackfillQuiet
        var all = alerts.List(null).Where(a => a.Mn == "QHXN0010001").ToList();
        output.WriteLine(string.Join("\n", all.Select(a => $"{a.Kind} {a.State} {a.Message}")));
        // One summary per back-fill: the week, and yesterday's later hours that came after yesterday was judged.
        var backfills = all.Where(a => a.Kind == "backfill").ToList();
        Assert.InRange(backfills.Count, 1, 2);
        int Sum(string key) => backfills.Sum(a => int.Parse(a.Params![key]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((hours, episodes), (Sum("periods"), Sum("episodes")));
        var backfill = backfills.MinBy(a => a.RaisedAt)!;
        Assert.Equal(new DateTimeOffset(first, TimeSpan.FromHours(8)), backfill.DataFrom); // the data's time, beside when it was raised
        Assert.Equal("info", backfill.Severity);
        Assert.DoesNotContain(all, a => a.Kind is "exceedance" or "clock-drift" or "warning");

        // Every figure still counts the week: the exceedance report lists each day's episode.
        using var http = new HttpClient { BaseAddress = service.HttpBase };
        var listed = JsonDocument.Parse(await http.GetStringAsync($"/api/exceedances?from={first:yyyy-MM-dd}&to={now.AddDays(1):yyyy-MM-dd}&mn=QHXN0010001")).RootElement;
        Assert.Equal(episodes, listed.GetArrayLength());

        // Data about now still raises its alert at once.
        var hour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0).AddHours(-1);
        using (var tcp = new System.Net.Sockets.TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
            await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(Some.Hourly(at: hour).Value("a21026", "ZsAvg", 90m).Value("a21026", "Flag", "N")
                .Value("a21002", "ZsAvg", 20m).Value("a21002", "Flag", "N").Value("a34013", "ZsAvg", 5m).Value("a34013", "Flag", "N").Build().ToString()));
            await Waiting.UntilAsync(() => alerts.List(null).Any(a => a.Kind == "exceedance" && a.Mn == "QHXN0010001"), 20_000);
        }

        // Yesterday is judged again as its late hours arrive: complete now, so its low-rate clears.
        await Waiting.UntilAsync(() => !alerts.List(null).Any(a => a.Kind == "low-rate" && a.Mn == "QHXN0010001" && a.IsOpen), 60_000);
    }
}
