using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EmissionMonitor.Configuration;
using EmissionMonitor.IntegrationTests.Ingestion;

namespace EmissionMonitor.IntegrationTests.Reliability;

/// <summary>
/// The adversarial suite, HTTP and operator side: injection through frames into the live stream,
/// sessions and cross-site requests, unbounded periods and pages, bodies and comments, the loopback
/// guard, exit codes, and a disk running full.
/// </summary>
public sealed class HostileRequestTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Operator = "operator-token-1", Inspector = "inspector-token-1";

    private static Task<ServiceFixture> WithUsersAsync(IDictionary<string, string?>? more = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Api:Users:0:Token"] = Operator, ["Api:Users:0:Role"] = "operator", ["Api:Users:0:Name"] = "王工",
            ["Api:Users:1:Token"] = Inspector, ["Api:Users:1:Role"] = "inspector",
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
            ? new HttpClient { BaseAddress = service.HttpBase }
            : new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = service.HttpBase };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    [Fact]
    public async Task AFrameWhoseCodesCarryQuotesAndLineEnds_CannotForgeEventsOnTheLiveStream()
    {
        await using var service = await ServiceFixture.StartAsync();
        using var sse = new HttpClient { BaseAddress = service.HttpBase, Timeout = Timeout.InfiniteTimeSpan };
        using var stream = await sse.GetStreamAsync("/api/alerts/stream");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        Assert.Equal(": connected", await reader.ReadLineAsync());

        // A terminal with its own valid MN/PW puts an SSE event and HTML into a pollutant code ('=' would end the code).
        string code = "x\"}\n\nevent: alert\ndata: {\"id\":\"\\\"><script>alert(1)</script>\"}\n\n";
        string now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        string segment = $"QN=1;ST=31;CN=2011;PW=123456;MN=QHXN0010001;Flag=4;CP=&&DataTime={now};{code}-Rtd=5&&";
        string frame = $"##{Encoding.UTF8.GetByteCount(segment):D4}{segment}{EmissionMonitor.Hj212.Crc.Hj212Crc.Compute(Encoding.UTF8.GetBytes(segment)):X4}\r\n";
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
            await tcp.GetStream().WriteAsync(Encoding.UTF8.GetBytes(frame));
        }

        // The event that follows is one 'reading' whose single data line is JSON naming the code as a string.
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            string line = (await reader.ReadLineAsync(timeout.Token))!;
            if (line.Length == 0)
            {
                if (lines.Count > 0)
                {
                    break;
                }

                continue;
            }

            if (!line.StartsWith(':'))
            {
                lines.Add(line);
            }
        }

        Assert.True(lines.Count == 3, string.Join("\n", lines));
        Assert.Equal("event: reading", lines[1]);
        var data = JsonDocument.Parse(lines[2]["data: ".Length..]).RootElement;
        Assert.Equal("QHXN0010001", data.GetProperty("mn").GetString());
        Assert.Contains(data.GetProperty("values").EnumerateObject(), p => p.Name.Contains("<script>", StringComparison.Ordinal));
        output.WriteLine($"SSE: the hostile code arrived as one reading event, JSON data line of {lines[2].Length} characters; no forged alert event");
    }

    [Fact]
    public async Task EveryAnswer_CarriesSecurityHeaders_AndEveryErrorIsAProblemDetailsBody()
    {
        await using var service = await WithUsersAsync();
        using var op = Client(service, Operator);
        var page = await op.GetAsync("/");
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());

        var cases = new (string Method, string Path, HttpContent? Body, HttpStatusCode Status, string? Parameter)[]
        {
            ("GET", "/api/rates?quarter=0000Q1", null, HttpStatusCode.BadRequest, "quarter"),
            ("GET", "/api/rates?quarter=9999Q4", null, HttpStatusCode.BadRequest, "quarter"),
            ("GET", "/api/rates?from=0001-01-01&to=9999-12-31", null, HttpStatusCode.BadRequest, "from"),
            ("GET", "/api/rates?from=0002-01-01&to=9998-01-01&mn=QHXN0010001", null, HttpStatusCode.BadRequest, "from"),
            ("GET", "/api/rates?from=2016-01-01&to=2027-01-01", null, HttpStatusCode.BadRequest, "from/to"),
            ("GET", "/api/hours?from=1926-01-01&to=2026-01-01&mn=QHXN0010001", null, HttpStatusCode.BadRequest, "from"),
            ("GET", "/api/rates?quarter=2025Q3&limit=abc", null, HttpStatusCode.BadRequest, "limit"),
            ("GET", "/api/rates?quarter=2025Q3&offset=-1", null, HttpStatusCode.BadRequest, "offset"),
            ("GET", "/api/rates?quarter=2025Q3&by=planet", null, HttpStatusCode.BadRequest, "by"),
            ("GET", "/api/rates?quarter=2025Q3&format=xml", null, HttpStatusCode.BadRequest, "format"),
            ("GET", "/api/rates?quarter=2025Q3&city=Atlantis", null, HttpStatusCode.BadRequest, "city"),
            ("GET", "/api/rates?quarter=2025Q3&mn=NOPE", null, HttpStatusCode.BadRequest, "mn"),
            ("GET", "/api/rates?quarter=2025Q3&pollutant=SO2'", null, HttpStatusCode.BadRequest, "pollutant"),
            ("GET", "/api/alerts?state=bogus", null, HttpStatusCode.BadRequest, "state"),
            ("GET", "/api/outlets/QHXN0010001/readings?cn=9999", null, HttpStatusCode.BadRequest, "cn"),
            ("GET", "/api/outlets/QHXN0010001/readings?cn=2011&from=2025-01-01&to=2025-12-01", null, HttpStatusCode.BadRequest, "from/to"),
            ("GET", "/api/marks?from=yesterday", null, HttpStatusCode.BadRequest, "from"),
            ("POST", "/api/marks", new StringContent("{\"mn\": ", Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest, null),
            ("POST", "/api/marks", new StringContent("mn=QHXN0010001", Encoding.UTF8, "text/plain"), HttpStatusCode.UnsupportedMediaType, null),
            ("POST", "/api/marks", new StringContent("{\"comment\":\"" + new string('x', 2 * 1024 * 1024) + "\"}", Encoding.UTF8, "application/json"), HttpStatusCode.RequestEntityTooLarge, null),
            ("POST", "/api/marks", JsonContent.Create(new { mn = "QHXN0010001", kind = "shutdown", from = "0001-01-01", to = "9999-12-31" }), HttpStatusCode.BadRequest, "from"),
            ("POST", "/api/marks", JsonContent.Create(new { mn = "QHXN0010001", kind = "shutdown", from = "2025-01-01", to = "2026-06-01" }), HttpStatusCode.BadRequest, "to"),
            ("POST", "/api/marks", JsonContent.Create(new { mn = "QHXN0010001", kind = "shutdown", from = "2025-01-01", to = "2025-01-02", comment = new string('注', 2001) }), HttpStatusCode.BadRequest, "comment"),
            ("POST", "/api/cards/QH-XN-001/2025Q3/lift", JsonContent.Create(new { comment = "x" }), HttpStatusCode.NotFound, null),
            ("POST", "/api/cards/QH-XN-001/0000Q1/lift", JsonContent.Create(new { comment = "x" }), HttpStatusCode.BadRequest, "quarter"),
            ("GET", "/api/no-such-thing", null, HttpStatusCode.NotFound, null),
            ("DELETE", "/api/rates", null, HttpStatusCode.MethodNotAllowed, null),
        };
        foreach (var (method, path, body, status, parameter) in cases)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body };
            // The body is sent only once the service asks for it: an oversized one is refused (413) before it is
            // uploaded, instead of the refusal racing the upload (a broken pipe now and then under load).
            request.Headers.ExpectContinue = body is not null;
            using var response = await op.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            Assert.True(status == response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(text).RootElement;
            Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
            Assert.DoesNotContain("System.", text, StringComparison.Ordinal); // no internals
            if (parameter is not null)
            {
                Assert.True(parameter == problem.GetProperty("parameter").GetString(), $"{method} {path}: {text}");
            }
        }

        // limit is clamped, never refused.
        var clamped = await op.GetAsync("/api/rates?quarter=2025Q3&by=pollutant&limit=100000000");
        Assert.Equal(HttpStatusCode.OK, clamped.StatusCode);
        Assert.Equal(6, (await clamped.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());
        output.WriteLine($"{cases.Length} hostile or careless requests: each answered with its status and a problem-details body");
    }

    [Fact]
    public async Task TheDashboardSession_IsAnHttpOnlyStrictCookie_CrossSiteWritesAreRefused_AndAccessTokenWorksOnlyOnTheStream()
    {
        await using var service = await WithUsersAsync();
        var cookies = new CookieContainer();
        using var browser = Client(service, cookies: cookies);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/session")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsJsonAsync("/api/session", new { token = "not-a-token" })).StatusCode);
        var login = await browser.PostAsJsonAsync("/api/session", new { token = Operator });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        string setCookie = login.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("operator", (await browser.GetFromJsonAsync<JsonElement>("/api/session")).GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/rates?quarter=2025Q3")).StatusCode);

        // A write with the cookie must name this service as its origin: a page elsewhere cannot make it.
        var mark = new { mn = "QHXN0010001", kind = "maintenance", from = "2025-07-01", to = "2025-07-02", comment = "x" };
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.PostAsJsonAsync("/api/marks", mark)).StatusCode);
        using (var evil = new HttpRequestMessage(HttpMethod.Post, "/api/marks") { Content = JsonContent.Create(mark) })
        {
            evil.Headers.Add("Origin", "http://evil.example");
            Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(evil)).StatusCode);
        }

        using (var own = new HttpRequestMessage(HttpMethod.Post, "/api/marks") { Content = JsonContent.Create(mark) })
        {
            own.Headers.Add("Origin", service.HttpBase.GetLeftPart(UriPartial.Authority));
            Assert.Equal(HttpStatusCode.Created, (await browser.SendAsync(own)).StatusCode);
        }

        // A token in a URL is never taken (it would sit in logs and histories): the stream too authenticates by cookie or header.
        using var anonymous = Client(service);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/rates?quarter=2025Q3&access_token={Inspector}")).StatusCode);
        using (var byUrl = await anonymous.GetAsync($"/api/alerts/stream?access_token={Inspector}", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, byUrl.StatusCode);
        }

        using var stream = await browser.GetAsync("/api/alerts/stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);

        // Logging out ends the session.
        using (var logout = new HttpRequestMessage(HttpMethod.Delete, "/api/session"))
        {
            logout.Headers.Add("Origin", service.HttpBase.GetLeftPart(UriPartial.Authority));
            Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(logout)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/rates?quarter=2025Q3")).StatusCode);

        // Guessing tokens is throttled per address.
        for (int i = 0; i < 5; i++)
        {
            await browser.PostAsJsonAsync("/api/session", new { token = "guess-" + i });
        }

        Assert.Equal((HttpStatusCode)429, (await browser.PostAsJsonAsync("/api/session", new { token = "guess-5" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsJsonAsync("/api/session", new { token = Operator })).StatusCode); // others' wrong guesses never lock a valid token out
        output.WriteLine("session cookie HttpOnly+Strict; cookie writes without or with a foreign Origin refused; no token in URLs; logout ends it; unknown tokens throttled, valid ones not");
    }

    [Fact]
    public async Task ApiBoundBeyondLoopbackWithoutUsers_FromAnyConfiguration_StopsStartUp()
    {
        var e = await Assert.ThrowsAsync<ConfigurationException>(() => ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Http:Url"] = "http://0.0.0.0:0",
        }));
        Assert.Contains("Api:Users", e.Message, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0", e.Message, StringComparison.Ordinal);

        // The same through the command line: exit 1, the key named.
        string config = Some.TempDirectory();
        var run = await RunWithEnvironmentAsync(config, new Dictionary<string, string> { ["Kestrel__Endpoints__Http__Url"] = $"http://0.0.0.0:{LoopbackPorts.Free()}" });
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Api:Users", run.StdErr, StringComparison.Ordinal);
        output.WriteLine("Kestrel:Endpoints beyond loopback without users: start-up refused (in process and `run` exit 1)");
    }

    [Fact]
    public async Task CommandLine_ExitsWithTheDocumentedCodes_ForAnImpossibleQuarterAndAPortInUse()
    {
        var report = await CliRunner.RunAsync(["report", "rates", "--quarter", "0000Q1", "--data", Some.TempDirectory(), "--config", Some.TempDirectory()]);
        Assert.Equal(2, report.ExitCode);
        Assert.Contains("--quarter", report.StdErr, StringComparison.Ordinal);

        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var run = await RunWithEnvironmentAsync(Some.TempDirectory(), new Dictionary<string, string> { ["Gateway__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cannot start", run.StdErr, StringComparison.Ordinal);
        output.WriteLine($"report --quarter 0000Q1: exit {report.ExitCode}; run with the gateway port in use: exit {run.ExitCode}");
    }

    [Fact]
    public async Task LowDisk_StopsArchivingGarbageFirst_ThenRefusesFramesWithoutAcknowledging()
    {
        long freeMB = new DriveInfo(Path.GetTempPath()).AvailableFreeSpace / 1048576;
        var frame = Encoding.ASCII.GetBytes(Some.Hourly(flag: 5).Value("a21026", "Avg", 5m).Build().ToString());
        var garbage = Encoding.ASCII.GetBytes(new string('g', 5000) + "\n");

        // Below Storage:MinFreeMB (but above half of it): garbage is counted, not archived; frames are stored and answered.
        await using (var low = await ServiceFixture.StartAsync(new Dictionary<string, string?> { ["Storage:MinFreeMB"] = (freeMB + 64).ToString(System.Globalization.CultureInfo.InvariantCulture) }))
        {
            string reply = await SendAsync(low, garbage.Concat(frame).ToArray(), expectReply: true);
            Assert.Contains("CN=9014", reply, StringComparison.Ordinal);
            var counts = await low.CountsAsync();
            Assert.Equal((1, 1L), (counts.Frames, counts.Readings));
            using var http = new HttpClient { BaseAddress = low.HttpBase };
            Assert.Contains("em_frames_unarchived_total 1", await http.GetStringAsync("/metrics"), StringComparison.Ordinal);
        }

        // Below half of it: nothing is committed, so nothing is acknowledged.
        await using var critical = await ServiceFixture.StartAsync(new Dictionary<string, string?> { ["Storage:MinFreeMB"] = (2 * freeMB + 1024).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        critical.ExpectErrors("Commit of"); // refused commits are logged as failures
        Assert.Equal(string.Empty, await SendAsync(critical, frame, expectReply: false));
        Assert.Equal(0, (await critical.CountsAsync()).Frames);
        output.WriteLine($"disk {freeMB} MB free: garbage unarchived below MinFreeMB, frames refused (no 9014) below half of it");
    }

    private static async Task<string> SendAsync(ServiceFixture service, byte[] bytes, bool expectReply)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
        await tcp.GetStream().WriteAsync(bytes);
        var buffer = new byte[512];
        try
        {
            int n = await tcp.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(expectReply ? 15 : 3));
            return Encoding.ASCII.GetString(buffer, 0, n);
        }
        catch (Exception e) when (!expectReply && e is TimeoutException or IOException)
        {
            return string.Empty;
        }
    }

    private static async Task<CliRunner.Result> RunWithEnvironmentAsync(string config, IDictionary<string, string> environment)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { CliRunner.AssemblyPath, "run", "--config", config, "--data", Some.TempDirectory() })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["Mqtt__Host"] = "127.0.0.1";
        psi.Environment["Mqtt__Port"] = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["Gateway__Host"] = "127.0.0.1";
        psi.Environment["Gateway__Port"] = "0";
        psi.Environment["Http__Urls"] = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        foreach (var (k, v) in environment)
        {
            psi.Environment[k] = v;
        }

        using var process = System.Diagnostics.Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the service did not stop: " + await stderr);
        }

        return new CliRunner.Result(process.ExitCode, await stdout, await stderr);
    }
}
