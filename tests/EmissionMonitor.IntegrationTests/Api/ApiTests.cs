using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EmissionMonitor.IntegrationTests.Ingestion;
using MQTTnet;
using MQTTnet.Protocol;

namespace EmissionMonitor.IntegrationTests.Api;

public sealed class ApiTests
{
    private const string Operator = "operator-token-1", Inspector = "inspector-token-1", Enterprise2 = "enterprise-token-2";

    private static Task<ServiceFixture> StartAsync() => ServiceFixture.StartAsync(new Dictionary<string, string?>
    {
        ["Api:Users:0:Token"] = Operator, ["Api:Users:0:Role"] = "operator", ["Api:Users:0:Name"] = "王工",
        ["Api:Users:1:Token"] = Inspector, ["Api:Users:1:Role"] = "inspector",
        ["Api:Users:2:Token"] = Enterprise2, ["Api:Users:2:Role"] = "enterprise", ["Api:Users:2:Enterprise"] = "QH-XN-002",
    });

    private static HttpClient Client(ServiceFixture service, string? token)
    {
        var client = new HttpClient { BaseAddress = service.HttpBase, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public static TheoryData<string, string, string?, HttpStatusCode> Matrix() => new()
    {
        { "GET", "/api/rates?quarter=2025Q3", null, HttpStatusCode.Unauthorized },
        { "GET", "/api/rates?quarter=2025Q3", "wrong-token-x", HttpStatusCode.Unauthorized },
        { "GET", "/api/rates?quarter=2025Q3", Inspector, HttpStatusCode.OK },
        { "GET", "/api/exceedances?quarter=2025Q3", Enterprise2, HttpStatusCode.OK },
        { "GET", "/api/totals?quarter=2025Q3", Inspector, HttpStatusCode.OK },
        { "GET", "/api/cards?quarter=2025Q3", Inspector, HttpStatusCode.OK },
        { "GET", "/api/hours?quarter=2025Q3&mn=QHXN0020001", Enterprise2, HttpStatusCode.OK },
        { "GET", "/api/rates?quarter=2025Q3&enterprise=QH-XN-001", Enterprise2, HttpStatusCode.Forbidden },
        { "GET", "/api/stations", Enterprise2, HttpStatusCode.OK },
        { "GET", "/api/outlets/QHXN0010001/readings", Enterprise2, HttpStatusCode.Forbidden },
        { "GET", "/api/outlets/QHXN0020001/readings", Enterprise2, HttpStatusCode.OK },
        { "GET", "/api/alerts", Inspector, HttpStatusCode.OK },
        { "POST", "/api/alerts/nope/acknowledge", Inspector, HttpStatusCode.Forbidden },
        { "POST", "/api/alerts/nope/acknowledge", Operator, HttpStatusCode.NotFound },
        { "POST", "/api/alerts/nope/clear", Enterprise2, HttpStatusCode.Forbidden },
        { "GET", "/api/marks", Inspector, HttpStatusCode.OK },
        { "POST", "/api/marks", Inspector, HttpStatusCode.Forbidden },
        { "POST", "/api/cards/QH-XN-001/2025Q3/lift", Enterprise2, HttpStatusCode.Forbidden },
        { "POST", "/api/cards/QH-XN-001/2025Q3/lift", Inspector, HttpStatusCode.Forbidden },
        { "POST", "/api/outlets/QHXN0010001/backfill", Inspector, HttpStatusCode.Forbidden },
        { "POST", "/api/outlets/QHXN0010001/backfill", Operator, HttpStatusCode.Conflict },
        { "GET", "/healthz", null, HttpStatusCode.OK },
        { "GET", "/readyz", null, HttpStatusCode.OK },
    };

    [Fact]
    public async Task EveryEndpoint_AnswersEachRoleAsTheContractSays()
    {
        await using var service = await StartAsync();
        foreach (var row in Matrix())
        {
            string method = (string)row[0], path = (string)row[1];
            using var client = Client(service, (string?)row[2]);
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "POST")
            {
                request.Content = JsonContent.Create(new { comment = "x", from = "2025-07-01", to = "2025-07-02" });
            }

            using var response = await client.SendAsync(request);
            Assert.True((HttpStatusCode)row[3] == response.StatusCode, $"{method} {path} as {row[2] ?? "anonymous"}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task EveryEndpoint_ForEveryRole_RefusesExactlyWhatTheRoleMayNotDo()
    {
        const string All = "operator,inspector,enterprise", Operators = "operator", Writers = "operator,enterprise";
        (string Method, string Path, string Allowed)[] endpoints =
        [
            ("GET", "/api/rates?quarter=2025Q3", All), ("GET", "/api/exceedances?quarter=2025Q3", All), ("GET", "/api/totals?quarter=2025Q3", All),
            ("GET", "/api/cards?quarter=2025Q3", All), ("GET", "/api/hours?quarter=2025Q3&mn=QHXN0020001", All), ("GET", "/api/stations", All),
            ("GET", "/api/outlets/QHXN0020001/readings", All), ("GET", "/api/alerts", All), ("GET", "/api/marks", All),
            ("POST", "/api/alerts/x/acknowledge", Operators), ("POST", "/api/alerts/x/clear", Operators), ("POST", "/api/marks", Writers),
            ("POST", "/api/marks/x/approve", Operators), ("POST", "/api/marks/x/reject", Operators), ("POST", "/api/marks/x/revoke", Writers),
            ("POST", "/api/cards/QH-XN-002/2025Q3/lift", Operators), ("POST", "/api/outlets/QHXN0020001/backfill", Operators),
        ];
        await using var service = await StartAsync();
        foreach (var (method, path, allowed) in endpoints)
        {
            foreach (var (token, role) in new[] { ((string?)null, "anonymous"), (Operator, "operator"), (Inspector, "inspector"), (Enterprise2, "enterprise") })
            {
                using var client = Client(service, token);
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method == "POST")
                {
                    request.Content = JsonContent.Create(new { comment = "x", mn = "QHXN0020001", kind = "maintenance", from = "2025-07-01", to = "2025-07-02" });
                }

                using var response = await client.SendAsync(request);
                var code = response.StatusCode;
                string what = $"{method} {path} as {role}: {code}";
                if (token is null)
                {
                    Assert.True(code == HttpStatusCode.Unauthorized, what);
                }
                else if (!allowed.Split(',').Contains(role))
                {
                    Assert.True(code == HttpStatusCode.Forbidden, what);
                }
                else
                {
                    Assert.True(code is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)code < 500, what);
                }
            }
        }
    }

    [Fact]
    public async Task Operator_CreatesMarks_LiftsCards_AndWorksAlertsThroughTheirLifecycle_LiveOverSse()
    {
        await using var service = await StartAsync();
        using var op = Client(service, Operator);

        var mark = await op.PostAsJsonAsync("/api/marks", new { mn = "QHXN0010001", kind = "shutdown", from = "2025-07-01", to = "2025-07-02", comment = "停产检修" });
        Assert.Equal(HttpStatusCode.Created, mark.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PostAsJsonAsync("/api/marks", new { mn = "QHXN0010001", kind = "holiday", from = "2025-07-01", to = "2025-07-02" })).StatusCode);
        var marks = await op.GetFromJsonAsync<JsonElement>("/api/marks");
        Assert.Equal("停产检修", marks[0].GetProperty("comment").GetString());
        string markId = marks[0].GetProperty("id").GetString()!;
        Assert.Equal(("王工", "approved"), (marks[0].GetProperty("by").GetString(), marks[0].GetProperty("state").GetString()));
        var marksCsv = Encoding.UTF8.GetString((await op.GetByteArrayAsync("/api/marks?format=csv&columns=raw"))[3..]).Split("\r\n");
        Assert.Equal("mn,kind,from,to,comment,id,state,by,createdAt,revokedAt,revokedBy,revokeComment,decidedBy,decidedAt,decisionComment,enterprise,overFaultCap,evidenceFiles", marksCsv[0]);
        Assert.StartsWith($"QHXN0010001,shutdown,2025-07-01T00:00:00,2025-07-02T00:00:00,停产检修,{markId},approved,王工,", marksCsv[1], StringComparison.Ordinal);
        var hours = await op.GetFromJsonAsync<JsonElement>("/api/hours?from=2025-07-01&to=2025-07-02&mn=QHXN0010001&pollutant=a21026");
        Assert.Equal(24, hours.GetArrayLength());
        Assert.All(hours.EnumerateArray(), h => Assert.Equal("exempt", h.GetProperty("state").GetString()));

        // Revoking the mark (recorded, never deleted) gives the hours back to the rate.
        var revoked = await op.PostAsJsonAsync($"/api/marks/{markId}/revoke", new { comment = "误标" });
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await op.PostAsJsonAsync($"/api/marks/{markId}/revoke", new { comment = "again" })).StatusCode);
        var afterRevoke = await op.GetFromJsonAsync<JsonElement>("/api/marks");
        Assert.Equal(("revoked", "王工", "误标"), (afterRevoke[0].GetProperty("state").GetString(), afterRevoke[0].GetProperty("revokedBy").GetString(),
            afterRevoke[0].GetProperty("revokeComment").GetString()));
        var hoursAfter = await op.GetFromJsonAsync<JsonElement>("/api/hours?from=2025-07-01&to=2025-07-02&mn=QHXN0010001&pollutant=a21026");
        Assert.All(hoursAfter.EnumerateArray(), h => Assert.Equal("missing", h.GetProperty("state").GetString()));

