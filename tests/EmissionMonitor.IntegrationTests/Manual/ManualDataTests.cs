using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace EmissionMonitor.IntegrationTests.Manual;

/// <summary>
/// Manual monitoring data (issue 31 item 5, DOMAIN.md §0.2) through the service as its users drive
/// it: an enterprise files hand samples with their report inside a fault mark, an operator approves
/// them, and only then the hours they stand for are received and excused for the rate, judged for
/// exceedance (source manual) and used for totals before substitution — every figure equal to the
/// arithmetic written out here; every refusal with its parameter; revoking restores the figures.
/// </summary>
public sealed class ManualDataTests
{
    private const string Operator = "operator-token-1", Inspector = "inspector-token-1", Enterprise1 = "enterprise-token-1", Enterprise2 = "enterprise-token-2";
    private const string Mn = "QHXN0010001", So2 = "a21026";

    private static readonly byte[] Report = "%PDF-1.4 检测报告 2025-07-01"u8.ToArray();

    private static Task<ServiceFixture> StartAsync() => ServiceFixture.StartAsync(new Dictionary<string, string?>
    {
        ["Api:Users:0:Token"] = Operator, ["Api:Users:0:Role"] = "operator", ["Api:Users:0:Name"] = "王工",
        ["Api:Users:1:Token"] = Inspector, ["Api:Users:1:Role"] = "inspector",
        ["Api:Users:2:Token"] = Enterprise1, ["Api:Users:2:Role"] = "enterprise", ["Api:Users:2:Enterprise"] = "QH-XN-001",
        ["Api:Users:3:Token"] = Enterprise2, ["Api:Users:3:Role"] = "enterprise", ["Api:Users:3:Enterprise"] = "QH-XN-002",
    });

    /// <summary>
    /// 2025-07-01 at the gas outlet: every hour flow 10 m³/s (36,000 m³ an hour) and O2; SO2 20 mg/m³
    /// (ZsAvg) except hours 8–13, when the analyser was down and sent no SO2 at all.
    /// </summary>
    private static Task SendDayAsync(ServiceFixture service) =>
        GatewayClient.SendAcknowledgedAsync(service.GatewayPort, Enumerable.Range(0, 24).Select(h =>
        {
            var frame = Some.Hourly(at: new DateTime(2025, 7, 1, h, 0, 0), flag: 5).Value("a00000", "Avg", 10m).Value("a00000", "Flag", "N");
            return (h is < 8 or > 13 ? frame.Value(So2, "Avg", 20m).Value(So2, "ZsAvg", 20m).Value(So2, "Flag", "N") : frame).Build().ToString();
        }));

    private static async Task<(HttpStatusCode Status, JsonElement Body)> FileAsync(HttpClient http, Dictionary<string, string> fields, byte[]? report = null, string type = "application/pdf")
    {
        using var form = new MultipartFormDataContent();
        foreach (var (k, v) in fields)
        {
            form.Add(new StringContent(v), k);
        }

        if (report is not null)
        {
            var file = new ByteArrayContent(report);
            file.Headers.ContentType = new MediaTypeHeaderValue(type);
            form.Add(file, "report", type == "application/pdf" ? "监测报告.pdf" : "photo.png");
        }

        var response = await http.PostAsync("/api/manual-data", form);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    private static Dictionary<string, string> Sample(string at, string value, string? flow = null, string mn = Mn, string unit = "mg/m3")
    {
        var fields = new Dictionary<string, string> { ["mn"] = mn, ["pollutant"] = So2, ["sampledAt"] = at, ["value"] = value, ["unit"] = unit, ["comment"] = "第三方检测" };
        if (flow is not null)
        {
            fields["flow"] = flow;
        }

        return fields;
    }

    private const string Day = "from=2025-07-01&to=2025-07-02";

    private static async Task<JsonElement> RateAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>($"/api/rates?{Day}&mn={Mn}&pollutant={So2}&by=pollutant"))[0];

