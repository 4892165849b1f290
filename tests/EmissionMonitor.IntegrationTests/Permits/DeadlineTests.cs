using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EmissionMonitor.IntegrationTests.Permits;

/// <summary>
/// The execution reports' calendar and reminders with real parts: the service's clock on 10 October
/// 2025, five days before the third quarter's report is due; the enterprise's contact gets one mail
/// from Debian's aiosmtpd; generating the report turns it <c>generated</c>; past its due day the
/// other enterprise's is <c>overdue</c>.
/// </summary>
public sealed class DeadlineTests
{
    [Fact]
    public async Task AReportComingDue_IsRemindedOnce_ThenGenerated_OrOverdue()
    {
        int smtpPort = LoopbackPorts.Free();
        using var mail = new Notify.NotificationTests.MailServer(smtpPort, Path.Combine(Some.TempDirectory(), "maildir"));
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 10, 10, 9, 0, 0, TimeSpan.FromHours(8)));
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Api:Users:0:Token"] = "operator-token-1", ["Api:Users:0:Role"] = "operator",
            ["Api:Users:1:Token"] = "enterprise-token-1", ["Api:Users:1:Role"] = "enterprise", ["Api:Users:1:Enterprise"] = "QH-XN-001",
            ["Permits:ReportKinds:QH-XN-002"] = null, ["Permits:ReportKinds:QH-XN-002:0"] = "monthly", ["Permits:ReportKinds:QH-XN-002:1"] = "quarterly",
            ["Permits:CheckInterval"] = "00:00:01",
            ["Notify:Smtp:Host"] = "127.0.0.1", ["Notify:Smtp:Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Notify:Smtp:From"] = "monitor@bureau.example",
            ["Notify:DigestWindow"] = "00:00:02",
            ["Notify:Contacts:0:Name"] = "热电厂环保专员", ["Notify:Contacts:0:Email"] = "env@power.example", ["Notify:Contacts:0:Enterprises:0"] = "QH-XN-001",
        }, services: s => s.AddSingleton<TimeProvider>(clock));
        using var op = ApiCalls.Client(service.HttpBase, "operator-token-1");
        using var mine = ApiCalls.Client(service.HttpBase, "enterprise-token-1");
        async Task<List<JsonElement>> RowsAsync(HttpClient http, string query) =>
            [.. JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/permits/deadlines?" + query, UriKind.Relative))).RootElement.EnumerateArray()];

        // The contact of the first enterprise hears of its quarterly report, once; the water works' own reminders are recorded too (no contact of its own here).
        await Waiting.NudgingAsync(clock, () => mail.Messages().Count == 1, TimeSpan.FromSeconds(1), 20_000);
        var message = mail.Messages().Single();
        Assert.Equal("env@power.example", message.To.Mailboxes.Single().Address);
        Assert.Contains("排污许可季度执行报告（2025Q3）应于 2025-10-15 前提交", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("西宁某热电有限公司", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("MN", message.TextBody, StringComparison.Ordinal);

        var rows = await RowsAsync(op, "from=2025-10-01&to=2025-11-01");
        string Key(JsonElement r) => $"{r.GetProperty("enterprise").GetString()} {r.GetProperty("reportKind").GetString()} {r.GetProperty("reportPeriod").GetString()} {r.GetProperty("due").GetString()} {r.GetProperty("state").GetString()}";
        Assert.Equal(["QH-XN-001 quarterly 2025Q3 2025-10-15 upcoming", "QH-XN-002 monthly 2025-09 2025-10-15 upcoming", "QH-XN-002 quarterly 2025Q3 2025-10-15 upcoming"],
            rows.Select(Key));
        Assert.All(rows, r => Assert.Equal(JsonValueKind.String, r.GetProperty("remindedAt").ValueKind));

        // A day on: nothing more is sent.
        clock.Advance(TimeSpan.FromDays(1));
        await Task.Delay(1500);
        Assert.Single(mail.Messages());

        // The enterprise generates its report: generated, once, by whom; it sees only its own rows.
        var document = await mine.GetAsync(new Uri("/api/documents/execution?quarter=2025Q3", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        await document.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await mine.GetAsync(new Uri("/api/permits/deadlines?enterprise=QH-XN-002", UriKind.Relative))).StatusCode);
        var own = await RowsAsync(mine, "from=2025-10-01&to=2025-11-01");
        var q3 = Assert.Single(own);
        Assert.Equal(("QH-XN-001", "generated", 1), (q3.GetProperty("enterprise").GetString(), q3.GetProperty("state").GetString(), q3.GetProperty("generations").GetInt32()));
        Assert.False(string.IsNullOrEmpty(q3.GetProperty("lastGeneratedBy").GetString()));

        // Past the due day the water works' reports are overdue; the calendar of the year lists the annual report due next January.
        clock.Advance(TimeSpan.FromDays(5));
        Assert.Equal(["QH-XN-002 monthly 2025-09 2025-10-15 overdue", "QH-XN-002 quarterly 2025Q3 2025-10-15 overdue"],
            (await RowsAsync(op, "from=2025-10-01&to=2025-11-01&state=overdue")).Select(Key));
        Assert.Contains("QH-XN-001 annual 2025 2026-01-15 upcoming", (await RowsAsync(op, "year=2026")).Select(Key));
        foreach (var (query, parameter) in new[] { ("state=late", "state"), ("year=20x5", "year"), ("year=2025&from=2025-01-01", "year"), ("from=2025-13-01", "from"), ("enterprise=NOPE", "enterprise") })
        {
            var bad = await op.GetAsync(new Uri("/api/permits/deadlines?" + query, UriKind.Relative));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains(parameter, await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The command line reads the same calendar.
        string config = Path.Combine(Path.GetDirectoryName(service.DataDirectory)!, "config");
        var cli = await CliRunner.RunAsync(["report", "deadlines", "--from", "2025-10-01", "--to", "2025-11-01", "--enterprise", "QH-XN-001", "--format", "json", "--config", config,
            "--data", service.DataDirectory]);
        Assert.True(cli.ExitCode == 0, cli.StdErr);
        Assert.Equal("generated", JsonDocument.Parse(cli.StdOut).RootElement.EnumerateArray().Single().GetProperty("state").GetString());
    }
}