        // A lift needs a card the rules proposed: none for this quarter yet.
        Assert.Equal(HttpStatusCode.NotFound, (await op.PostAsJsonAsync("/api/cards/QH-XN-001/2025Q2/lift", new { comment = "整改完成" })).StatusCode);
        await SendHourlyAsync(service, new DateTime(2025, 5, 1, 8, 0, 0), hours: 5, so2: 99m); // every valid hour exceeds: a yellow card
        var lift = await op.PostAsJsonAsync("/api/cards/QH-XN-001/2025Q2/lift", new { comment = "整改完成" });
        Assert.Equal(HttpStatusCode.OK, lift.StatusCode);
        Assert.Equal("王工", (await lift.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("by").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await op.PostAsJsonAsync("/api/cards/QH-XN-001/2025Q2/lift", new { comment = "again" })).StatusCode);
        var card = (await op.GetFromJsonAsync<JsonElement>("/api/cards?quarter=2025Q2"))[0];
        // The reasons as data beside their strings, for the dashboard to say in the user's language.
        var reason = card.GetProperty("reasonItems")[0];
        Assert.Equal(("exceedance-rate", "a21026", "QHXN0010001", "%"), (reason.GetProperty("kind").GetString(), reason.GetProperty("pollutant").GetString(),
            reason.GetProperty("mn").GetString(), reason.GetProperty("unit").GetString()));
        Assert.True(reason.GetProperty("value").GetDouble() >= reason.GetProperty("bound").GetDouble());
        Assert.StartsWith("exceedance-rate:a21026:QHXN0010001:", card.GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("王工", card.GetProperty("lifted").GetProperty("by").GetString());
        Assert.Equal(HttpStatusCode.OK, (await op.PostAsJsonAsync("/api/cards/QH-XN-001/2025Q2/lift/revoke", new { comment = "整改不实" })).StatusCode);
        Assert.Equal(JsonValueKind.Null, (await op.GetFromJsonAsync<JsonElement>("/api/cards?quarter=2025Q2"))[0].GetProperty("lifted").ValueKind);
        Assert.Equal(HttpStatusCode.Conflict, (await op.PostAsJsonAsync("/api/cards/QH-XN-001/2025Q2/lift/revoke", new { comment = "again" })).StatusCode);

        // Live stream: subscribe, then make the terminal send a real-time value above the limit.
        using var sse = new HttpClient { BaseAddress = service.HttpBase, Timeout = Timeout.InfiniteTimeSpan };
        sse.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Inspector);
        using var stream = await sse.GetStreamAsync("/api/alerts/stream");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        Assert.Equal(": connected", await reader.ReadLineAsync());
        await SendRealTimeAsync(service, 99m);
        var alertEvent = await ReadEventAsync(reader, "alert");
        var alert = JsonDocument.Parse(alertEvent.Data).RootElement;
        string id = alert.GetProperty("id").GetString()!;
        Assert.Equal("warning", alert.GetProperty("kind").GetString());

