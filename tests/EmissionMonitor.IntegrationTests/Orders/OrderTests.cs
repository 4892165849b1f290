using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmissionMonitor.Alerts;
using Microsoft.Extensions.DependencyInjection;

namespace EmissionMonitor.IntegrationTests.Orders;

/// <summary>Supervision orders: every state change and role, the deadline and its overdue alert.</summary>
public sealed class OrderTests
{
    private const string Operator = "operator-token-1", Inspector = "inspector-token-1", Enterprise1 = "enterprise-token-1", Enterprise2 = "enterprise-token-2";

    private static Task<ServiceFixture> StartAsync() => ServiceFixture.StartAsync(new Dictionary<string, string?>
    {
        ["Api:Users:0:Token"] = Operator, ["Api:Users:0:Role"] = "operator", ["Api:Users:0:Name"] = "王工",
        ["Api:Users:1:Token"] = Inspector, ["Api:Users:1:Role"] = "inspector",
        ["Api:Users:2:Token"] = Enterprise1, ["Api:Users:2:Role"] = "enterprise", ["Api:Users:2:Enterprise"] = "QH-XN-001", ["Api:Users:2:Name"] = "热电厂环保专员",
        ["Api:Users:3:Token"] = Enterprise2, ["Api:Users:3:Role"] = "enterprise", ["Api:Users:3:Enterprise"] = "QH-XN-002",
        ["Orders:CheckInterval"] = "00:00:00.200",
    });

    private static HttpClient Client(ServiceFixture service, string token) => ApiCalls.Client(service.HttpBase, token);

    [Fact]
    public async Task AnOrderWithoutADeadline_GetsOrdersDefaultDeadline_FromTheServicesClock()
    {
        await using var service = await StartAsync();
        using var op = Client(service, Operator);
        var (status, order) = await PostAsync(op, "/api/orders", new { mn = "QHXN0010001", text = "请说明原因" });
        Assert.Equal(HttpStatusCode.Created, status);
        var deadline = DateTime.ParseExact(order.GetProperty("deadline").GetString()!, "yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var expected = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime.AddDays(3);
        Assert.InRange(deadline, expected.AddMinutes(-1), expected.AddMinutes(1));
    }

    private static Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient http, string path, object? body = null) => ApiCalls.PostAsync(http, path, body);

