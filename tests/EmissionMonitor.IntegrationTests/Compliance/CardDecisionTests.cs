using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EmissionMonitor.Hj212.Encoders;

namespace EmissionMonitor.IntegrationTests.Compliance;

/// <summary>Operators decide proposed cards (confirm, dismiss), with the contract's 404/409 rules and escalation.</summary>
public sealed class CardDecisionTests
{
    private const string Operator = "operator-token-1", Inspector = "inspector-token-1";

    private static string Hour(DateTime t, decimal so2) =>
        new Hj212Builder { St = "31", Cn = "2061", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }.DataTime(t).Value("a21026", "ZsAvg", so2).Value("a21026", "Flag", "N").Build().ToString();

    /// <summary>
    /// SO2 above its limit in 25 % of the received hours of 2025Q2 and Q3, so Q2 is yellow and Q3 red.
    /// Q3's odd hours are missing; they come late (below the limit) in one test, and take Q3's rate to 12.5 %.
    /// </summary>
    private static Task<ServiceFixture> StartAsync() => ServiceFixture.StartAsync(new Dictionary<string, string?>
    {
        ["Api:Users:0:Token"] = Operator, ["Api:Users:0:Role"] = "operator", ["Api:Users:0:Name"] = "王工",
        ["Api:Users:1:Token"] = Inspector, ["Api:Users:1:Role"] = "inspector",
        ["Gateway:Port"] = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
    }, prepare: async (config, data) =>
    {
        var frames = new StringBuilder();
        for (var t = new DateTime(2025, 4, 1); t < new DateTime(2025, 7, 1); t = t.AddHours(1))
        {
            frames.Append(Hour(t, t.Hour % 4 == 0 ? 50m : 20m));
        }

        for (var t = new DateTime(2025, 7, 1); t < new DateTime(2025, 10, 1); t = t.AddHours(2))
        {
            frames.Append(Hour(t, t.Hour % 8 == 0 ? 50m : 20m));
        }

        string file = Path.Combine(Some.TempDirectory(), "frames.h212");
        await File.WriteAllTextAsync(file, frames.ToString());
        Assert.Equal(0, (await CliRunner.RunAsync(["import", file, "--config", config, "--data", data])).ExitCode);
    });

    /// <summary>Q3's missing (odd) hours arrive late over the TCP link, below the limit: Q3's exceedance rate falls to 12.5 %.</summary>
    private static async Task SendLateQ3HoursAsync(ServiceFixture service)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
        var late = new StringBuilder();
        for (var t = new DateTime(2025, 7, 1, 1, 0, 0); t < new DateTime(2025, 10, 1); t = t.AddHours(2))
        {
            late.Append(Hour(t, 20m));
        }

