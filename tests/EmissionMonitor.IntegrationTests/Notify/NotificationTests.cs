using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EmissionMonitor.Hj212.Encoders;

namespace EmissionMonitor.IntegrationTests.Notify;

/// <summary>
/// Notifications to the people responsible, with real parts: Debian's aiosmtpd as the mail server
/// (run with Debian's /usr/bin/python3), a local webhook receiver, an SMTP outage in the middle.
/// </summary>
public sealed class NotificationTests
{
    /// <summary>aiosmtpd on a loopback port, writing what it receives into a maildir.</summary>
    internal sealed class MailServer : IDisposable
    {
        private readonly Process _process;

        public MailServer(int port, string maildir)
        {
            Maildir = maildir;
            var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", maildir })
            {
                psi.ArgumentList.Add(a);
            }

            _process = Process.Start(psi)!;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                // A mail server that could not take its port (another process's now) says so, rather than the test waiting for mail that went elsewhere.
                if (_process.HasExited)
                {
                    Assert.Fail($"aiosmtpd exited at start-up on port {port}: {_process.StandardError.ReadToEnd()}");
                }

                try
                {
                    using var probe = new TcpClient();
                    probe.Connect(IPAddress.Loopback, port);
                    break;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(100);
                }
            }
        }

        public string Maildir { get; }

        /// <summary>Every message received, parsed.</summary>
        public List<MimeKit.MimeMessage> Messages() =>
            Directory.Exists(Path.Combine(Maildir, "new"))
                ? Directory.GetFiles(Path.Combine(Maildir, "new")).Select(f => MimeKit.MimeMessage.Load(f)).ToList()
                : [];

        public void Dispose()
        {
            try
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // it ended already
            }