    private static string Local(TimeSpan fromNow) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow + fromNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task AnOrdersDeadline_OnAFakeClock_MakesItOverdueOnlyAfterTheDeadline_AndAnAnswerEndsTheAlert()
    {
        // The order service alone runs on a fake clock (its deadline checks and "now"); the rest of the service on the real one.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Api:Users:0:Token"] = Operator, ["Api:Users:0:Role"] = "operator",
            ["Api:Users:1:Token"] = Enterprise1, ["Api:Users:1:Role"] = "enterprise", ["Api:Users:1:Enterprise"] = "QH-XN-001",
            ["Orders:CheckInterval"] = "00:01:00",
        }, services: s => s.AddSingleton(sp => ActivatorUtilities.CreateInstance<EmissionMonitor.Orders.OrderService>(sp, (TimeProvider)clock))); // its hosted service resolves this one
        using var op = Client(service, Operator);
        using var mine = Client(service, Enterprise1);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        string deadline = TimeZoneInfo.ConvertTime(clock.GetUtcNow().AddDays(2), zone).ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var (_, order) = await PostAsync(op, "/api/orders", new { mn = "QHXN0010001", deadline, text = "两日内说明原因" });
        string id = order.GetProperty("id").GetString()!;
        var alerts = service.App.Services.GetRequiredService<AlertService>();
        bool Overdue() => alerts.List(null).Any(a => a.IsOpen && a.Kind == "order-overdue" && a.Mn == "QHXN0010001");
        async Task<bool> FlagAsync() => (await op.GetFromJsonAsync<JsonElement>($"/api/orders/{id}")).GetProperty("overdue").GetBoolean();

        // One minute short of the deadline: not overdue, through several checks.
        for (int i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromDays(2) / 3 - TimeSpan.FromSeconds(21));
            await Task.Delay(200);
        }

        Assert.False(await FlagAsync());
        Assert.False(Overdue());

        // Past it: overdue at the next check, the alert raised.
        clock.Advance(TimeSpan.FromMinutes(2));
        await Waiting.UntilAsync(Overdue, 10_000);
        Assert.True(await FlagAsync());
        Assert.Equal(1, (await op.GetFromJsonAsync<JsonElement>("/api/orders?overdue=true")).GetArrayLength());

        // Answered: no longer overdue (it is no longer open), the alert clears at the next check.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(mine, $"/api/orders/{id}/respond", new { cause = "停产检修", measures = "已恢复" })).Status);
        Assert.False(await FlagAsync());
        clock.Advance(TimeSpan.FromMinutes(1));
        await Waiting.UntilAsync(() => !Overdue(), 10_000);
    }

    [Fact]
    public async Task AnOrder_GoesOpenAnsweredReopenedClosed_GetsOverdueAfterItsDeadline_AndOnlyItsEnterpriseSeesIt()
    {
        await using var service = await StartAsync();
        using var op = Client(service, Operator);
        using var inspector = Client(service, Inspector);
        using var mine = Client(service, Enterprise1);
        using var other = Client(service, Enterprise2);
        var body = new { mn = "QHXN0010001", pollutant = "a21026", deadline = Local(TimeSpan.FromSeconds(3)), text = "请于期限前说明二氧化硫超标原因并整改" };

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(inspector, "/api/orders", body)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(mine, "/api/orders", body)).Status);
        foreach (var (bad, parameter) in new (object, string)[]
        {
            (new { mn = "NOPE", deadline = Local(TimeSpan.FromDays(1)), text = "x" }, "mn"),
            (new { mn = "QHXN0010001", pollutant = "w01018", deadline = Local(TimeSpan.FromDays(1)), text = "x" }, "pollutant"),
            (new { mn = "QHXN0010001", deadline = "2026-01-01T10:00:00+08:00", text = "x" }, "deadline"),
            (new { mn = "QHXN0010001", deadline = Local(TimeSpan.FromDays(1)), text = "" }, "text"),
            (new { mn = "QHXN0010001", alertId = "no-such-alert", deadline = Local(TimeSpan.FromDays(1)), text = "x" }, "alertId"),
        })
        {
            var (status, problem) = await PostAsync(op, "/api/orders", bad);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
        }

        var (created, order) = await PostAsync(op, "/api/orders", body);
        Assert.Equal(HttpStatusCode.Created, created);
        string id = order.GetProperty("id").GetString()!;
        Assert.Equal(("open", false, "王工"), (order.GetProperty("state").GetString(), order.GetProperty("overdue").GetBoolean(), order.GetProperty("createdBy").GetString()));

        // Another enterprise neither sees nor touches it.
        Assert.DoesNotContain(id, await other.GetStringAsync("/api/orders"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/orders/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(other, $"/api/orders/{id}/respond", new { cause = "x", measures = "y" })).Status);
        Assert.Contains(id, await mine.GetStringAsync("/api/orders"), StringComparison.Ordinal);

        // Past the deadline: overdue, and an order-overdue alert on the outlet.
        var alerts = service.App.Services.GetRequiredService<AlertService>();
        await Waiting.UntilAsync(() => alerts.List(null).Any(a => a.IsOpen && a.Kind == "order-overdue" && a.Mn == "QHXN0010001"), 15_000);
        Assert.True(JsonDocument.Parse(await op.GetStringAsync($"/api/orders/{id}")).RootElement.GetProperty("overdue").GetBoolean());
        Assert.Contains(id, await op.GetStringAsync("/api/orders?overdue=true"), StringComparison.Ordinal);

        // The enterprise answers: answered, no longer overdue, the alert clears; a second answer is 409.
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(mine, $"/api/orders/{id}/respond", new { cause = "仪表故障" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(op, $"/api/orders/{id}/respond", new { cause = "x", measures = "y" })).Status);
        var (answered, answer) = await PostAsync(mine, $"/api/orders/{id}/respond", new { cause = "脱硫塔循环泵故障", measures = "已更换循环泵并恢复运行" });
        Assert.Equal(HttpStatusCode.OK, answered);
        Assert.Equal(("answered", "热电厂环保专员"), (answer.GetProperty("state").GetString(), answer.GetProperty("response").GetProperty("by").GetString()));
        await Waiting.UntilAsync(() => !alerts.List(null).Any(a => a.IsOpen && a.Kind == "order-overdue"), 15_000);
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(mine, $"/api/orders/{id}/respond", new { cause = "x", measures = "y" })).Status);

        // Reopened: open again (and overdue at once, its deadline has passed); closing an open order needs a comment.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(op, $"/api/orders/{id}/reopen", new { comment = "整改措施不足" })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(op, $"/api/orders/{id}/reopen", new { comment = "x" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(op, $"/api/orders/{id}/close", new { })).Status);
        var (closed, done) = await PostAsync(op, $"/api/orders/{id}/close", new { comment = "现场核查完成" });
        Assert.Equal(HttpStatusCode.OK, closed);
        Assert.Equal("closed", done.GetProperty("state").GetString());
        Assert.Equal(["issued", "answered", "reopened", "closed"], done.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(op, $"/api/orders/{id}/close", new { comment = "x" })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(op, $"/api/orders/{id}/reopen", new { comment = "x" })).Status);

        var csv = await op.GetStringAsync("/api/orders?format=csv&state=closed");
        Assert.Contains(id, csv, StringComparison.Ordinal);
        Assert.Contains("脱硫塔循环泵故障", csv, StringComparison.Ordinal);
    }
}