        await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(late.ToString()));
        await Waiting.UntilAsync(async () => (await service.CountsAsync()).Readings >= (91 + 92) * 24, TimeSpan.FromSeconds(30), "the late hours stored");
    }

    private static HttpClient Client(ServiceFixture service, string token = Operator)
    {
        var client = new HttpClient { BaseAddress = service.HttpBase };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<Dictionary<string, JsonElement>> CardsAsync(HttpClient http) =>
        JsonDocument.Parse(await http.GetStringAsync("/api/cards?from=2025-04-01&to=2025-10-01")).RootElement.EnumerateArray()
            .ToDictionary(c => c.GetProperty("quarter").GetString()!, c => c.Clone());

    private static async Task<HttpStatusCode> PostAsync(HttpClient http, string path, string comment = "x") =>
        (await http.PostAsJsonAsync(path, new { comment })).StatusCode;

    [Fact]
    public async Task ConfirmAndDismiss_DecideAProposedCard_OnlyOnce_AndADismissedCardNeitherEscalatesNorLifts()
    {
        await using var service = await StartAsync();
        using var http = Client(service);
        var cards = await CardsAsync(http);
        Assert.Equal(("yellow", "red"), (cards["2025Q2"].GetProperty("card").GetString(), cards["2025Q3"].GetProperty("card").GetString()));
        Assert.Equal("proposed", cards["2025Q2"].GetProperty("decision").GetString());
        Assert.Equal(JsonValueKind.Null, cards["2025Q2"].GetProperty("decidedBy").ValueKind);
        Assert.Equal("2025-09-30", cards["2025Q2"].GetProperty("rectifyBy").GetString());
        Assert.True(cards["2025Q2"].GetProperty("conditionsMet").GetBoolean());

        using var inspector = Client(service, Inspector);
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(inspector, "/api/cards/QH-XN-001/2025Q2/dismiss"));
        Assert.Equal(HttpStatusCode.NotFound, await PostAsync(http, "/api/cards/QH-XN-001/2025Q1/confirm")); // never proposed
        Assert.Equal(HttpStatusCode.NotFound, await PostAsync(http, "/api/cards/QH-XN-002/2025Q2/dismiss"));

        var dismissed = await http.PostAsJsonAsync("/api/cards/QH-XN-001/2025Q2/dismiss", new { comment = "数据异常已核实" });
        Assert.Equal(HttpStatusCode.OK, dismissed.StatusCode);
        var body = JsonDocument.Parse(await dismissed.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("dismissed", "王工", "数据异常已核实"), (body.GetProperty("decision").GetString(), body.GetProperty("decidedBy").GetString(), body.GetProperty("decisionComment").GetString()));

        cards = await CardsAsync(http);
        Assert.Equal("dismissed", cards["2025Q2"].GetProperty("decision").GetString());
        Assert.Equal("yellow", cards["2025Q3"].GetProperty("card").GetString()); // a dismissed card does not escalate
        Assert.Equal(HttpStatusCode.Conflict, await PostAsync(http, "/api/cards/QH-XN-001/2025Q2/confirm")); // decided already
        Assert.Equal(HttpStatusCode.Conflict, await PostAsync(http, "/api/cards/QH-XN-001/2025Q2/dismiss"));
        Assert.Equal(HttpStatusCode.Conflict, await PostAsync(http, "/api/cards/QH-XN-001/2025Q2/lift")); // nothing to lift

        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, "/api/cards/QH-XN-001/2025Q3/confirm"));
        cards = await CardsAsync(http);
        Assert.Equal(("confirmed", "王工"), (cards["2025Q3"].GetProperty("decision").GetString(), cards["2025Q3"].GetProperty("decidedBy").GetString()));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, "/api/cards/QH-XN-001/2025Q3/lift")); // a confirmed card can be lifted
        Assert.Equal(HttpStatusCode.Conflict, await PostAsync(http, "/api/cards/QH-XN-001/2025Q3/dismiss")); // lifted: no longer proposed
    }

    [Fact]
    public async Task AConfirmedCard_StaysListedWithConditionsMetFalse_WhenLateDataRemovesItsConditions_UntilLifted()
    {
        await using var service = await StartAsync();
        using var http = Client(service);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, "/api/cards/QH-XN-001/2025Q3/confirm"));
        // Q3's missing hours arrive late (back-filled), below the limit: its exceedance rate falls to 12.5 %.
        await SendLateQ3HoursAsync(service);

        Dictionary<string, JsonElement> cards = [];
        await Waiting.UntilAsync(async () => !(cards = await CardsAsync(http))["2025Q3"].GetProperty("conditionsMet").GetBoolean(), TimeSpan.FromSeconds(30),
            "the confirmed card without its conditions");
        Assert.Equal(("confirmed", "red"), (cards["2025Q3"].GetProperty("decision").GetString(), cards["2025Q3"].GetProperty("card").GetString()));
        Assert.StartsWith("exceedance-rate:a21026:QHXN0010001:", cards["2025Q3"].GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, "/api/cards/QH-XN-001/2025Q3/lift"));
        Assert.False((await CardsAsync(http)).ContainsKey("2025Q3")); // lifted, without conditions: no longer listed
    }

    private static async Task<JsonElement> PublishAsync(HttpClient http, string quarter, string? city)
    {
        var response = await http.PostAsJsonAsync("/api/publications", new { quarter, city });
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task APublication_IsAnImmutableSnapshotOfTheConfirmedCards_WithLaterLiftsAsUpdates_AndVersions()
    {
        await using var service = await StartAsync();
        using var http = Client(service);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, "/api/cards/QH-XN-001/2025Q2/confirm"));
        var first = await PublishAsync(http, "2025Q2", "西宁市");
        Assert.Equal((1, "西宁市", "王工"), (first.GetProperty("version").GetInt32(), first.GetProperty("city").GetString(), first.GetProperty("publishedBy").GetString()));
        var card = first.GetProperty("cards").EnumerateArray().Single();
        Assert.Equal(("QH-XN-001", "西宁某热电有限公司", "yellow", "2025-09-30"),
            (card.GetProperty("enterprise").GetString(), card.GetProperty("enterpriseName").GetString(), card.GetProperty("card").GetString(), card.GetProperty("rectifyBy").GetString()));
        Assert.Equal("排口 QHXN0010001 二氧化硫超标率 25.0%（达到或超过 20%）", card.GetProperty("reasons")[0].GetProperty("zh").GetString());
        Assert.Equal("outlet QHXN0010001: sulphur dioxide exceedance rate 25.0% (at or above 20%)", card.GetProperty("reasons")[0].GetProperty("en").GetString());
        Assert.Equal(1.0 / 3, card.GetProperty("effectiveRate").GetDouble(), 6); // SO2 sent, NOx and dust (also limited) not: a third of the pollutant-hours
        Assert.DoesNotContain("西宁某污水处理厂", first.GetRawText(), StringComparison.Ordinal); // no enterprise that is not listed is named
        Assert.Equal("西宁市", first.GetProperty("cities")[0].GetProperty("city").GetString());

        // The province's list for Q3 (nothing confirmed there) keeps the cities' rates of the day it was published.
        var province = await PublishAsync(http, "2025Q3", null);
        Assert.Equal(0, province.GetProperty("cards").GetArrayLength());
        double rateThen = province.GetProperty("cities")[0].GetProperty("effectiveRate").GetDouble();
        await SendLateQ3HoursAsync(service);

        var live = JsonDocument.Parse(await http.GetStringAsync("/api/rates?quarter=2025Q3&by=city")).RootElement[0].GetProperty("effectiveRate").GetDouble();
        Assert.True(live > rateThen, $"the late data raised the live rate ({rateThen} → {live})");

        // A later lift: an update with its date, the snapshot unchanged; publishing again: version 2.
        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, "/api/cards/QH-XN-001/2025Q2/lift", "整改完成"));
        var second = await PublishAsync(http, "2025Q2", "西宁市");
        Assert.Equal(2, second.GetProperty("version").GetInt32());
        Assert.Equal(JsonValueKind.Object, second.GetProperty("cards")[0].GetProperty("lifted").ValueKind);

        using var anonymous = new HttpClient { BaseAddress = service.HttpBase };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/publications")).StatusCode);
        string publicJson = await anonymous.GetStringAsync("/api/public/publications");
        Assert.DoesNotContain("王工", publicJson, StringComparison.Ordinal); // no operator names for the public
        Assert.DoesNotContain("publishedBy", publicJson, StringComparison.Ordinal);
        Assert.DoesNotContain("整改完成", publicJson, StringComparison.Ordinal); // the lift's comment is the operators' text, not published
        var all = JsonDocument.Parse(publicJson).RootElement.EnumerateArray().ToDictionary(p => (p.GetProperty("quarter").GetString(), p.GetProperty("version").GetInt32(),
            p.GetProperty("city").ValueKind == JsonValueKind.Null ? "province" : p.GetProperty("city").GetString()), p => p.Clone());
        var v1 = all[("2025Q2", 1, "西宁市")];
        Assert.False(v1.GetProperty("latest").GetBoolean());
        Assert.True(all[("2025Q2", 2, "西宁市")].GetProperty("latest").GetBoolean());
        Assert.Equal(card.GetRawText(), v1.GetProperty("cards")[0].GetRawText()); // never changed
        var update = v1.GetProperty("updates").EnumerateArray().Single();
        Assert.Equal(("lifted", "西宁某热电有限公司"), (update.GetProperty("kind").GetString(), update.GetProperty("enterpriseName").GetString()));
        Assert.Equal(rateThen, all[("2025Q3", 1, "province")].GetProperty("cities")[0].GetProperty("effectiveRate").GetDouble());

        // Downloads for the public: CSV with a BOM, an Excel workbook.
        string id = v1.GetProperty("id").GetString()!;
        var csv = await anonymous.GetByteArrayAsync($"/api/public/publications/{id}?format=csv");
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
        string csvText = Encoding.UTF8.GetString(csv);
        Assert.Contains("西宁某热电有限公司", csvText, StringComparison.Ordinal);
        Assert.DoesNotContain("QH-XN-001", csvText, StringComparison.Ordinal); // no registry id in what the public downloads
        Assert.Matches(@",\d{1,3}\.\d%,", csvText); // the rate as a percentage
        Assert.Matches(@"^〔\d{4}〕\d+号$", v1.GetProperty("documentNumber").GetString());
        Assert.Equal("省生态环境厅", v1.GetProperty("authority").GetString());
        Assert.Equal("2025-07-01T00:00:00", v1.GetProperty("dataUpTo").GetString()); // published after the quarter: its data up to its end
        Assert.True(v1.GetProperty("quarterEnded").GetBoolean());
        var xlsx = await anonymous.GetByteArrayAsync($"/api/public/publications/{id}?format=xlsx&lang=en");
        using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(xlsx)))
        {
            using var reader = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
            string sheet = await reader.ReadToEndAsync();
            Assert.Contains("Enterprise", sheet, StringComparison.Ordinal);
            Assert.DoesNotContain("QH-XN-001", sheet, StringComparison.Ordinal);
            Assert.Contains("西宁某热电有限公司", sheet, StringComparison.Ordinal);
            System.Xml.Linq.XDocument.Parse(sheet); // well-formed
        }

        // The contract's refusals.
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/api/publications", new { quarter = "2025Q5" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/api/publications", new { quarter = "2025Q2", city = "no such city" })).StatusCode);
        // A quarter that has not ended, or whose data is not settled (Publications:SettleAfter, 3 days), needs force=true.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime;
        string current = EmissionMonitor.Compliance.ReportPeriod.QuarterName(today);
        var early = await http.PostAsJsonAsync("/api/publications", new { quarter = current });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        var problem = JsonDocument.Parse(await early.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("not-ended", "force"), (problem.GetProperty("code").GetString(), problem.GetProperty("parameter").GetString()));
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/publications", new { quarter = current, force = true })).StatusCode);
        if (today < EmissionMonitor.Compliance.ReportPeriod.QuarterOf(today).From.AddDays(3))
        {
            string previous = EmissionMonitor.Compliance.ReportPeriod.QuarterName(today.AddMonths(-3));
            var unsettled = await http.PostAsJsonAsync("/api/publications?force=false", new { quarter = previous });
            Assert.Equal("not-settled", JsonDocument.Parse(await unsettled.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        }

        using var inspector = Client(service, Inspector);
        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.PostAsJsonAsync("/api/publications", new { quarter = "2025Q2" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await inspector.GetAsync("/api/publications")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/public/publications/pub-nope")).StatusCode);
    }

    [Fact]
    public async Task ThePublicPage_ShowsThePublishedLists_WithoutLogin_InARealBrowser()
    {
        await using var service = await StartAsync(); // API users configured: everything else needs a token
        using var http = Client(service);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, "/api/cards/QH-XN-001/2025Q2/confirm"));
        await PublishAsync(http, "2025Q2", "西宁市");
        await PublishAsync(http, "2025Q2", "西宁市");
        await PublishAsync(http, "2025Q3", null);
        string root = EmissionMonitor.IntegrationTests.Dashboard.BrowserTests.RepositoryRoot();
        string shots = Environment.GetEnvironmentVariable("EM_SCREENSHOTS") ?? Some.TempDirectory();
        string output = await EmissionMonitor.IntegrationTests.Dashboard.BrowserTests.RunNodeAsync(root, "public.mjs", service.HttpBase.ToString().TrimEnd('/'), "西宁某热电有限公司", shots);
        Assert.Contains("ok  the published enterprise 西宁某热电有限公司 is listed, without login", output, StringComparison.Ordinal);
        Assert.Contains("ok  the rest of the API still answers 401", output, StringComparison.Ordinal);
        Assert.Contains("ok  printed, each list is a page of its own", output, StringComparison.Ordinal);
        Assert.Contains("ok  one list at a time, chosen by quarter and city", output, StringComparison.Ordinal);
        Assert.Contains("ok  the search by enterprise name", output, StringComparison.Ordinal);
        Assert.Contains("ok  at 390 px the public page is no wider than the screen", output, StringComparison.Ordinal);
    }
}
