using System.Net.Sockets;
using System.Text;
using EmissionMonitor.Alerts;
using EmissionMonitor.Hj212.Encoders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EmissionMonitor.IntegrationTests.Notify;

/// <summary>
/// Notifications as a duty mailbox lives with them, on a fake clock: a flapping terminal gives one
/// warning and one hourly digest line with its count; critical alerts go at once until the contact's
/// hourly budget is spent, then one message says how many were held back; every message links to
/// the dashboard.
/// </summary>
public sealed class NotificationPolicyTests
{
    [Fact]
    public async Task AFlappingTerminal_GivesOneWarningAndOneHourlyDigest_AndTheHourlyBudgetHoldsBackTheRest()
    {
        int smtpPort = LoopbackPorts.Free();
        using var mail = new NotificationTests.MailServer(smtpPort, Path.Combine(Some.TempDirectory(), "maildir"));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Alerts:LiveWindow"] = "02:00:00", ["Alerts:WarningMinCount"] = "3", ["Alerts:ReopenQuiet"] = "00:30:00", ["Alerts:SilentAfter"] = "30.00:00:00",
            ["Notify:Smtp:Host"] = "127.0.0.1", ["Notify:Smtp:Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Notify:Smtp:From"] = "monitor@bureau.example",
            ["Notify:DigestWindow"] = "00:00:02", ["Notify:MaxPerHour"] = "2", ["Notify:PublicUrl"] = "https://monitor.example.gov.cn/em/",
            ["Notify:Contacts:0:Name"] = "张科长", ["Notify:Contacts:0:Email"] = "zhang@bureau.example", ["Notify:Contacts:0:MinSeverity"] = "warning",
        }, services: s => s.AddSingleton<TimeProvider>(clock));
        var alerts = service.App.Services.GetRequiredService<AlertService>();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

        // Five times three minutes above the limit and three within it, a minute apart.
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
            for (int i = 0; i < 30; i++)
            {
                clock.Advance(TimeSpan.FromMinutes(1));
                var at = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime;
                decimal so2 = i % 6 < 3 ? 60m + i : 10m;
                var frame = new Hj212Builder { Qn = at.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture), St = "31", Cn = "2011", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
                    .DataTime(at).Value("a21026", "Rtd", so2).Value("a21026", "Flag", "N");
                await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(frame.Build().ToString()));
                await Waiting.UntilAsync(async () => (await service.CountsAsync()).Readings >= i + 1 && alerts.Backlog == 0, TimeSpan.FromSeconds(10), "frame evaluated");
                await Task.Delay(50);
            }
        }

        var warnings = alerts.List(null).Where(a => a.Kind == "warning").ToList();
        var warning = Assert.Single(warnings); // one alert, reopened each time
        Assert.Equal(5, warning.History.Count(h => h.Action is "raise" or "reopen"));
        await Task.Delay(1000);
        Assert.Empty(mail.Messages()); // warnings wait for the hourly digest

        clock.Advance(TimeSpan.FromMinutes(61));
        var second = TimeSpan.FromSeconds(1);
        await Waiting.NudgingAsync(clock, () => mail.Messages().Count == 1, second, 20_000);
        var digest = mail.Messages()[0];
        Assert.StartsWith("【污染源自动监控】5 条报警", digest.Subject, StringComparison.Ordinal);
        string text = digest.TextBody ?? string.Empty;
        Assert.Single(text.Split('\n'), l => l.Contains("二氧化硫（a21026）", StringComparison.Ordinal)); // one line for the outlet and pollutant
        Assert.Contains("共 5 次", text, StringComparison.Ordinal);
        Assert.Contains("数值 86，限值 35（共 5 次，取最大值）", text, StringComparison.Ordinal); // the worst of the values that opened it: the third of the last run, 60 + 26
        Assert.Contains("https://monitor.example.gov.cn/em/#/alerts?state=open", text, StringComparison.Ordinal);

        // Critical alerts go within the short window — until the contact's two messages of the hour are spent.
        var registry = service.App.Services.GetRequiredService<Func<EmissionMonitor.Registry.StationRegistry>>()();
        var outlet = registry.FindOutlet("QHXN0010001")!;
        async Task RaiseAsync(string pollutant) => Assert.NotNull(await alerts.RaiseAsync(
            AlertDraft.For(AlertKinds.Exceedance, outlet, registry.FindEnterprise(outlet.EnterpriseId), pollutant, 99, 35, clock.GetUtcNow(), "exceedance"), CancellationToken.None));
        await RaiseAsync("a21002");
        await Waiting.NudgingAsync(clock, () => mail.Messages().Count == 2, second, 20_000);
        await RaiseAsync("a34013");
        clock.Advance(TimeSpan.FromSeconds(3));
        await RaiseAsync("a21005");
        for (int i = 0; i < 30; i++)
        {
            clock.Advance(second); // well past their window, well within the hour
            await Task.Delay(50);
        }

        Assert.Equal(2, mail.Messages().Count); // held back: the budget is two an hour

        clock.Advance(TimeSpan.FromHours(1));
        await Waiting.NudgingAsync(clock, () => mail.Messages().Count == 3, second, 20_000);
        string held = mail.Messages().OrderBy(m => m.Date).Last().TextBody ?? string.Empty;
        Assert.Contains("已达每小时 2 条消息的上限，其间的 2 条报警", held, StringComparison.Ordinal);
        Assert.Contains("a34013", held, StringComparison.Ordinal);
        Assert.Contains("a21005", held, StringComparison.Ordinal);
    }
}
