using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmissionMonitor.Alerts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EmissionMonitor.IntegrationTests.Alerts;

/// <summary>
/// Handling an alert as a duty operator does — acknowledge with a comment and a verdict, assign,
/// dispose, make an order — recorded step by step, and the handling figures (响应率, 响应超时率,
/// 核实率, 处置率) over a scripted day equal an independent count. The service runs on a fake clock.
/// </summary>
public sealed class AlertHandlingTests
{
    private const string Operator = "operator-token-1", Inspector = "inspector-token-1", Enterprise = "enterprise-token-1";

    private const string Registry = """
        { "enterprises": [
          { "id": "E1", "name": "甲热电", "city": "西宁市", "outlets": [ { "mn": "MN00000000000001", "password": "123456", "kind": "gas", "name": "1号排口", "limits": { "a21026": 35 } } ] },
          { "id": "E2", "name": "乙化工", "city": "西宁市", "outlets": [ { "mn": "MN00000000000002", "password": "123456", "kind": "gas", "name": "2号排口", "limits": { "a21026": 35 } } ] },
          { "id": "E3", "name": "丙水泥", "city": "海东市", "outlets": [ { "mn": "MN00000000000003", "password": "123456", "kind": "gas", "name": "3号排口", "limits": { "a21026": 35 } } ] } ] }
        """;

    private static async Task<(ServiceFixture Service, FakeTimeProvider Clock)> StartAsync(Dictionary<string, string?>? extra = null)
    {
        string registry = Path.Combine(Some.TempDirectory(), "stations.json");
        await File.WriteAllTextAsync(registry, Registry);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var values = new Dictionary<string, string?>
        {
            ["Api:Users:0:Token"] = Operator, ["Api:Users:0:Role"] = "operator", ["Api:Users:0:Name"] = "王工",
            ["Api:Users:1:Token"] = Inspector, ["Api:Users:1:Role"] = "inspector", ["Api:Users:1:Name"] = "李队",
            ["Api:Users:2:Token"] = Enterprise, ["Api:Users:2:Role"] = "enterprise", ["Api:Users:2:Enterprise"] = "E3", ["Api:Users:2:Name"] = "丙水泥环保员",
            ["Alerts:RequireComment"] = "true", ["Alerts:SilentAfter"] = "30.00:00:00", ["Alerts:MaxNewPerOutletPerHour"] = "0",
        };
        foreach (var (k, v) in extra ?? [])
        {
            values[k] = v;
        }

        var service = await ServiceFixture.StartAsync(values, registryPath: registry, services: s => s.AddSingleton<TimeProvider>(clock));
        return (service, clock);
    }