        var listed = await op.GetAsync("/api/alerts?state=active");
        var active = await listed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(active.GetArrayLength().ToString(System.Globalization.CultureInfo.InvariantCulture), listed.Headers.GetValues("X-Total-Count").Single());
        Assert.Single(active.EnumerateArray(), a => a.GetProperty("id").GetString() == id); // beside the exceedance of the hourly records above
        var acked = await (await op.PostAsync($"/api/alerts/{id}/acknowledge", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("acknowledged", "王工"), (acked.GetProperty("state").GetString(), acked.GetProperty("acknowledgedBy").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, (await op.PostAsync($"/api/alerts/{id}/acknowledge", null)).StatusCode);
        var alertsCsv = Encoding.UTF8.GetString((await op.GetByteArrayAsync("/api/alerts?format=csv&columns=raw"))[3..]);
        Assert.StartsWith("id,kind,severity,state,mn,enterprise,city,pollutant,value,limit,raisedAt", alertsCsv, StringComparison.Ordinal);
        Assert.Contains($"{id},warning,warning,acknowledged,QHXN0010001", alertsCsv, StringComparison.Ordinal);
        var cleared = await (await op.PostAsJsonAsync($"/api/alerts/{id}/clear", new { comment = "已处理" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("cleared", cleared.GetProperty("state").GetString());
        Assert.Contains("已处理", cleared.GetProperty("message").GetString(), StringComparison.Ordinal);
        var ackEvent = await ReadEventAsync(reader, "alert");
        Assert.Equal("acknowledged", JsonDocument.Parse(ackEvent.Data).RootElement.GetProperty("state").GetString());

        // Resuming from an earlier id replays what followed it.
        using var resumed = new HttpRequestMessage(HttpMethod.Get, "/api/alerts/stream");
        resumed.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Operator);
        resumed.Headers.Add("Last-Event-ID", (alertEvent.Id - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var again = await sse.SendAsync(resumed, HttpCompletionOption.ResponseHeadersRead);
        using var againReader = new StreamReader(await again.Content.ReadAsStreamAsync(), Encoding.UTF8);
        Assert.Equal(alertEvent.Id, (await ReadEventAsync(againReader, "alert")).Id);
    }

    [Fact]
    public async Task Reports_AreTheCliJson_PagedWithTotalCount_AndCsvHasABom_EnterpriseSeesOnlyItsOwn()
    {
        await using var service = await StartAsync();
        using var inspector = Client(service, Inspector);
        var page = await inspector.GetAsync("/api/rates?quarter=2025Q3&by=pollutant&limit=2&offset=1");
        Assert.Equal("6", page.Headers.GetValues("X-Total-Count").Single()); // 3 gas + 3 water assessed pollutants
        var rows = await page.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, rows.GetArrayLength());
        Assert.Equal("2025-07-01T00:00:00+08:00", rows[0].GetProperty("from").GetString());
        var csv = await inspector.GetByteArrayAsync("/api/rates?quarter=2025Q3&format=csv&columns=raw");
        Assert.Equal(Encoding.UTF8.GetPreamble(), csv[..3]);
        Assert.StartsWith("mn,enterprise,enterpriseName,city,pollutant,from,to,assessed", Encoding.UTF8.GetString(csv[3..]), StringComparison.Ordinal);

        using var enterprise = Client(service, Enterprise2);
        var own = await enterprise.GetFromJsonAsync<JsonElement>("/api/rates?quarter=2025Q3");
        Assert.NotEqual(0, own.GetArrayLength());
        Assert.All(own.EnumerateArray(), r => Assert.Equal("QH-XN-002", r.GetProperty("enterprise").GetString()));
        foreach (var kind in EmissionMonitor.Reports.ReportRequest.Kinds.Select(k => k == "hours" ? "hours?mn=QHXN0020001" : k).Append("totals?by=outlet"))
        {
            // Every report an enterprise asks for is of its own outlets only: the request is narrowed before the report is made, no row filtered after.
            var seen = await enterprise.GetFromJsonAsync<JsonElement>($"/api/{kind}{(kind.Contains('?', StringComparison.Ordinal) ? '&' : '?')}quarter=2025Q3");
            Assert.All(seen.EnumerateArray(), r =>
            {
                if (r.TryGetProperty("enterprise", out var e))
                {
                    Assert.Equal("QH-XN-002", e.GetString());
                }
            });
        }
        var stations = await enterprise.GetFromJsonAsync<JsonElement>("/api/stations");
        Assert.Equal("QH-XN-002", Assert.Single(stations.EnumerateArray()).GetProperty("id").GetString());

        var metrics = await inspector.GetStringAsync("/metrics");
        Assert.Contains("# TYPE em_frames_total counter", metrics, StringComparison.Ordinal);
        var openApi = await inspector.GetFromJsonAsync<JsonElement>("/openapi.json");
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/alerts/{id}/acknowledge", out _));
    }

    [Fact]
    public async Task BindingBeyondLoopbackWithoutUsers_StopsStartUpNamingTheKey()
    {
        var error = await Assert.ThrowsAsync<EmissionMonitor.ConfigurationException>(() =>
            ServiceFixture.StartAsync(new Dictionary<string, string?> { ["Http:Urls"] = "http://0.0.0.0:0" }, urls: null));
        Assert.Contains("Api:Users", error.Message, StringComparison.Ordinal);
    }

    private static async Task SendRealTimeAsync(ServiceFixture service, decimal so2)
    {
        using var terminal = new MqttClientFactory().CreateMqttClient();
        await terminal.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", service.MqttPort).WithCredentials("QHXN0010001", "123456").Build());
        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone()).DateTime;
        var frame = new EmissionMonitor.Hj212.Encoders.Hj212Builder { Qn = "1", St = "31", Cn = "2011", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
            .DataTime(now.AddSeconds(-5)).Value("a21026", "Rtd", so2).Value("a21026", "Flag", "N").Build().ToString();
        Assert.True((await terminal.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("emission/QHXN0010001/up").WithPayload(frame)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build())).IsSuccess);
    }

    [Fact]
    public async Task Exceedances_ArePagedWithTheirTotal_AndAnEnterpriseSeesOnlyItsOwn()
    {
        await using var service = await StartAsync();
        var day = TimeProvider.System.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime.Date.AddDays(-2); // local time of Asia/Shanghai
        for (int h = 0; h < 10; h++)
        {
            await SendHourlyAsync(service, day.AddHours(h), 1, h % 2 == 0 ? 80m : 20m); // five one-hour episodes above 35
        }

        string period = $"from={day:yyyy-MM-dd}&to={day.AddDays(1):yyyy-MM-dd}";
        using var inspector = Client(service, Inspector);
        var all = await inspector.GetFromJsonAsync<JsonElement>($"/api/exceedances?{period}");
        Assert.Equal(5, all.GetArrayLength());
        var page = await inspector.GetAsync($"/api/exceedances?{period}&limit=2&offset=1");
        Assert.Equal("5", page.Headers.GetValues("X-Total-Count").Single());
        var rows = await page.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(new[] { all[1].GetProperty("start").GetString()!, all[2].GetProperty("start").GetString()! },
            rows.EnumerateArray().Select(r => r.GetProperty("start").GetString()!).ToArray());
        using var other = Client(service, Enterprise2);
        var theirs = await other.GetAsync($"/api/exceedances?{period}");
        Assert.Equal("0", theirs.Headers.GetValues("X-Total-Count").Single());

        // Pages come from the list computed once for the facts as they are; a commit with an hourly record changes them.
        await SendHourlyAsync(service, day.AddHours(20), 1, 90m);
        var after = await inspector.GetAsync($"/api/exceedances?{period}&limit=1");
        Assert.Equal("6", after.Headers.GetValues("X-Total-Count").Single());
        await SendHourlyAsync(service, day.AddHours(21), 1, 95m); // joins the last episode
        var joined = await inspector.GetFromJsonAsync<JsonElement>($"/api/exceedances?{period}&limit=10&offset=5");
        Assert.Equal(2, joined[0].GetProperty("periods").GetInt32());
    }

    /// <summary>Hourly SO2 records of the gas outlet over the TCP link, each answered (9014) after its commit.</summary>
    private static Task SendHourlyAsync(ServiceFixture service, DateTime first, int hours, decimal so2) =>
        GatewayClient.SendAcknowledgedAsync(service.GatewayPort, Enumerable.Range(0, hours).Select(h =>
            Some.Hourly(at: first.AddHours(h), flag: 5).Value("a21026", "Avg", so2).Value("a21026", "Flag", "N").Build().ToString()));

    private static async Task<(long Id, string Data)> ReadEventAsync(StreamReader reader, string type)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        long id = 0;
        string? eventType = null;
        while (true)
        {
            string? line = await reader.ReadLineAsync(timeout.Token);
            Assert.NotNull(line);
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventType = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventType == type)
            {
                return (id, line[6..]);
            }
        }
    }
}