            _process.Dispose();
        }
    }

    private static string Now17(int addSeconds = 0) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddSeconds(addSeconds), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task SendAsync(ServiceFixture service, params Hj212Builder[] frames)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
        foreach (var f in frames)
        {
            await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(f.Build().ToString()));
        }

        await Task.Delay(200);
    }

    private static Hj212Builder RealTime(string pollutant, decimal value, int second)
    {
        var at = DateTime.ParseExact(Now17(second)[..14], "yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        return new Hj212Builder { Qn = Now17(second), St = "31", Cn = "2011", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
            .DataTime(at).Value(pollutant, "Rtd", value).Value(pollutant, "Flag", "N");
    }

    private static Dictionary<string, string?> Settings(int smtpPort, string? webhook) => new()
    {
        ["Gateway:Port"] = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Api:Users:0:Token"] = "operator-token-1", ["Api:Users:0:Role"] = "operator",
        ["Notify:Smtp:Host"] = "127.0.0.1", ["Notify:Smtp:Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Notify:Smtp:From"] = "monitor@bureau.example", ["Notify:DigestWindow"] = "00:00:02", ["Notify:WarningDigest"] = "00:00:02", ["Notify:RetryInterval"] = "00:00:00.500",
        ["Notify:Contacts:0:Name"] = "张科长", ["Notify:Contacts:0:Email"] = "zhang@bureau.example", ["Notify:Contacts:0:Cities:0"] = "西宁市",
        ["Notify:Contacts:0:MinSeverity"] = "warning",
        ["Notify:Contacts:1:Name"] = "海东市值班", ["Notify:Contacts:1:Email"] = "haidong@bureau.example", ["Notify:Contacts:1:Cities:0"] = "海东市",
        ["Notify:Contacts:2:Name"] = "值班机器人", ["Notify:Contacts:2:Webhook"] = webhook, ["Notify:Contacts:2:Kinds:0"] = "exceedance",
        ["Notify:WebhookSecret"] = "s3cret-for-tests",
    };

    /// <summary>The contacts by mail only (the webhook contact left out).</summary>
    private static Dictionary<string, string?> MailOnlySettings(int smtpPort)
    {
        var settings = Settings(smtpPort, null);
        settings.Remove("Notify:Contacts:2:Name");
        settings.Remove("Notify:Contacts:2:Webhook");
        settings.Remove("Notify:Contacts:2:Kinds:0");
        return settings;
    }

    [Fact]
    public async Task AlertsWithinTheWindow_GoInOneChineseMessage_ToTheMatchingContacts_ByMailAndSignedWebhook()
    {
        int smtpPort = LoopbackPorts.Free(), hookPort = LoopbackPorts.Free();
        using var mail = new MailServer(smtpPort, Path.Combine(Some.TempDirectory(), "maildir"));
        using var hook = new HttpListener();
        hook.Prefixes.Add($"http://127.0.0.1:{hookPort}/hook/");
        hook.Start();
        var posts = new List<(string Body, string? Signature)>();
        var receiving = Task.Run(async () =>
        {
            while (hook.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await hook.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                string body = await reader.ReadToEndAsync();
                lock (posts)
                {
                    posts.Add((body, context.Request.Headers["X-EmissionMonitor-Signature"]));
                }

                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        await using (var service = await ServiceFixture.StartAsync(Settings(smtpPort, $"http://127.0.0.1:{hookPort}/hook/")))
        {
            // Two real-time warnings (SO2 above 35, NOx above 50) and an hourly exceedance, all within the window.
            var hour = DateTime.ParseExact(Now17()[..10], "yyyyMMddHH", System.Globalization.CultureInfo.InvariantCulture).AddHours(-1);
            await SendAsync(service, RealTime("a21026", 80.5m, 0), RealTime("a21002", 120m, 1),
                new Hj212Builder { Qn = Now17(2), St = "31", Cn = "2061", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
                    .DataTime(hour).Value("a21026", "ZsAvg", 99.5m).Value("a21026", "Flag", "N"));
            await Waiting.UntilAsync(() => mail.Messages().Count >= 1 && posts.Count >= 1, 20_000);
            await Task.Delay(2500); // a second message would come after the window

            var message = Assert.Single(mail.Messages());
            Assert.Equal("zhang@bureau.example", message.To.Mailboxes.Single().Address);
            Assert.StartsWith("【污染源自动监控】3 条报警", message.Subject, StringComparison.Ordinal);
            string text = message.TextBody ?? string.Empty;
            Assert.Contains("1号锅炉排口（MN QHXN0010001）", text, StringComparison.Ordinal);
            Assert.Contains("二氧化硫（a21026） 数值 80.5，限值 35", text, StringComparison.Ordinal);
            Assert.Contains("氮氧化物（a21002） 数值 120，限值 50", text, StringComparison.Ordinal);
            Assert.Contains("超标", text, StringComparison.Ordinal);

            var (body, signature) = Assert.Single(posts);
            string expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("s3cret-for-tests"), Encoding.UTF8.GetBytes(body)));
            Assert.Equal(expected, signature);
            var alerts = JsonDocument.Parse(body).RootElement.GetProperty("alerts");
            Assert.Equal(["exceedance"], alerts.EnumerateArray().Select(a => a.GetProperty("kind").GetString())); // its Kinds filter

            using var http = new HttpClient { BaseAddress = service.HttpBase };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "operator-token-1");
            var list = JsonDocument.Parse(await http.GetStringAsync("/api/notifications")).RootElement;
            Assert.Equal(2, list.GetArrayLength()); // the mail and the webhook; nothing for 海东市
            Assert.All(list.EnumerateArray(), n => Assert.Equal("sent", n.GetProperty("state").GetString()));
            Assert.DoesNotContain(list.EnumerateArray(), n => n.GetProperty("contact").GetString() == "海东市值班");
        }

        hook.Stop();
        await receiving;
    }

    [Fact]
    public async Task AMailServerOutage_LosesNothing_TheMessageIsDeliveredWhenItComesBack()
    {
        int smtpPort = LoopbackPorts.Free();
        var settings = Settings(smtpPort, null);
        settings.Remove("Notify:Contacts:2:Name");
        settings.Remove("Notify:Contacts:2:Webhook");
        settings.Remove("Notify:Contacts:2:Kinds:0");
        await using var service = await ServiceFixture.StartAsync(settings);
        await SendAsync(service, RealTime("a21026", 77m, 0));
        using var http = new HttpClient { BaseAddress = service.HttpBase };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "operator-token-1");
        JsonElement notification = default;
        await Waiting.UntilAsync(async () =>
        {
            var list = JsonDocument.Parse(await http.GetStringAsync("/api/notifications")).RootElement;
            notification = list.GetArrayLength() > 0 ? list[0].Clone() : default;
            return notification.ValueKind == JsonValueKind.Object && notification.GetProperty("attempts").GetInt32() >= 2;
        }, TimeSpan.FromSeconds(30), "delivery tried while the mail server is down");
        Assert.Equal("pending", notification.GetProperty("state").GetString());
        Assert.StartsWith("email:", notification.GetProperty("lastError").GetString(), StringComparison.Ordinal);

        using var mail = new MailServer(smtpPort, Path.Combine(Some.TempDirectory(), "maildir"));
        await Waiting.UntilAsync(() => mail.Messages().Count == 1, 30_000);
        Assert.Contains("数值 77", mail.Messages()[0].TextBody ?? string.Empty, StringComparison.Ordinal);
        await Waiting.UntilAsync(async () => JsonDocument.Parse(await http.GetStringAsync("/api/notifications")).RootElement[0].GetProperty("state").GetString() == "sent",
            TimeSpan.FromSeconds(10), "marked sent");
    }

    [Fact]
    public async Task ANewSupervisionOrder_IsToldToTheContactsOfItsCity()
    {
        int smtpPort = LoopbackPorts.Free();
        using var mail = new MailServer(smtpPort, Path.Combine(Some.TempDirectory(), "maildir"));
        var settings = MailOnlySettings(smtpPort);
        await using var service = await ServiceFixture.StartAsync(settings);
        using var http = new HttpClient { BaseAddress = service.HttpBase };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "operator-token-1");
        string deadline = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddDays(7), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var created = await http.PostAsync("/api/orders", new StringContent(JsonSerializer.Serialize(new { mn = "QHXN0010001", deadline, text = "请说明停运原因" }), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await Waiting.UntilAsync(() => mail.Messages().Count >= 1, 30_000);
        await Task.Delay(500); // a second message would be a defect: give it the time to show
        var message = Assert.Single(mail.Messages());
        Assert.Equal("zhang@bureau.example", message.To.Mailboxes.Single().Address);
        Assert.Contains("新督办", message.TextBody ?? string.Empty, StringComparison.Ordinal);
        Assert.Contains("1号锅炉排口（MN QHXN0010001）", message.TextBody ?? string.Empty, StringComparison.Ordinal);
        Assert.Contains("请说明停运原因", message.TextBody ?? string.Empty, StringComparison.Ordinal);
    }

    /// <summary>The settings with the thermal plant's enterprise user (enterprise-token-1, 热电厂环保专员).</summary>
    private static Dictionary<string, string?> WithEnterpriseUser(Dictionary<string, string?> settings)
    {
        settings["Api:Users:1:Token"] = "enterprise-token-1";
        settings["Api:Users:1:Role"] = "enterprise";
        settings["Api:Users:1:Enterprise"] = "QH-XN-001";
        settings["Api:Users:1:Name"] = "热电厂环保专员";
        return settings;
    }

    [Fact]
    public async Task AnEnterprisesMark_AwaitingReview_IsToldToTheContactsOfItsCity()
    {
        int smtpPort = LoopbackPorts.Free();
        using var mail = new MailServer(smtpPort, Path.Combine(Some.TempDirectory(), "maildir"));
        await using var service = await ServiceFixture.StartAsync(WithEnterpriseUser(MailOnlySettings(smtpPort)));
        using var http = ApiCalls.Client(service.HttpBase, "enterprise-token-1");
        var (status, _) = await ApiCalls.PostAsync(http, "/api/marks", new { mn = "QHXN0010001", kind = "fault", from = "2025-07-01T10:00", to = "2025-07-01T13:00" });
        Assert.Equal(HttpStatusCode.Created, status);
        await Waiting.UntilAsync(() => mail.Messages().Count >= 1, 30_000);
        await Task.Delay(500); // a second message would be a defect: give it the time to show
        var message = Assert.Single(mail.Messages());
        Assert.Equal("zhang@bureau.example", message.To.Mailboxes.Single().Address);
        Assert.Contains("数据标记", message.TextBody ?? string.Empty, StringComparison.Ordinal);
        Assert.Contains("故障 2025-07-01 10:00–2025-07-01 13:00，热电厂环保专员 申报，待审核", message.TextBody ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEnterprisesManualSample_AwaitingReview_IsToldToTheContacts()
    {
        int smtpPort = LoopbackPorts.Free();
        using var mail = new MailServer(smtpPort, Path.Combine(Some.TempDirectory(), "maildir"));
        await using var service = await ServiceFixture.StartAsync(WithEnterpriseUser(MailOnlySettings(smtpPort)));
        using var http = ApiCalls.Client(service.HttpBase, "enterprise-token-1");
        Assert.Equal(HttpStatusCode.Created, (await ApiCalls.PostAsync(http, "/api/marks", new { mn = "QHXN0010001", kind = "fault", from = "2025-07-01T10:00", to = "2025-07-01T13:00" })).Status);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("QHXN0010001"), "mn" }, { new StringContent("a21026"), "pollutant" }, { new StringContent("2025-07-01T10:20"), "sampledAt" },
            { new StringContent("42.5"), "value" }, { new StringContent("mg/m3"), "unit" },
        };
        var report = new ByteArrayContent("%PDF-1.4 检测报告"u8.ToArray());
        report.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(report, "report", "检测报告.pdf");
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("/api/manual-data", form)).StatusCode);
        await Waiting.UntilAsync(() => mail.Messages().Any(m => (m.TextBody ?? string.Empty).Contains("手工监测数据", StringComparison.Ordinal)), 20_000);
        Assert.Contains(mail.Messages(), m => (m.TextBody ?? string.Empty).Contains("手工监测数据 a21026 2025-07-01 10:20 42.5 mg/m3，热电厂环保专员 申报，待审核", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Notify:Contacts:0:Email", "zhang@bureau.example", "Notify:Contacts:0:Email needs Notify:Smtp:Host")]
    [InlineData("Notify:Contacts:0:Webhook", "http://127.0.0.1:1/hook", "Notify:Contacts:0:Webhook needs a Secret")]
    [InlineData("Notify:Contacts:0:Webhook", "ftp://example/hook", "Notify:Contacts:0:Webhook must be an http or https address")]
    public async Task ABadContact_StopsStartUp_NamingTheKey(string key, string value, string problem)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Notify:Contacts:0:Name"] = "张科长", [key] = value, ["Notify:WebhookSecret"] = key.EndsWith("Webhook", StringComparison.Ordinal) && value.StartsWith("ftp", StringComparison.Ordinal) ? "x" : null,
        }));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
