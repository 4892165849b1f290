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
            $"{InfluxSchema.Documents},kind=command,id=cmd-1 state=\"sent\"",
            $"{InfluxSchema.Alerts},id=alert-1 state=\"open\"",
            $"{InfluxSchema.Documents},kind=mark,id=m-1#0 mn=\"QHXN0010001\"",
            $"{InfluxSchema.Documents},kind=lift,id=l-1 state=\"standing\"",
            $"{InfluxSchema.Documents},kind=decision,id=d-1 json=\"{{}}\"",
            $"{InfluxSchema.Documents},kind=key,id=k-1 mn=\"QHXN0010001\"",
            $"{InfluxSchema.Documents},kind=identity,id=i-1 state=\"reported\"",
            $"{InfluxSchema.Documents},kind=supervision,id=doc-1 mn=\"QHXN0010001\"",
            $"{InfluxSchema.Documents},kind=notification,id=n-1 mn=\"王工\"",
            $"{InfluxSchema.Documents},kind=publication,id=p-1 state=\"published\"",
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

/// <summary>Summaries written before the exceeding hours were kept a point per day: their outlets are rebuilt, their points neither read nor kept.</summary>
public sealed class InfluxFactLayoutTests
{
    [Fact]
    public async Task FactsOfTheLayoutBefore_MakeTheirOutletStale_AndTheirHourPointsAreNotRead()
    {
        await using var influx = await InfluxFixture.StartAsync();
        var zone = new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone();
        await using var store = new InfluxStore(new InfluxOptions { Url = influx.Url, Bucket = "emission", WriteApi = "v1" }, Some.TempDirectory(), zone,
            NullLogger<InfluxStore>.Instance);
        await store.InitializeAsync(CancellationToken.None);
        var hour = new DateTimeOffset(2025, 7, 1, 9, 0, 0, TimeSpan.FromHours(8));
        using var http = new HttpClient();
        var written = await http.PostAsync($"{influx.Url}/write?db=emission&precision=s", new StringContent(string.Join('\n',
            $"{InfluxSchema.FactState},mn=QHXN0010001 fingerprint=\"rules-of-before\" 0",
            $"{InfluxSchema.ExceedHours},mn=QHXN0010001,pollutant=a21026 value=60.5,kind=\"zs-sent\",bound=35,min_bound=0i {hour.ToUnixTimeSeconds()}")));
        Assert.True(written.IsSuccessStatusCode, await written.Content.ReadAsStringAsync());

        var fingerprints = await store.FactFingerprintsAsync(CancellationToken.None);
        Assert.NotEqual("rules-of-before", fingerprints["QHXN0010001"]); // so no rules match it: the outlet is rebuilt
        Assert.Empty(await store.QueryExceedHoursAsync(hour.DateTime.Date, hour.DateTime.Date.AddDays(1), null, CancellationToken.None));

        // The day layout round trip, through the server: every field of each hour, hours of one day in one point.
        var day = hour.DateTime.Date;
        var hours = new[]
        {
            new EmissionMonitor.Compliance.Summaries.ExceedHour("QHXN0010001", "a21026", day.AddHours(9), 60.5, "zs-sent", 35, false),
            new EmissionMonitor.Compliance.Summaries.ExceedHour("QHXN0010001", "a21002", day.AddHours(9), 0.1 + 0.2, "zs-computed", 50.125, false),
            new EmissionMonitor.Compliance.Summaries.ExceedHour("QHXN0010001", "w01001", day.AddHours(23), 5.5, "as-sent", 6, true),
        };
        var lines = new System.Text.StringBuilder();
        InfluxSchema.AppendExceedDay(lines, "QHXN0010001", day, hours, EmissionMonitor.Storage.Influx.LineProtocol.Nanoseconds(new DateTimeOffset(day, TimeSpan.FromHours(8))));
        var dayWritten = await http.PostAsync($"{influx.Url}/write?db=emission", new StringContent(lines.ToString()));
        Assert.True(dayWritten.IsSuccessStatusCode, await dayWritten.Content.ReadAsStringAsync());
        Assert.Equal(hours.OrderBy(h => h.Hour).ThenBy(h => h.Pollutant, StringComparer.Ordinal),
            (await store.QueryExceedHoursAsync(day, day.AddDays(1), null, CancellationToken.None)).OrderBy(h => h.Hour).ThenBy(h => h.Pollutant, StringComparer.Ordinal));
        Assert.Equal([hours[2]], await store.QueryExceedHoursAsync(day.AddHours(10), day.AddDays(1), ["QHXN0010001"], CancellationToken.None));

        // The refresh rebuilds the outlet from the server's readings: its day point written, the hour points of the layout before gone.
        var registry = Some.Registry();
        var rules = new EmissionMonitor.Compliance.Summaries.FactRules(new EmissionMonitor.Compliance.ComplianceOptions(), new EmissionMonitor.Compliance.Cards.CardOptions());
        store.MaintainFacts(new EmissionMonitor.Storage.FactMaintenance(rules, mn => registry.FindOutlet(mn)));
        var intake = new EmissionMonitor.Intake.IntakeProcessor(() => registry, new EmissionMonitor.Intake.IntakeOptions(), zone, TimeProvider.System);
        await store.CommitAsync([intake.Process(Some.Received(Some.Hourly(at: day.AddHours(9)).Value("a21026", "ZsAvg", 80m).Value("a21026", "Flag", "N").Build(),
            EmissionMonitor.Intake.Transport.Import))], CancellationToken.None);
        Assert.True(await store.FlushAsync(TimeSpan.FromSeconds(30), CancellationToken.None));
        await EmissionMonitor.Storage.FactRefresh.RunAsync(store, rules, registry, CancellationToken.None);
        var rebuilt = await store.QueryExceedHoursAsync(day, day.AddDays(1), ["QHXN0010001"], CancellationToken.None);
        Assert.Equal([(day.AddHours(9), "a21026", 80.0)], rebuilt.Select(h => (h.Hour, h.Pollutant, h.Value)));
        Assert.Equal(rules.Fingerprint(registry.FindOutlet("QHXN0010001")!), (await store.FactFingerprintsAsync(CancellationToken.None))["QHXN0010001"]);
        using var left = await http.GetAsync($"{influx.Url}/query?db=emission&q={Uri.EscapeDataString("SELECT COUNT(\"value\") FROM \"exceed_hours\"")}");
        Assert.DoesNotContain("series", await left.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
