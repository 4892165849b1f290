using EmissionMonitor.Storage;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EmissionMonitor.IntegrationTests.Commands;
using Microsoft.Extensions.DependencyInjection;

namespace EmissionMonitor.IntegrationTests.Reliability;

/// <summary>
/// The second round of attacks on the HTTP side (issue "Hostile users and terminals, second round"):
/// each test reproduces one attack that worked before and checks it no longer does.
/// </summary>
public sealed class HostileSecondRoundTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Operator = "operator-token-1", Inspector = "inspector-token-1", Enterprise1 = "enterprise-token-1";

    private static Task<ServiceFixture> StartAsync(IDictionary<string, string?>? more = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Api:Users:0:Token"] = Operator, ["Api:Users:0:Role"] = "operator", ["Api:Users:0:Name"] = "王工",
            ["Api:Users:1:Token"] = Inspector, ["Api:Users:1:Role"] = "inspector",
            ["Api:Users:2:Token"] = Enterprise1, ["Api:Users:2:Role"] = "enterprise", ["Api:Users:2:Enterprise"] = "QH-XN-001",
        };
        foreach (var (k, v) in more ?? new Dictionary<string, string?>())
        {
            values[k] = v;
        }

        return ServiceFixture.StartAsync(values);
    }

    private static HttpClient Client(ServiceFixture service, string? token = null, CookieContainer? cookies = null)
    {
        var client = cookies is null
            ? new HttpClient { BaseAddress = service.HttpBase, Timeout = TimeSpan.FromSeconds(60) }
            : new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = service.HttpBase, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private static async Task<HttpStatusCode> GetAsync(HttpClient http, string path, string? forwardedFor = null, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task BehindATrustedProxy_UnknownTokensAreThrottledPerClient_AndAValidTokenIsNeverRefused()
    {
        await using var service = await StartAsync(new Dictionary<string, string?> { ["Http:TrustedProxies:0"] = "127.0.0.1" });
        using var anonymous = Client(service);
        using var valid = Client(service, Inspector);

        // Six wrong guesses from one client behind the proxy lock that client's unknown tokens out…
        for (int i = 0; i < 6; i++)
        {
            using var guess = new HttpRequestMessage(HttpMethod.Get, "/api/rates?quarter=2025Q3");
            guess.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "guess-" + i);
            guess.Headers.Add("X-Forwarded-For", "203.0.113.7");
            await anonymous.SendAsync(guess);
        }

        using (var seventh = new HttpRequestMessage(HttpMethod.Get, "/api/rates?quarter=2025Q3"))
        {
            seventh.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "guess-7");
            seventh.Headers.Add("X-Forwarded-For", "203.0.113.7");
            Assert.Equal((HttpStatusCode)429, (await anonymous.SendAsync(seventh)).StatusCode);
        }

        // …but neither a valid token from that client nor any other user through the same proxy is refused.
        Assert.Equal(HttpStatusCode.OK, await GetAsync(valid, "/api/rates?quarter=2025Q3", "203.0.113.7"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(valid, "/api/rates?quarter=2025Q3", "198.51.100.2"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(valid, "/api/rates?quarter=2025Q3"));

        // The original scheme reaches the cookie: behind a TLS proxy the session cookie is Secure.
        using var login = new HttpRequestMessage(HttpMethod.Post, "/api/session") { Content = JsonContent.Create(new { token = Operator }) };
        login.Headers.Add("X-Forwarded-For", "198.51.100.2");
        login.Headers.Add("X-Forwarded-Proto", "https");
        using var answer = await anonymous.SendAsync(login);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("secure", answer.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);
        output.WriteLine("behind the proxy: a client locked out by its guesses; valid tokens of it and of others accepted; Secure cookie over forwarded https");
    }

    [Fact]
    public async Task ForwardedHeadersFromAnUntrustedPeer_AreIgnored_SoAGuesserCannotChangeItsAddress()
    {
        await using var service = await StartAsync();
        using var anonymous = Client(service);
        for (int i = 0; i < 6; i++)
        {
            using var guess = new HttpRequestMessage(HttpMethod.Get, "/api/rates?quarter=2025Q3");
            guess.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "guess-" + i);
            guess.Headers.Add("X-Forwarded-For", $"203.0.113.{i + 1}"); // a new address each time: not believed
            await anonymous.SendAsync(guess);
        }

        using var next = new HttpRequestMessage(HttpMethod.Get, "/api/rates?quarter=2025Q3");
        next.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "guess-next");
        next.Headers.Add("X-Forwarded-For", "203.0.113.99");
        Assert.Equal((HttpStatusCode)429, (await anonymous.SendAsync(next)).StatusCode);

        // Without a trusted proxy, X-Forwarded-Proto does not make the cookie Secure over plain http either… nor break the login.
        using var login = new HttpRequestMessage(HttpMethod.Post, "/api/session") { Content = JsonContent.Create(new { token = Operator }) };
        login.Headers.Add("X-Forwarded-Proto", "https");
        using var answer = await anonymous.SendAsync(login);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.DoesNotContain("secure", answer.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task DnsRebinding_AForeignHostIsRefused_AndAnOriginNamingItsOwnHostIsNotEnough()
    {
        await using var service = await ServiceFixture.StartAsync(); // no users: loopback callers are operators — the rebinding target
        using var http = Client(service);
        int port = service.HttpBase.Port;
        Assert.Equal(HttpStatusCode.OK, await GetAsync(http, "/api/session"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(http, "/api/session", host: $"localhost:{port}"));
        Assert.Equal(HttpStatusCode.BadRequest, await GetAsync(http, "/api/session", host: $"rebind.evil.example:{port}"));

        // The attack as a browser makes it: Host and Origin both name the attacker's page.
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/marks")
        {
            Content = JsonContent.Create(new { mn = "QHXN0010001", kind = "maintenance", from = "2025-07-01", to = "2025-07-02", comment = "x" }),
        };
        create.Headers.Host = $"rebind.evil.example:{port}";
        create.Headers.Add("Origin", $"http://rebind.evil.example:{port}");
        Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(create)).StatusCode);
        Assert.Empty(await service.App.Services.GetRequiredService<EmissionMonitor.Marking.MarkService>().AllAsync(CancellationToken.None));

        // With Http:AllowedHosts naming the host, Origin is still checked against the allowed origins, not against Host.
        await using var named = await ServiceFixture.StartAsync(new Dictionary<string, string?> { ["Http:AllowedHosts:0"] = "127.0.0.1", ["Http:AllowedHosts:1"] = "monitor.example" });
        using var client = Client(named);
        using var foreignOrigin = new HttpRequestMessage(HttpMethod.Post, "/api/marks")
        {
            Content = JsonContent.Create(new { mn = "QHXN0010001", kind = "maintenance", from = "2025-07-01", to = "2025-07-02", comment = "x" }),
        };
        foreignOrigin.Headers.Host = $"127.0.0.1:{named.HttpBase.Port}";
        foreignOrigin.Headers.Add("Origin", $"http://evil.example:{named.HttpBase.Port}");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(foreignOrigin)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, "/api/session", host: "monitor.example"));
        Assert.Equal(HttpStatusCode.BadRequest, await GetAsync(client, "/api/session", host: $"localhost:{named.HttpBase.Port}"));
    }

    [Fact]
    public async Task Sessions_AreTheirOwnValue_EndAtLogoutOnTheServer_AndAuthenticatedAnswersAreNeverCached()
    {
        await using var service = await StartAsync();
        var cookies = new CookieContainer();
        using var browser = Client(service, cookies: cookies);
        using var login = await browser.PostAsJsonAsync("/api/session", new { token = Operator });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookie = cookies.GetCookies(service.HttpBase)["em_session"]!;
        Assert.NotEqual(Operator, cookie.Value);
        Assert.DoesNotContain(Operator, cookie.Value, StringComparison.Ordinal);
        Assert.True(cookie.Expires > DateTime.Now.AddHours(11) && cookie.Expires < DateTime.Now.AddHours(13), $"expires {cookie.Expires}");

        using (var rates = await browser.GetAsync("/api/rates?quarter=2025Q3"))
        {
            Assert.Equal(HttpStatusCode.OK, rates.StatusCode);
            Assert.Contains("no-store", rates.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);
        }

        // Logout revokes the session itself: a copy of the cookie kept elsewhere no longer works.
        string stolen = cookie.Value;
        using (var logout = new HttpRequestMessage(HttpMethod.Delete, "/api/session"))
        {
            logout.Headers.Add("Origin", service.HttpBase.GetLeftPart(UriPartial.Authority));
            Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(logout)).StatusCode);
        }

        using var replay = Client(service);
        using var withStolen = new HttpRequestMessage(HttpMethod.Get, "/api/rates?quarter=2025Q3");
        withStolen.Headers.Add("Cookie", $"em_session={stolen}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.SendAsync(withStolen)).StatusCode);

        // The token itself as the cookie (as before) is not a session.
        using var tokenCookie = new HttpRequestMessage(HttpMethod.Get, "/api/rates?quarter=2025Q3");
        tokenCookie.Headers.Add("Cookie", $"em_session={Operator}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.SendAsync(tokenCookie)).StatusCode);
    }

    [Fact]
    public async Task ACommandParameterOfTheWrongJsonType_Is400NamingIt_NotA500()
    {
        await using var service = await StartAsync();
        using var op = Client(service, Operator);
        using var response = await op.PostAsJsonAsync("/api/outlets/QHXN0010001/commands", new { command = "set-rtd-interval", @params = new { interval = "30" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("params.interval", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheInspector_NeverReadsATerminalsPassword_FromCommandsOrTheLiveStream()
    {
        await using var service = await StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Port"] = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var op = Client(service, Operator);
        using var inspector = Client(service, Inspector);
        using var sse = new HttpClient { BaseAddress = service.HttpBase, Timeout = Timeout.InfiniteTimeSpan };
        sse.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Inspector);
        using var stream = await sse.GetStreamAsync("/api/alerts/stream");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var terminal = await CommandTests.Terminal.ConnectAsync(service, "tcp");
        using var posted = await op.PostAsJsonAsync("/api/outlets/QHXN0010001/commands", new { command = "get-time" });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        string id = JsonDocument.Parse(await posted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        string shown = string.Empty;
        await Waiting.UntilAsync(async () =>
        {
            shown = await inspector.GetStringAsync($"/api/commands/{id}");
            return JsonDocument.Parse(shown).RootElement.GetProperty("state").GetString() == "done";
        }, TimeSpan.FromSeconds(20), "get-time done");
        string list = await inspector.GetStringAsync("/api/outlets/QHXN0010001/commands");
        string csv = await inspector.GetStringAsync("/api/outlets/QHXN0010001/commands?format=csv");
        Assert.Contains("PW=***", shown, StringComparison.Ordinal);
        foreach (string text in new[] { shown, list, csv })
        {
            Assert.DoesNotContain("PW=123456", text, StringComparison.Ordinal);
        }

        // The live stream's command events carry the same hidden frames.
        var events = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                events.AppendLine(line);
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.Contains("event: command", events.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("PW=123456", events.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommentsThatAreFormulas_ReachCsvDownloadsAsText()
    {
        await using var service = await StartAsync();
        using var op = Client(service, Operator);
        string[] attacks = ["=HYPERLINK(\"http://evil.example\",\"x\")", "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1", "-1-1", "\tTAB"];
        foreach (var (attack, i) in attacks.Select((a, i) => (a, i)))
        {
            using var created = await op.PostAsJsonAsync("/api/marks", new { mn = "QHXN0010001", kind = "maintenance", from = $"2025-07-{i + 1:D2}", to = $"2025-07-{i + 2:D2}", comment = attack });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        string csv = await op.GetStringAsync("/api/marks?format=csv");
        var cells = csv.Split(["\r\n"], StringSplitOptions.RemoveEmptyEntries).Skip(1).SelectMany(l => l.Split(',')).Select(c => c.Trim('"')).ToList();
        Assert.DoesNotContain(cells, c => c.Length > 0 && c[0] is '=' or '+' or '@' or '\t' || (c.StartsWith('-') && !double.TryParse(c, System.Globalization.CultureInfo.InvariantCulture, out _)));
        Assert.Contains("'=cmd|' /C calc'!A0", csv, StringComparison.Ordinal);
        Assert.Equal("'=1", EmissionMonitor.Reports.ReportFormats.Neutralised("=1"));
        Assert.Equal("'\r", EmissionMonitor.Reports.ReportFormats.Neutralised("\r"));
        Assert.Equal("ok=1", EmissionMonitor.Reports.ReportFormats.Neutralised("ok=1"));
    }

    [Fact]
    public async Task AnOrderDeadlineInYearOne_IsRefused_AndAStoredOneNeverStopsTheOverdueCheckForOthers()
    {
        await using var service = await StartAsync(new Dictionary<string, string?> { ["Orders:CheckInterval"] = "00:00:00.200" });
        using var op = Client(service, Operator);
        using (var bad = await op.PostAsJsonAsync("/api/orders", new { mn = "QHXN0010001", deadline = "0001-01-01T00:00:00", text = "x" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("deadline", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A record of before (stored with a year-1 deadline) and a real overdue order of another outlet.
        var orders = service.App.Services.GetRequiredService<EmissionMonitor.Orders.OrderService>();
        var store = service.App.Services.GetRequiredService<EmissionMonitor.Storage.IRecordStore>();
        var broken = new EmissionMonitor.Orders.SupervisionOrder
        {
            Id = "ord-broken", Mn = "QHXN0010001", Enterprise = "QH-XN-001", Deadline = DateTime.MinValue, Text = "old", CreatedBy = "x", CreatedAt = DateTimeOffset.UtcNow,
        };
        await EmissionMonitor.Storage.KeyedRecords.SaveAsync(store, EmissionMonitor.Orders.SupervisionOrder.Records, broken, CancellationToken.None);
        string yesterday = orders.NowLocal.AddDays(-1).ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        using (var late = await op.PostAsJsonAsync("/api/orders", new { mn = "QHXN0020001", deadline = yesterday, text = "整改" }))
        {
            Assert.Equal(HttpStatusCode.Created, late.StatusCode);
        }

        var alerts = service.App.Services.GetRequiredService<EmissionMonitor.Alerts.AlertService>();
        await Waiting.UntilAsync(() => alerts.List(null).Any(a => a.Kind == "order-overdue" && a.Mn == "QHXN0020001"), 10_000);
    }

    [Fact]
    public async Task Evidence_DownloadsUnderItsIdAndCheckedType_AndAnEnterpriseCannotAddToTheBureausApprovedMark()
    {
        await using var service = await StartAsync();
        using var enterprise = Client(service, Enterprise1);
        using var op = Client(service, Operator);

        // The bureau's own mark (approved at once).
        using var own = await op.PostAsJsonAsync("/api/marks", new { mn = "QHXN0010001", kind = "shutdown", from = "2025-07-01", to = "2025-07-02", comment = "局方核定" });
        string bureauMark = JsonDocument.Parse(await own.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        using (var refused = await enterprise.PostAsync($"/api/marks/{bureauMark}/evidence", Pdf("x.pdf")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        // An enterprise's pending mark takes a PDF named like an executable: it downloads as {id}.pdf.
        using var filed = await enterprise.PostAsJsonAsync("/api/marks", new { mn = "QHXN0010001", kind = "fault", from = "2025-07-03", to = "2025-07-04", comment = "故障" });
        string mark = JsonDocument.Parse(await filed.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        using var added = await enterprise.PostAsync($"/api/marks/{mark}/evidence", Pdf("invoice\u202efdp.exe"));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var file = JsonDocument.Parse(await added.Content.ReadAsStringAsync()).RootElement.GetProperty("evidence")[0];
        Assert.DoesNotContain('\u202e', file.GetProperty("name").GetString()!);
        using var download = await op.GetAsync(file.GetProperty("href").GetString());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(file.GetProperty("id").GetString() + ".pdf", download.Content.Headers.ContentDisposition!.FileName?.Trim('"') ?? download.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Contains("no-store", download.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);
    }

    private static MultipartFormDataContent Pdf(string name)
    {
        var form = new MultipartFormDataContent();
        var bytes = new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"));
        bytes.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(bytes, "file", name);
        return form;
    }

    [Fact]
    public async Task FilingAndWithdrawingMarks_StopsAtTheDailyCap()
    {
        await using var service = await StartAsync(new Dictionary<string, string?> { ["Marks:MaxFilingsPerDay"] = "20", ["Api:MaxPendingMarks"] = "5" });
        using var enterprise = Client(service, Enterprise1);
        int created = 0;
        for (int i = 0; i < 40; i++)
        {
            using var filed = await enterprise.PostAsJsonAsync("/api/marks", new { mn = "QHXN0010001", kind = "fault", from = "2025-07-03", to = "2025-07-04", comment = "c" + i });
            if (filed.StatusCode != HttpStatusCode.Created)
            {
                Assert.Equal((HttpStatusCode)429, filed.StatusCode);
                Assert.Contains("Marks:MaxFilingsPerDay", await filed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                break;
            }

            created++;
            string id = JsonDocument.Parse(await filed.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            using var withdrawn = await enterprise.PostAsJsonAsync($"/api/marks/{id}/revoke", new { comment = "撤回" });
            Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        }

        Assert.Equal(20, created);
        Assert.Equal(20, (await service.App.Services.GetRequiredService<EmissionMonitor.Marking.MarkService>().AllAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task LiveStreams_AreCappedPerUser_AndASlowReaderIsLetGo()
    {
        await using var service = await StartAsync(new Dictionary<string, string?> { ["Api:MaxStreamsPerUser"] = "2", ["Api:StreamQueue"] = "16" });
        var events = service.App.Services.GetRequiredService<EmissionMonitor.Api.LiveEvents>();
        var streams = new List<(HttpClient Client, HttpResponseMessage Response)>();
        for (int i = 0; i < 6; i++)
        {
            var sse = new HttpClient { BaseAddress = service.HttpBase, Timeout = Timeout.InfiniteTimeSpan };
            sse.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Inspector);
            streams.Add((sse, await sse.GetAsync("/api/alerts/stream", HttpCompletionOption.ResponseHeadersRead)));
        }

        Assert.All(streams, s => Assert.Equal(HttpStatusCode.OK, s.Response.StatusCode));
        await Waiting.UntilAsync(() => events.Open <= 2, 5000);
        Assert.Equal(2, events.Open);

        // An enterprise user's stream queues nothing of other enterprises; a reader that never reads is disconnected once its queue is full.
        var slow = events.Subscribe("slow-reader", null, null).Subscription;
        var other = events.Subscribe("enterprise-reader", "QH-XN-999", null).Subscription;
        using (var tcp = new System.Net.Sockets.TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
            var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
            var start = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime.AddMinutes(-5);
            for (int i = 0; i < 40; i++)
            {
                string segment = $"QN=1;ST=31;CN=2011;PW=123456;MN=QHXN0010001;Flag=4;CP=&&DataTime={start.AddSeconds(5 * i):yyyyMMddHHmmss};a21026-Rtd=5,a21026-Flag=N&&";
                string frame = $"##{Encoding.UTF8.GetByteCount(segment):D4}{segment}{EmissionMonitor.Hj212.Crc.Hj212Crc.Compute(Encoding.UTF8.GetBytes(segment)):X4}\r\n";
                await tcp.GetStream().WriteAsync(Encoding.UTF8.GetBytes(frame));
            }

            var metrics = service.App.Services.GetRequiredService<EmissionMonitor.Diagnostics.IngestMetrics>();
            await Waiting.UntilAsync(() => metrics.Frames >= 40, 20_000);
            await Waiting.UntilAsync(() => slow.ClosedBecause is not null, 20_000);
            Assert.Contains("Api:StreamQueue", slow.ClosedBecause, StringComparison.Ordinal);
            Assert.Equal(16, slow.Channel.Reader.Count); // never more than its queue
        }

        Assert.Equal(0, other.Channel.Reader.Count);
        Assert.Null(other.ClosedBecause);
        foreach (var (client, response) in streams)
        {
            response.Dispose();
            client.Dispose();
        }
    }
}

/// <summary>The notification outbox under a burst of alerts: bounded writes, and no robot's access token kept or shown.</summary>
public sealed class HostileOutboxTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task ABurstOfAlerts_WritesTheOutboxABoundedAmount_AndWebhookTokensAreNeverKeptOrShown()
    {
        int contacts = 5, alerts = Environment.GetEnvironmentVariable("EM_LONG") == "1" ? 5000 : 1500;
        var values = new Dictionary<string, string?> { ["Notify:DigestWindow"] = "01:00:00", ["Notify:SaveInterval"] = "00:00:01", ["Notify:WebhookSecret"] = "s3cret-for-tests" };
        for (int c = 0; c < contacts; c++)
        {
            values[$"Notify:Contacts:{c}:Name"] = "值班" + c;
            values[$"Notify:Contacts:{c}:Webhook"] = $"http://127.0.0.1:9/robot/send?access_token=ROBOT-SECRET-{c}";
        }

        await using var service = await ServiceFixture.StartAsync(values);
        var notifications = service.App.Services.GetRequiredService<EmissionMonitor.Notify.NotificationService>();
        long Bytes() => new DirectoryInfo(service.DataDirectory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        var store = service.App.Services.GetRequiredService<EmissionMonitor.Storage.IRecordStore>();
        long before = Bytes();
        var now = DateTimeOffset.UtcNow;
        for (int i = 0; i < alerts; i++)
        {
            notifications.Tell(new EmissionMonitor.Alerts.Alert($"al-{i}", "exceedance", "critical", EmissionMonitor.Alerts.Alert.Active, "QHXN0010001", "QH-XN-001", "西宁市",
                "a21026", 99, 35, now, null, null, null, "超标"));
        }

        // Every contact's message counts every alert (one line per outlet, pollutant and kind, with its count), written a bounded number of times.
        await Waiting.UntilAsync(async () =>
        {
            var rows = await store.QueryNotificationRecordsAsync(false, 100, 0, CancellationToken.None);
            return rows.Count == contacts && rows.All(r => EmissionMonitor.Notify.NotificationMessage.FromJson(r.Json) is { } m && m.Total == alerts);
        }, TimeSpan.FromSeconds(30), "every alert counted in every contact's message");
        long grown = Bytes() - before;
        output.WriteLine($"{alerts} alerts × {contacts} contacts: the data folder grew {grown / 1024} KiB ({grown / alerts} bytes per alert)");
        Assert.True(grown < 12L * 1024 * 1024, $"the outbox wrote {grown} bytes for {alerts} alerts");

        foreach (var r in await store.QueryNotificationRecordsAsync(false, 100, 0, CancellationToken.None))
        {
            Assert.DoesNotContain("ROBOT-SECRET", r.Json, StringComparison.Ordinal);
        }

        using var http = new HttpClient { BaseAddress = service.HttpBase };
        string shown = await http.GetStringAsync("/api/notifications");
        Assert.DoesNotContain("ROBOT-SECRET", shown, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:9/robot/send", shown, StringComparison.Ordinal);
    }
}

/// <summary>One terminal minting alerts: bounded by its own budget, and nobody else's alerts wait behind it.</summary>
public sealed class HostileAlertFloodTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task ATerminalTogglingAcrossItsLimit_RaisesAtMostItsBudgetAndOneFlood_AndAnotherOutletsExceedanceIsNotDelayed()
    {
        int frames = Environment.GetEnvironmentVariable("EM_LONG") == "1" ? 100_000 : 4_000;
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Alerts:MaxNewPerOutletPerHour"] = "50", ["Alerts:RecentInMemory"] = "100", ["Alerts:MaxBacklogPerOutlet"] = "100", // the flood's backlog waits on disk
        });
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var start = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime.AddHours(-20);
        static byte[] Frame(string segment) =>
            Encoding.UTF8.GetBytes($"##{Encoding.UTF8.GetByteCount(segment):D4}{segment}{EmissionMonitor.Hj212.Crc.Hj212Crc.Compute(Encoding.UTF8.GetBytes(segment)):X4}\r\n");

        using var flood = new System.Net.Sockets.TcpClient();
        await flood.ConnectAsync("127.0.0.1", service.GatewayPort);
        var buffer = new List<byte>();
        for (int i = 0; i < frames; i++)
        {
            // The water outlet's real-time COD alternates across its limit of 50 with a new DataTime each frame.
            buffer.AddRange(Frame($"QN=1;ST=32;CN=2011;PW=654321;MN=QHXN0020001;Flag=4;CP=&&DataTime={start.AddSeconds(i):yyyyMMddHHmmss};w01018-Rtd={(i % 2 == 0 ? 80 : 10)},w01018-Flag=N&&"));
        }

        await flood.GetStream().WriteAsync(buffer.ToArray());

        // Right after, another enterprise's real exceedance: a valid hourly mean above its limit.
        var hour = new DateTime(start.Year, start.Month, start.Day, start.Hour, 0, 0).AddHours(10);
        using (var real = new System.Net.Sockets.TcpClient())
        {
            await real.ConnectAsync("127.0.0.1", service.GatewayPort);
            await real.GetStream().WriteAsync(Frame($"QN=2;ST=31;CN=2061;PW=123456;MN=QHXN0010001;Flag=4;CP=&&DataTime={hour:yyyyMMddHHmmss};a21026-ZsAvg=80,a21026-Flag=N&&"));
            var alerts = service.App.Services.GetRequiredService<EmissionMonitor.Alerts.AlertService>();
            await Waiting.UntilAsync(() => alerts.List(null).Any(a => a.Kind == "exceedance" && a.Mn == "QHXN0010001"), 20_000);
        }

        var metrics = service.App.Services.GetRequiredService<EmissionMonitor.Diagnostics.IngestMetrics>();
        await Waiting.UntilAsync(() => metrics.Frames >= frames + 1, 60_000);
        var book = service.App.Services.GetRequiredService<EmissionMonitor.Alerts.AlertBook>();
        var store = service.App.Services.GetRequiredService<EmissionMonitor.Storage.IRecordStore>();
        await Waiting.UntilAsync(async () => (await store.QueryAlertRecordsAsync(CancellationToken.None)).Any(r => r.Json.Contains("\"flood\"", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60), "the flood alert stored");
        await Task.Delay(1000);
        var stored = await store.QueryAlertRecordsAsync(CancellationToken.None);
        int ofFlooder = stored.Count(r => r.Json.Contains("QHXN0020001", StringComparison.Ordinal));
        var alertService = service.App.Services.GetRequiredService<EmissionMonitor.Alerts.AlertService>();
        await Waiting.UntilAsync(() => alertService.Backlog == 0, 60_000);
        Assert.Equal(0, alertService.BacklogDropped); // every commit evaluated, the flood's through its file
        Assert.Empty(Directory.Exists(Path.Combine(service.DataDirectory, "alert-backlog")) ? Directory.GetFiles(Path.Combine(service.DataDirectory, "alert-backlog")) : []);
        output.WriteLine($"{frames} toggling frames: {ofFlooder} alerts stored for the flooding outlet, {book.Count} held in memory");
        Assert.InRange(ofFlooder, 2, 51);
        Assert.Single(stored, r => r.Json.Contains("\"flood\"", StringComparison.Ordinal));
        Assert.True(book.Count <= 100 + 3, $"{book.Count} alerts held in memory");
    }
}

/// <summary>What enterprise users read of the bureau's work: the bureau's steps, not its staff's names or internal comments.</summary>
public sealed class HostileInternalCommentTests
{
    private const string Operator = "operator-token-1", Enterprise1 = "enterprise-token-1";

    [Fact]
    public async Task AnEnterprise_SeesNeitherOperatorsNamesNorInternalComments_OnCardsAndOrders_OnlyWhatWasAddressedToIt()
    {
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Api:Users:0:Token"] = Operator, ["Api:Users:0:Role"] = "operator", ["Api:Users:0:Name"] = "王工",
            ["Api:Users:1:Token"] = Enterprise1, ["Api:Users:1:Role"] = "enterprise", ["Api:Users:1:Enterprise"] = "QH-XN-001", ["Api:Users:1:Name"] = "企业环保专员",
        }, prepare: async (config, data) =>
        {
            var frames = new StringBuilder();
            for (var t = new DateTime(2025, 7, 1); t < new DateTime(2025, 10, 1); t = t.AddHours(1))
            {
                frames.Append(new EmissionMonitor.Hj212.Encoders.Hj212Builder { St = "31", Cn = "2061", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
                    .DataTime(t).Value("a21026", "ZsAvg", t.Hour % 4 == 0 ? 50m : 20m).Value("a21026", "Flag", "N").Build().ToString());
            }

            string file = Path.Combine(Some.TempDirectory(), "frames.h212");
            await File.WriteAllTextAsync(file, frames.ToString());
            Assert.Equal(0, (await CliRunner.RunAsync(["import", file, "--config", config, "--data", data])).ExitCode);
        });
        using var op = new HttpClient { BaseAddress = service.HttpBase };
        op.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Operator);
        using var mine = new HttpClient { BaseAddress = service.HttpBase };
        mine.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Enterprise1);

        Assert.Equal(HttpStatusCode.OK, (await op.PostAsJsonAsync("/api/cards/QH-XN-001/2025Q3/confirm", new { comment = "内部：负责人难沟通，从严" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await op.PostAsJsonAsync("/api/cards/QH-XN-001/2025Q3/lift", new { comment = "整改到位，予以解除", visibleToEnterprise = true })).StatusCode);
        string seenCards = await mine.GetStringAsync("/api/cards?quarter=2025Q3") + await mine.GetStringAsync("/api/cards?quarter=2025Q3&format=csv");
        Assert.DoesNotContain("王工", seenCards, StringComparison.Ordinal);
        Assert.DoesNotContain("负责人难沟通", seenCards, StringComparison.Ordinal);
        Assert.Contains("整改到位", seenCards, StringComparison.Ordinal);
        Assert.Contains("生态环境局", seenCards, StringComparison.Ordinal);
        string operatorCards = await op.GetStringAsync("/api/cards?quarter=2025Q3");
        Assert.Contains("王工", operatorCards, StringComparison.Ordinal);
        Assert.Contains("负责人难沟通", operatorCards, StringComparison.Ordinal);

        using var created = await op.PostAsJsonAsync("/api/orders", new { mn = "QHXN0010001", deadline = "2030-01-01T00:00:00", text = "请说明超标原因" });
        string id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await mine.PostAsJsonAsync($"/api/orders/{id}/respond", new { cause = "分析仪漂移", measures = "已校准" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await op.PostAsJsonAsync($"/api/orders/{id}/reopen", new { comment = "内部：怀疑造假，继续盯" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await mine.PostAsJsonAsync($"/api/orders/{id}/respond", new { cause = "分析仪漂移", measures = "已更换" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await op.PostAsJsonAsync($"/api/orders/{id}/close", new { comment = "经核实，同意办结", visibleToEnterprise = true })).StatusCode);
        string seenOrder = await mine.GetStringAsync($"/api/orders/{id}") + await mine.GetStringAsync("/api/orders");
        Assert.DoesNotContain("王工", seenOrder, StringComparison.Ordinal);
        Assert.DoesNotContain("怀疑造假", seenOrder, StringComparison.Ordinal);
        Assert.Contains("同意办结", seenOrder, StringComparison.Ordinal);
        Assert.Contains("企业环保专员", seenOrder, StringComparison.Ordinal); // its own steps under its own name
        Assert.Contains("怀疑造假", await op.GetStringAsync($"/api/orders/{id}"), StringComparison.Ordinal);
    }
}
