using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EmissionMonitor.Alerts;
using Microsoft.Extensions.DependencyInjection;

namespace EmissionMonitor.IntegrationTests.Alerts;

/// <summary>The alert board's API: filters, counts, acknowledging many at once with one comment.</summary>
public sealed class AlertBoardTests
{
    [Fact]
    public async Task TheBoard_Filters_Counts_AndAcknowledgesManyAtOnce()
    {
        await using var service = await ServiceFixture.StartAsync();
        var alerts = service.App.Services.GetRequiredService<AlertService>();
        var registry = service.App.Services.GetRequiredService<Func<EmissionMonitor.Registry.StationRegistry>>()();
        var gas = registry.FindOutlet("QHXN0010001")!;
        var water = registry.FindOutlet("QHXN0020001")!;
        var start = DateTimeOffset.UtcNow.AddHours(-2);
        await alerts.SetConditionAsync(AlertKinds.OrderOverdue, gas, true, 1, null, start, "overdue gas", CancellationToken.None);
        await alerts.SetConditionAsync(AlertKinds.OrderOverdue, water, true, 1, null, start, "overdue water", CancellationToken.None);
        await alerts.SetConditionAsync(AlertKinds.Silent, water, true, null, null, start, "silent water", CancellationToken.None);
        using var http = new HttpClient { BaseAddress = service.HttpBase };

        var overdue = await http.GetFromJsonAsync<JsonElement>("/api/alerts?kind=order-overdue");
        Assert.Equal(2, overdue.GetArrayLength());
        var waterOnly = await http.GetFromJsonAsync<JsonElement>("/api/alerts?mn=QHXN0020001&state=active");
        Assert.Equal("order-overdue,silent", string.Join(',', waterOnly.EnumerateArray().Select(a => a.GetProperty("kind").GetString()).Order()));
        string city = registry.FindEnterprise(water.EnterpriseId)!.City;
        Assert.All((await http.GetFromJsonAsync<JsonElement>($"/api/alerts?city={Uri.EscapeDataString(city)}")).EnumerateArray(),
            a => Assert.Equal(city, a.GetProperty("city").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/alerts?severity=loud")).StatusCode);

        var counts = await http.GetFromJsonAsync<JsonElement>("/api/alerts/counts?state=active");
        Assert.Equal(3, counts.GetProperty("total").GetInt32());
        Assert.Equal(2, counts.GetProperty("byKind").GetProperty("order-overdue").GetInt32());
        Assert.Equal(3, counts.GetProperty("byState").GetProperty("active").GetInt32());

        // Two at once with one comment; an unknown id and one acknowledged already are skipped, with the reason.
        string[] ids = overdue.EnumerateArray().Select(a => a.GetProperty("id").GetString()!).ToArray();
        var bulk = await http.PostAsJsonAsync("/api/alerts/acknowledge", new { ids = ids.Append("no-such-alert").ToArray(), comment = "已通知企业" });
        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
        var result = await bulk.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, result.GetProperty("acknowledged").GetInt32());
        Assert.All(result.GetProperty("alerts").EnumerateArray(), a =>
            Assert.Equal(("acknowledged", "已通知企业"), (a.GetProperty("state").GetString(), a.GetProperty("acknowledgeComment").GetString())));
        Assert.Equal("not-found", Assert.Single(result.GetProperty("skipped").EnumerateArray()).GetProperty("reason").GetString());
        var again = await (await http.PostAsJsonAsync("/api/alerts/acknowledge", new { ids = ids.Take(1).ToArray() })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("not-active", Assert.Single(again.GetProperty("skipped").EnumerateArray()).GetProperty("reason").GetString());
        Assert.Equal(1, (await http.GetFromJsonAsync<JsonElement>("/api/alerts/counts?state=active")).GetProperty("total").GetInt32());

        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/api/alerts/acknowledge", new { ids = Array.Empty<string>() })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/api/alerts/acknowledge", new { ids = Enumerable.Range(0, 1001).Select(i => $"a{i}").ToArray() })).StatusCode);

        // The CSV keeps its columns and adds the pollutant's name last.
        string csv = Encoding.UTF8.GetString((await http.GetByteArrayAsync("/api/alerts?format=csv&columns=raw"))[3..]);
        Assert.StartsWith("id,kind,severity,state,mn,enterprise,city,pollutant,value,limit,raisedAt", csv, StringComparison.Ordinal);
        Assert.EndsWith(",subKind,acknowledgeComment,dataFrom,dataTo,verdict,assignee,disposedAt,disposedBy,disposeComment,clearedBy,clearComment,orderId,pollutantName", csv.Split("\r\n")[0], StringComparison.Ordinal);
    }
}