    [Fact]
    public async Task EveryStepIsRecorded_WithWhoAndWhen_AndTheRulesOfEachStepHold()
    {
        var (service, clock) = await StartAsync();
        await using var _ = service;
        var alerts = service.App.Services.GetRequiredService<AlertService>();
        var registry = service.App.Services.GetRequiredService<Func<EmissionMonitor.Registry.StationRegistry>>()();
        var outlet = registry.FindOutlet("MN00000000000001")!;
        var raised = await alerts.RaiseAsync(AlertDraft.For(AlertKinds.Exceedance, outlet, registry.FindEnterprise("E1"), "a21026", 80, 35, clock.GetUtcNow().AddHours(-1), "SO2 80 > 35"), CancellationToken.None);
        string id = raised!.Id;
        using var op = ApiCalls.Client(service.HttpBase, Operator);
        using var inspector = ApiCalls.Client(service.HttpBase, Inspector);

        // A comment is required (Alerts:RequireComment); a verdict must be one of the four; inspectors do not handle alerts.
        var (status, body) = await ApiCalls.PostAsync(op, $"/api/alerts/{id}/acknowledge", new { });
        Assert.Equal((HttpStatusCode.BadRequest, "comment"), (status, body.GetProperty("parameter").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await ApiCalls.PostAsync(op, $"/api/alerts/{id}/acknowledge", new { comment = "已电话核实", verdict = "maybe" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await ApiCalls.PostAsync(inspector, $"/api/alerts/{id}/acknowledge", new { comment = "x" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await ApiCalls.PostAsync(op, "/api/alerts/acknowledge", new { ids = new[] { id } })).Status);

        clock.Advance(TimeSpan.FromMinutes(20));
        (status, body) = await ApiCalls.PostAsync(op, $"/api/alerts/{id}/acknowledge", new { comment = "已电话核实，脱硫塔循环泵故障", verdict = "real" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("acknowledged", "real", "王工"), (body.GetProperty("state").GetString(), body.GetProperty("verdict").GetString(), body.GetProperty("acknowledgedBy").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, (await ApiCalls.PostAsync(op, $"/api/alerts/{id}/acknowledge", new { comment = "again" })).Status);

        // Assign to a user of the service (an unknown name is refused), dispose with what was done.
        Assert.Equal(HttpStatusCode.BadRequest, (await ApiCalls.PostAsync(op, $"/api/alerts/{id}/assign", new { assignee = "nobody" })).Status);
        (status, body) = await ApiCalls.PostAsync(op, $"/api/alerts/{id}/assign", new { assignee = "李队", comment = "请现场检查" });
        Assert.Equal((HttpStatusCode.OK, "李队"), (status, body.GetProperty("assignee").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await ApiCalls.PostAsync(op, $"/api/alerts/{id}/dispose", new { })).Status);
        clock.Advance(TimeSpan.FromHours(3));
        (status, body) = await ApiCalls.PostAsync(op, $"/api/alerts/{id}/dispose", new { comment = "企业已停炉检修，循环泵更换" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("企业已停炉检修，循环泵更换", body.GetProperty("disposeComment").GetString());

        // An order from the alert: it keeps the alert's id, the alert shows the order; one order per alert.
        (status, body) = await ApiCalls.PostAsync(op, $"/api/alerts/{id}/order", new { text = "请三日内提交整改报告" });
        Assert.Equal(HttpStatusCode.Created, status);
        string order = body.GetProperty("id").GetString()!;
        Assert.Equal((id, "MN00000000000001", "a21026"), (body.GetProperty("alertId").GetString(), body.GetProperty("mn").GetString(), body.GetProperty("pollutant").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, (await ApiCalls.PostAsync(op, $"/api/alerts/{id}/order", new { })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ApiCalls.PostAsync(op, "/api/alerts/no-such/order", new { })).Status);

        var alert = await op.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}");
        Assert.Equal(order, alert.GetProperty("orderId").GetString());
        var history = alert.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(["raise", "acknowledge", "assign", "dispose", "order"], history.Select(h => h.GetProperty("action").GetString()));
        Assert.Equal(["system", "王工", "王工", "王工", "王工"], history.Select(h => h.GetProperty("by").GetString()));
        Assert.Equal("已电话核实，脱硫塔循环泵故障", history[1].GetProperty("comment").GetString());
        Assert.Equal("real", history[1].GetProperty("verdict").GetString());
        Assert.Equal("李队", history[2].GetProperty("assignee").GetString());
        var at = history.Select(h => DateTimeOffset.Parse(h.GetProperty("at").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(TimeSpan.FromMinutes(20), at[1] - at[0]);
        Assert.Equal(TimeSpan.FromHours(3), at[3] - at[2]);

        // Clearing keeps who and why as data; a restart reads every step back.
        (status, body) = await ApiCalls.PostAsync(op, $"/api/alerts/{id}/clear", new { comment = "已恢复达标" });
        Assert.Equal(("王工", "已恢复达标"), (body.GetProperty("clearedBy").GetString(), body.GetProperty("clearComment").GetString()));
        var stored = (await service.App.Services.GetRequiredService<EmissionMonitor.Storage.IRecordStore>().QueryAlertsAsync(CancellationToken.None)).Single(a => a.Id == id);
        Assert.Equal(["raise", "acknowledge", "assign", "dispose", "order", "clear"], stored.History.Select(h => h.Action));
        Assert.Equal("李队", (await op.GetFromJsonAsync<JsonElement>("/api/alerts?assignee=李队")).EnumerateArray().Single().GetProperty("assignee").GetString());
    }

    [Fact]
    public async Task TheHandlingFigures_EqualAnIndependentCount_OverAScriptedDay()
    {
        var (service, clock) = await StartAsync();
        await using var _ = service;
        var alerts = service.App.Services.GetRequiredService<AlertService>();
        var registry = service.App.Services.GetRequiredService<Func<EmissionMonitor.Registry.StationRegistry>>()();
        var t0 = clock.GetUtcNow();
        var random = new Random(2812);
        string[] mns = ["MN00000000000001", "MN00000000000002", "MN00000000000003"];
        string[] kinds = [AlertKinds.Exceedance, AlertKinds.Anomaly, AlertKinds.CheckFailed];
        var script = new List<(Alert Alert, TimeSpan? Ack, string? Verdict, TimeSpan? Dispose)>();
        for (int i = 0; i < 60; i++)
        {
            var outlet = registry.FindOutlet(mns[i % 3])!;
            string kind = kinds[random.Next(kinds.Length)];
            var draft = AlertDraft.For(kind, outlet, registry.FindEnterprise(outlet.EnterpriseId), $"x{i:00000}", 50, 35, t0, "scripted") with
            {
                SubKind = kind == AlertKinds.Anomaly ? "constant" : null,
            };
            var alert = await alerts.RaiseAsync(draft with { Start = t0.AddMinutes(i) }, CancellationToken.None);
            Assert.NotNull(alert);
            TimeSpan? ack = random.Next(5) == 0 ? null : TimeSpan.FromMinutes(random.Next(1, 400));
            script.Add((alert!, ack, ack is not null && random.Next(3) > 0 ? AlertVerdicts.All[random.Next(4)] : null, ack is not null && random.Next(2) == 0 ? ack + TimeSpan.FromMinutes(random.Next(1, 600)) : null));
        }

        // A back-fill summary is not an alert to handle: never counted.
        await alerts.RaiseAsync(AlertDraft.For(AlertKinds.Backfill, registry.FindOutlet(mns[0])!, registry.FindEnterprise("E1"), null, 10, null, t0, "back-fill"), CancellationToken.None);

        // The script's steps in the order of their time, on the fake clock, through the API.
        using var op = ApiCalls.Client(service.HttpBase, Operator);
        var steps = script.SelectMany(s => new[] { (At: s.Ack, Alert: s.Alert, Dispose: false, s.Verdict), (At: s.Dispose, Alert: s.Alert, Dispose: true, s.Verdict) })
            .Where(s => s.At is not null).OrderBy(s => s.At).ToList();
        foreach (var step in steps)
        {
            var now = t0 + step.At!.Value;
            if (now > clock.GetUtcNow())
            {
                clock.SetUtcNow(now);
            }

            var (status, _) = step.Dispose
                ? await ApiCalls.PostAsync(op, $"/api/alerts/{step.Alert.Id}/dispose", new { comment = "处置完毕" })
                : await ApiCalls.PostAsync(op, $"/api/alerts/{step.Alert.Id}/acknowledge", new { comment = "已核查", verdict = step.Verdict });
            Assert.Equal(HttpStatusCode.OK, status);
        }

        clock.SetUtcNow(t0 + TimeSpan.FromHours(20));
        var end = clock.GetUtcNow();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        string Day(DateTimeOffset t, int add) => TimeZoneInfo.ConvertTime(t, zone).Date.AddDays(add).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        foreach (string by in new[] { "city", "enterprise", "province" })
        {
            // The scripted kinds (the clock's day also judges the outlets' transmission rates, which raises low-rate alerts of its own).
            var rows = (await op.GetFromJsonAsync<JsonElement>($"/api/alerts/handling?from={Day(t0, -1)}&to={Day(t0, 2)}&by={by}")).EnumerateArray()
                .Where(r => kinds.Contains(r.GetProperty("kind").GetString())).ToList();
            string GroupOf(Alert a) => by switch { "city" => a.City!, "enterprise" => a.Enterprise!, _ => "province" };
            var expected = script.GroupBy(s => (GroupOf(s.Alert), s.Alert.Kind)).OrderBy(g => g.Key.Item1, StringComparer.Ordinal).ThenBy(g => g.Key.Kind, StringComparer.Ordinal).ToList();
            Assert.Equal(expected.Count, rows.Count);
            foreach (var (g, row) in expected.Zip(rows))
            {
                var within = g.Key.Kind == AlertKinds.Exceedance ? TimeSpan.FromHours(1) : TimeSpan.FromHours(4); // critical, warning
                int raised = g.Count(), inTime = g.Count(s => s.Ack <= within), late = g.Count(s => s.Ack is null ? end - t0 > within : s.Ack > within);
                int verified = g.Count(s => s.Verdict is not null), disposed = g.Count(s => s.Dispose is not null);
                var acks = g.Where(s => s.Ack is not null).Select(s => s.Ack!.Value.TotalMinutes).Order().ToList();
                double? median = acks.Count == 0 ? null : acks.Count % 2 == 1 ? acks[acks.Count / 2] : (acks[(acks.Count / 2) - 1] + acks[acks.Count / 2]) / 2;
                Assert.Equal(g.Key.Item1, row.GetProperty("group").GetString());
                Assert.Equal(g.Key.Kind, row.GetProperty("kind").GetString());
                Assert.Equal((raised, inTime, late, verified, disposed),
                    (row.GetProperty("raised").GetInt32(), row.GetProperty("acknowledgedInTime").GetInt32(), row.GetProperty("timedOut").GetInt32(),
                        row.GetProperty("verified").GetInt32(), row.GetProperty("disposed").GetInt32()));
                Assert.Equal(Math.Round((double)inTime / raised, 4), row.GetProperty("responseRate").GetDouble());
                Assert.Equal(Math.Round((double)disposed / raised, 4), row.GetProperty("disposalRate").GetDouble());
                Assert.Equal(Math.Round((double)verified / raised, 4), row.GetProperty("verificationRate").GetDouble());
                var shownMedian = row.GetProperty("medianMinutesToAcknowledge");
                Assert.Equal(median is null ? "null" : Math.Round(median.Value, 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    shownMedian.ValueKind == JsonValueKind.Null ? "null" : shownMedian.GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        // The enterprise sees its own figures only; the table downloads like every table.
        using var enterprise = ApiCalls.Client(service.HttpBase, Enterprise);
        var own = await enterprise.GetFromJsonAsync<JsonElement>($"/api/alerts/handling?from={Day(t0, -1)}&to={Day(t0, 2)}&by=enterprise");
        Assert.All(own.EnumerateArray(), r => Assert.Equal("E3", r.GetProperty("group").GetString()));
        Assert.Equal(script.Count(s => s.Alert.Enterprise == "E3"), own.EnumerateArray().Where(r => kinds.Contains(r.GetProperty("kind").GetString())).Sum(r => r.GetProperty("raised").GetInt32()));
        string csv = await op.GetStringAsync($"/api/alerts/handling?from={Day(t0, -1)}&to={Day(t0, 2)}&by=city&format=csv&columns=raw");
        Assert.Contains("group,groupName,kind,raised,acknowledged,acknowledgedInTime,responseRate", csv, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.GetAsync("/api/alerts/handling?by=planet")).StatusCode);

        // The command line reads the same store: the same counts (its clock is the real one, so what is late differs).
        string config = Path.Combine(Path.GetDirectoryName(service.DataDirectory)!, "config");
        var cli = await CliRunner.RunAsync(["report", "alert-handling", "--from", Day(t0, -1), "--to", Day(t0, 2), "--by", "enterprise", "--format", "json",
            "--config", config, "--data", service.DataDirectory]);
        Assert.True(cli.ExitCode == 0, cli.StdErr);
        var fromCli = JsonDocument.Parse(cli.StdOut).RootElement.EnumerateArray().Where(r => kinds.Contains(r.GetProperty("kind").GetString())).ToList();
        var fromApi = (await op.GetFromJsonAsync<JsonElement>($"/api/alerts/handling?from={Day(t0, -1)}&to={Day(t0, 2)}&by=enterprise")).EnumerateArray()
            .Where(r => kinds.Contains(r.GetProperty("kind").GetString())).ToList();
        string Counts(JsonElement r) => string.Join(",", new[] { "group", "kind", "raised", "acknowledged", "verified", "disposed" }.Select(k => r.GetProperty(k).ToString()));
        Assert.Equal(fromApi.Select(Counts), fromCli.Select(Counts));
        Assert.Equal("甲热电", fromCli.First(r => r.GetProperty("group").GetString() == "E1").GetProperty("groupName").GetString());
        var bad = await CliRunner.RunAsync(["report", "alert-handling", "--by", "planet", "--config", config, "--data", service.DataDirectory]);
        Assert.Equal(2, bad.ExitCode);
    }
}