    private static async Task<JsonElement> TotalAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>($"/api/totals?{Day}&mn={Mn}&pollutant={So2}&by=pollutant"))[0];

    private static async Task<JsonElement> ExceedancesAsync(HttpClient http) =>
        await http.GetFromJsonAsync<JsonElement>($"/api/exceedances?{Day}&mn={Mn}&pollutant={So2}");

    private static (int, int, int, int) Counts(JsonElement rate) =>
        (rate.GetProperty("expected").GetInt32(), rate.GetProperty("received").GetInt32(), rate.GetProperty("excused").GetInt32(), rate.GetProperty("valid").GetInt32());

    [Fact]
    public async Task ApprovedSamples_StandForTheirHours_InRatesExceedancesAndTotals_AndOnlyWhileApproved()
    {
        await using var service = await StartAsync();
        using var op = ApiCalls.Client(service.HttpBase, Operator);
        using var inspector = ApiCalls.Client(service.HttpBase, Inspector);
        using var mine = ApiCalls.Client(service.HttpBase, Enterprise1);
        using var other = ApiCalls.Client(service.HttpBase, Enterprise2);
        await SendDayAsync(service);

        // Before anything: 18 of 24 hours received, all valid; 18 × 20 mg/m³ × 36,000 m³ = 12.96 kg; no exceedance.
        const double measured = 18 * 20 * 36_000 * 1e-6;
        Assert.Equal((24, 18, 0, 18), Counts(await RateAsync(op)));
        Assert.Equal(measured, (await TotalAsync(op)).GetProperty("kg").GetDouble(), 9);
        Assert.Equal(0, (await ExceedancesAsync(op)).GetArrayLength());

        // No mark yet: a sample needs an outage or fault mark of the outlet to lie in.
        var (noMark, why) = await FileAsync(mine, Sample("2025-07-01T08:10", "40", flow: "30000"), Report);
        Assert.Equal(HttpStatusCode.BadRequest, noMark);
        Assert.Contains("sampledAt", why.GetProperty("title").GetString(), StringComparison.Ordinal);
        var (markFiled, mark) = await ApiCalls.PostAsync(mine, "/api/marks", new { mn = Mn, kind = "fault", from = "2025-07-01T08:00", to = "2025-07-01T14:00", comment = "SO2分析仪故障" });
        Assert.Equal(HttpStatusCode.Created, markFiled);
        string markId = mark.GetProperty("id").GetString()!;

        // Refusals, each naming what is wrong; nothing is kept of them.
        Assert.Equal(HttpStatusCode.Forbidden, (await FileAsync(inspector, Sample("2025-07-01T08:10", "40"), Report)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await FileAsync(other, Sample("2025-07-01T08:10", "40"), Report)).Status);
        foreach (var (fields, file, type, parameter) in new (Dictionary<string, string>, byte[]?, string, string)[]
        {
            (Sample("2025-07-01T08:10", "40"), null, "application/pdf", "report"),
            (Sample("2025-07-01T08:10", "40"), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 73, 72, 68, 82], "image/png", "report"),
            (Sample("2025-07-01T08:10", "40", unit: "mg/L"), Report, "application/pdf", "unit"),
            (Sample("2025-07-01T08:10", "-1"), Report, "application/pdf", "value"),
            (Sample("2025-07-01T08:10", "NaN"), Report, "application/pdf", "value"),
            (Sample("2025-07-01T08:10", "40", flow: "0"), Report, "application/pdf", "flow"),
            (Sample("2025-07-01 8点", "40"), Report, "application/pdf", "sampledAt"),
            (Sample("2025-07-01T15:00", "40"), Report, "application/pdf", "sampledAt"),
            (Sample("2999-07-01T08:10", "40"), Report, "application/pdf", "sampledAt"),
            (new Dictionary<string, string>(Sample("2025-07-01T08:10", "40")) { ["pollutant"] = "w01018" }, Report, "application/pdf", "pollutant"),
        })
        {
            var (status, problem) = await FileAsync(mine, fields, file, type);
            Assert.True(status == HttpStatusCode.BadRequest, $"{parameter}: {status} {problem}");
            Assert.Contains(parameter, problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await ApiCalls.PostAsync(mine, "/api/manual-data", new { mn = Mn })).Status);
        Assert.Equal(0, (await op.GetFromJsonAsync<JsonElement>($"/api/manual-data?{Day}")).GetArrayLength());

        // Two samples, the first with its flow measured, the second without (the flow of the hours around serves).
        var (created, first) = await FileAsync(mine, Sample("2025-07-01T08:10", "40", flow: "30000"), Report);
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(("pending", markId, "2025-07-01T08:00:00", "2025-07-01T14:00:00"), (first.GetProperty("state").GetString(), first.GetProperty("markId").GetString(),
            first.GetProperty("coverFrom").GetString(), first.GetProperty("coverTo").GetString())); // 6 hours, within the mark
        string firstId = first.GetProperty("id").GetString()!;
        var (_, second) = await FileAsync(mine, Sample("2025-07-01T11:05", "30"), Report);
        string secondId = second.GetProperty("id").GetString()!;
        Assert.Equal("%PDF-1.4 检测报告 2025-07-01", await mine.GetStringAsync(first.GetProperty("evidence")[0].GetProperty("href").GetString()));

        // Pending: no figure changes. Another enterprise neither sees nor touches them; only operators decide.
        Assert.Equal((24, 18, 0, 18), Counts(await RateAsync(op)));
        Assert.Equal(0, (await other.GetFromJsonAsync<JsonElement>($"/api/manual-data?{Day}")).GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/manual-data/{firstId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ApiCalls.PostAsync(other, $"/api/manual-data/{firstId}/revoke")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await ApiCalls.PostAsync(mine, $"/api/manual-data/{firstId}/approve")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await ApiCalls.PostAsync(inspector, $"/api/manual-data/{firstId}/approve")).Status);
        Assert.Equal(2, (await inspector.GetFromJsonAsync<JsonElement>($"/api/manual-data?{Day}&state=pending")).GetArrayLength());

        Assert.Equal(HttpStatusCode.OK, (await ApiCalls.PostAsync(op, $"/api/manual-data/{firstId}/approve", new { comment = "报告属实" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await ApiCalls.PostAsync(op, $"/api/manual-data/{secondId}/approve")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await ApiCalls.PostAsync(op, $"/api/manual-data/{secondId}/approve")).Status);

        // Rate: hours 8–13 received and excused → 24/24 received, validity 18/18.
        var rate = await RateAsync(op);
        Assert.Equal((24, 24, 6, 18), Counts(rate));
        Assert.Equal(1.0, rate.GetProperty("effectiveRate").GetDouble(), 12);
        var hours = await op.GetFromJsonAsync<JsonElement>($"/api/hours?from=2025-07-01T08:00&to=2025-07-01T14:00&mn={Mn}&pollutant={So2}");
        Assert.All(hours.EnumerateArray(), h => Assert.Equal(("excused", "manual-data"), (h.GetProperty("state").GetString(), h.GetProperty("reason").GetString())));

        // Exceedance: the first sample (40 > 35) stands for hours 8–10 (cut at the second's hour): one episode, source manual.
        var episodes = await ExceedancesAsync(op);
        Assert.Equal(1, episodes.GetArrayLength());
        var e = episodes[0];
        Assert.Equal(("manual", "manual", 3, 40.0), (e.GetProperty("source").GetString(), e.GetProperty("valueKind").GetString(), e.GetProperty("periods").GetInt32(), e.GetProperty("peak").GetDouble()));
        Assert.StartsWith("2025-07-01T08:00:00", e.GetProperty("start").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("2025-07-01T11:00:00", e.GetProperty("end").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, (await op.GetFromJsonAsync<JsonElement>($"/api/exceedances?{Day}&limit=1&offset=0")).GetArrayLength()); // the paged count path agrees

        // Totals: hours 8–10 at 40 mg/m³ over the 30,000 m³ measured; 11–13 at 30 mg/m³ over the neighbours' 36,000 m³.
        const double manualKg = (3 * 40 * 30_000 * 1e-6) + (3 * 30 * 36_000 * 1e-6);
        var total = await TotalAsync(op);
        Assert.Equal(measured, total.GetProperty("kg").GetDouble(), 9);
        Assert.Equal(manualKg, total.GetProperty("manualKg").GetDouble(), 9);
        Assert.Equal(6, total.GetProperty("manualHours").GetInt32());
        Assert.Equal((0.0, 0, 0.0), (total.GetProperty("substitutedKg").GetDouble(), total.GetProperty("substitutedHours").GetInt32(), total.GetProperty("missingShare").GetDouble()));
        Assert.Equal(measured + manualKg, total.GetProperty("reportedKg").GetDouble(), 9);

        // The list (API, CSV and the command line) says what each sample stands for now.
        var list = await op.GetFromJsonAsync<JsonElement>($"/api/manual-data?{Day}&mn={Mn}");
        Assert.Equal([(firstId, "approved", 3), (secondId, "approved", 3)],
            list.EnumerateArray().Select(r => (r.GetProperty("id").GetString(), r.GetProperty("state").GetString(), r.GetProperty("hoursStood").GetInt32())).ToArray());
        Assert.Contains("hoursStood", await op.GetStringAsync($"/api/manual-data?{Day}&format=csv&columns=raw"), StringComparison.Ordinal);
        string config = Path.Combine(Path.GetDirectoryName(service.DataDirectory)!, "config");
        var cli = await CliRunner.RunAsync(["report", "manual", "--from", "2025-07-01", "--to", "2025-07-02", "--state", "approved", "--format", "json", "--config", config, "--data", service.DataDirectory]);
        Assert.True(cli.ExitCode == 0, cli.StdErr);
        Assert.Equal(new[] { firstId, secondId }, JsonDocument.Parse(cli.StdOut).RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToArray());

        // Revoked: the second sample's hours fall back to missing; the first now stands to the mark's end (hours 8–13).
        Assert.Equal(HttpStatusCode.Forbidden, (await ApiCalls.PostAsync(mine, $"/api/manual-data/{secondId}/revoke")).Status); // an enterprise withdraws only pending ones
        var (revoked, gone) = await ApiCalls.PostAsync(op, $"/api/manual-data/{secondId}/revoke", new { comment = "报告与台账不符" });
        Assert.Equal((HttpStatusCode.OK, "revoked"), (revoked, gone.GetProperty("state").GetString()));
        Assert.Equal(new[] { "filed", "approved", "revoked" }, gone.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()!).ToArray());
        Assert.Equal((24, 24, 6, 18), Counts(await RateAsync(op)));
        Assert.Equal(6, (await ExceedancesAsync(op))[0].GetProperty("periods").GetInt32());
        Assert.Equal(6 * 40 * 30_000 * 1e-6, (await TotalAsync(op)).GetProperty("manualKg").GetDouble(), 9);

        // A pending sample withdrawn by its enterprise changes nothing.
        var (_, third) = await FileAsync(mine, Sample("2025-07-01T12:30", "10"), Report);
        var (withdrawn, w) = await ApiCalls.PostAsync(mine, $"/api/manual-data/{third.GetProperty("id").GetString()}/revoke");
        Assert.Equal((HttpStatusCode.OK, "withdrawn"), (withdrawn, w.GetProperty("state").GetString()));
        Assert.Equal(6, (await ExceedancesAsync(op))[0].GetProperty("periods").GetInt32());

        // The first revoked too: every figure is as before any sample.
        await ApiCalls.PostAsync(op, $"/api/manual-data/{firstId}/revoke", new { comment = "撤销" });
        Assert.Equal((24, 18, 0, 18), Counts(await RateAsync(op)));
        Assert.Equal(0, (await ExceedancesAsync(op)).GetArrayLength());
        Assert.Equal(0.0, (await TotalAsync(op)).GetProperty("manualKg").GetDouble());
    }
}
