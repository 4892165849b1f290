using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Influx;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmissionMonitor.IntegrationTests.Storage;

/// <summary>The store contract against a real influxd, written through the v2 API (InfluxDB.Client via the proxy).</summary>
public sealed class InfluxStoreV2ConformanceTests : StoreConformanceTests
{
    private InfluxFixture? _influx;

    protected override async Task<IStore> CreateStoreAsync()
    {
        _influx = await InfluxFixture.StartAsync();
        await _influx.StartProxyAsync();
        return new InfluxStore(new InfluxOptions { Url = _influx.ProxyUrl, Bucket = "emission", WriteApi = "v2", Token = "test-token" },
            Some.TempDirectory(), new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone(), NullLogger<InfluxStore>.Instance);
    }

    protected override async Task DisposeServersAsync() => await _influx!.DisposeAsync();
}

/// <summary>The store contract against a real influxd, written through POST /write?db= (InfluxDB 1.x).</summary>
public sealed class InfluxStoreV1ConformanceTests : StoreConformanceTests
{
    private InfluxFixture? _influx;

    protected override async Task<IStore> CreateStoreAsync()
    {
        _influx = await InfluxFixture.StartAsync();
        return new InfluxStore(new InfluxOptions { Url = _influx.Url, Bucket = "emission", WriteApi = "v1" },
            Some.TempDirectory(), new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone(), NullLogger<InfluxStore>.Instance);
    }

    protected override async Task DisposeServersAsync() => await _influx!.DisposeAsync();
}

/// <summary>
/// Points the server shows with only some of their fields — what a query sees of a write still in
/// flight (InfluxDB does not apply a point's fields at once) — are left out of every listing, never a
/// crash; the buffer's pending record stands for such a point.
/// </summary>
public sealed class InfluxTornPointTests
{
    [Fact]
    public async Task PointsWithOnlySomeOfTheirFields_AreLeftOutOfEveryListing()
    {
        await using var influx = await InfluxFixture.StartAsync();
        await using var store = new InfluxStore(new InfluxOptions { Url = influx.Url, Bucket = "emission", WriteApi = "v1" }, Some.TempDirectory(),
            new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone(), NullLogger<InfluxStore>.Instance);
        await store.InitializeAsync(CancellationToken.None);
        string[] torn =
        [
            $"{InfluxSchema.Commands},id=cmd-1,mn=QHXN0010001 state=\"sent\"",
            $"{InfluxSchema.Alerts},id=alert-1 state=\"open\"",
            $"{InfluxSchema.Marks},mn=QHXN0010001,kind=maintenance,id=m-1 comment=\"\"",
            $"{InfluxSchema.Lifts},enterprise=QH-XN-001,quarter=2025Q3 by=\"王工\"",
            $"{InfluxSchema.Decisions},enterprise=QH-XN-001,quarter=2025Q3 decision=\"confirmed\"",
            $"{InfluxSchema.TerminalKeys},mn=QHXN0010001 source=\"import\"",
            $"{InfluxSchema.TerminalIdentities},mn=QHXN0010001 logger_id=\"DL-1\"",
            $"{InfluxSchema.Documents},kind=supervision,id=doc-1 mn=\"QHXN0010001\"",
            $"{InfluxSchema.Notifications},id=n-1 contact=\"王工\"",
            $"{InfluxSchema.Publications},id=p-1 version=1i",
            $"{InfluxSchema.Frames},status=accepted,transport=tcp id=5i",
        ];
        using var http = new HttpClient();
        var written = await http.PostAsync($"{influx.Url}/write?db=emission&precision=s",
            new StringContent(string.Join('\n', torn.Select(line => $"{line} 1767225600"))));
        Assert.True(written.IsSuccessStatusCode, await written.Content.ReadAsStringAsync());

        var ct = CancellationToken.None;
        Assert.Empty(await store.QueryCommandRecordsAsync(null, 10, 0, ct));
        Assert.Null(await store.GetCommandRecordAsync("cmd-1", ct));
        Assert.Empty(await store.QueryAlertRecordsAsync(ct));
        Assert.Empty(await store.QueryMarksAsync(DateTime.MinValue, DateTime.MaxValue, null, ct));
        Assert.Empty(await store.QueryCardLiftsAsync(ct));
        Assert.Empty(await store.QueryCardDecisionsAsync(ct));
        Assert.Empty(await store.QueryTerminalKeysAsync(ct));
        Assert.Empty(await store.QueryTerminalIdentitiesAsync(ct));
        Assert.Empty(await store.QueryDocumentsAsync("supervision", null, ct));
        Assert.Empty(await store.QueryNotificationRecordsAsync(false, 10, 0, ct));
        Assert.Empty(await store.QueryPublicationsAsync(ct));
        Assert.Empty(await store.QueryFramesAsync(new FrameQuery(), ct));
    }
}
