using System.Net.Sockets;
using System.Text.Json;
using EmissionMonitor.Alerts;
using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace EmissionMonitor.IntegrationTests.Hj212v2025;

/// <summary>HJ 212-2025 data beyond the pollutant records: heartbeats, standard-sample checks, ST 44/45 real-time data.</summary>
public sealed class NewDataTests
{
    private static string Now17(int addSeconds = 0) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddSeconds(addSeconds), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task SendAsync(ServiceFixture service, params Hj212Packet[] packets)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
        var stream = tcp.GetStream();
        foreach (var p in packets)
        {
            await stream.WriteAsync(Hj212Encoder.Encode(p));
        }

        await stream.FlushAsync();
        await Task.Delay(300);
    }

    private static Task<ServiceFixture> StartAsync() => ServiceFixture.StartAsync(new Dictionary<string, string?>
    {
        ["Gateway:Port"] = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Intake:MaxAge"] = "3650.00:00:00",
    });

    [Fact]
    public async Task AHeartbeat_KeepsTheOutletOnline()
    {
        await using var service = await StartAsync();
        var alerts = service.App.Services.GetRequiredService<AlertService>();
        var before = alerts.LastSeen("QHXN0010001");
        await Task.Delay(50);
        await SendAsync(service, new Hj212Builder { Qn = Now17(), St = "31", Cn = "9015", Pw = "123456", Mn = "QHXN0010001", Flag = 8 }.Build());
        await Waiting.UntilAsync(() => alerts.LastSeen("QHXN0010001") > before, 10_000); // only an accepted live frame moves it
        Assert.DoesNotContain(alerts.List(null).Where(a => a.IsOpen), a => a.Kind == "silent" && a.Mn == "QHXN0010001");
    }

    [Fact]
    public async Task AFailedStandardSampleCheck_RaisesCheckFailed_AndAPassingOneClearsIt()
    {
        await using var service = await StartAsync();
        Hj212Packet Check(int result, string qn) => new Hj212Builder { Qn = qn, St = "31", Cn = "2062", Pw = "123456", Mn = "QHXN0010001", Flag = 8 }
            .DataTime(new DateTime(2026, 1, 5, 10, 0, 0)).Value("a21026", "SampleRd", 41.2m).Value("a21026", "StandardValue", 50m).Value("a21026", "ResultType", result).Build();
        await SendAsync(service, Check(0, "20260105100000001"));
        var alerts = service.App.Services.GetRequiredService<AlertService>();
        await Waiting.UntilAsync(() => alerts.List(null).Where(a => a.IsOpen).Any(a => a.Kind == "check-failed"), 10_000);
        var failed = alerts.List(null).Where(a => a.IsOpen).Single(a => a.Kind == "check-failed");
        Assert.Equal("a21026", failed.Pollutant);
        Assert.Equal("warning", failed.Severity);
        await SendAsync(service, Check(1, "20260105110000001"));
        await Waiting.UntilAsync(() => !alerts.List(null).Where(a => a.IsOpen).Any(a => a.Kind == "check-failed"), 10_000);
    }

    [Fact]
    public async Task ElectricityAndProductionConditionData_UnderCn2011_AreStoredAsReadings()
    {
        await using var service = await StartAsync();
        var at = DateTime.ParseExact(Now17()[..14], "yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var electricity = new Hj212Builder { Qn = Now17(), St = "44", Cn = "2011", Pw = "123456", Mn = "QHXN0010001", Flag = 8 }
            .DataTime(at).Value("d20105", "Rtd", 3.2m).Value("d20105", "Flag", "N").Build();
        var production = new Hj212Builder { Qn = Now17(1), St = "45", Cn = "2011", Pw = "123456", Mn = "QHXN0010001", Flag = 8 }
            .DataTime(at.AddSeconds(1)).Value("p99101", "Rtd", 1.0m).Build();
        await SendAsync(service, electricity, production);
        var store = service.App.Services.GetRequiredService<IReadingStore>();
        IReadOnlyList<EmissionMonitor.Intake.Reading> readings = [];
        await Waiting.UntilAsync(async () => (readings = await store.QueryReadingsAsync(new ReadingQuery("2011", at.AddMinutes(-1), at.AddMinutes(1), "QHXN0010001"), CancellationToken.None)).Count >= 2,
            TimeSpan.FromSeconds(10), "both real-time records stored");
        Assert.Equal(3.2, readings.Single(r => r.Pollutant == "d20105").Rtd);
        Assert.Equal(1.0, readings.Single(r => r.Pollutant == "p99101").Rtd);
    }

    [Fact]
    public async Task RawData_Cn2013_IsStoredWithItsTimes_AndRawAvgIsKept_ButNeverEntersTheHourlyFigures()
    {
        await using var service = await StartAsync();
        var at = DateTime.ParseExact(Now17()[..14], "yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var raw = new Hj212Builder { Qn = Now17(), St = "32", Cn = "2013", Pw = "654321", Mn = "QHXN0020001", Flag = 8 }
            .DataTime(at).Value("w01018", "SampleTime", at.AddMinutes(-40).ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture))
            .Value("w01018", "CompleteTime", at.AddMinutes(-5).ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture))
            .Value("w01018", "SampleType", "1").Value("w01018", "Avg", 31.5m).Value("w01018", "Flag", "N").Build();
        var realtime = new Hj212Builder { Qn = Now17(1), St = "31", Cn = "2011", Pw = "123456", Mn = "QHXN0010001", Flag = 8 }
            .DataTime(at).Value("a34013", "Rtd", 6.4m).Value("a34013", "RawAvg", 7.1m).Value("a34013", "Flag", "N").Build();
        await SendAsync(service, raw, realtime);
        var store = service.App.Services.GetRequiredService<IReadingStore>();
        IReadOnlyList<EmissionMonitor.Intake.Reading> stored = [];
        await Waiting.UntilAsync(async () => (stored = await store.QueryReadingsAsync(new ReadingQuery("2013", at.AddMinutes(-1), at.AddMinutes(1), "QHXN0020001"), CancellationToken.None)).Count >= 1,
            TimeSpan.FromSeconds(10), "the raw record stored");
        var cod = stored.Single();
        Assert.Equal(("w01018", 31.5, "N"), (cod.Pollutant, cod.Avg!.Value, cod.Flag));
        Assert.Null(cod.Rtd); // the sample and completion times are text, never values
        await Waiting.UntilAsync(async () => (stored = await store.QueryReadingsAsync(new ReadingQuery("2011", at.AddMinutes(-1), at.AddMinutes(1), "QHXN0010001"), CancellationToken.None)).Count >= 1,
            TimeSpan.FromSeconds(10), "the real-time record stored");
        Assert.Equal((6.4, 7.1), (stored.Single().Rtd!.Value, stored.Single().RawAvg!.Value));

        // The API lists both, with rawAvg.
        using var http = new HttpClient { BaseAddress = service.HttpBase };
        var rows = JsonDocument.Parse(await http.GetStringAsync($"/api/outlets/QHXN0020001/readings?cn=2013&from={at.AddHours(-1):yyyy-MM-ddTHH:mm:ss}")).RootElement;
        Assert.Equal(31.5, rows[0].GetProperty("avg").GetDouble());
        rows = JsonDocument.Parse(await http.GetStringAsync($"/api/outlets/QHXN0010001/readings?cn=2011&from={at.AddHours(-1):yyyy-MM-ddTHH:mm:ss}")).RootElement;
        Assert.Equal(7.1, rows[0].GetProperty("rawAvg").GetDouble());

        // Raw data is not an hourly record: the hour has no reading, so nothing is counted from it.
        var hourly = await store.QueryReadingsAsync(new ReadingQuery("2061", at.AddHours(-2), at.AddHours(2), "QHXN0020001"), CancellationToken.None);
        Assert.Empty(hourly);
    }

    private const string FurnaceRegistry = """
        { "enterprises": [ {
            "id": "QH-XN-009", "name": "西宁某垃圾焚烧发电厂", "city": "西宁市", "industry": "incineration",
            "outlets": [ {
              "mn": "QHXN0090001", "password": "123456", "kind": "gas", "name": "1号焚烧炉排口", "flowUnit": "m3/s",
              "limits": { "a21026": 100 }, "processLimits": { "a01901": { "min": 850 } } } ] } ] }
        """;

    [Fact]
    public async Task FurnaceTemperature_Cn2111_BelowItsProcessLimit_RaisesAWarning_ClearedByTheNextMean_AndIsNeverAssessed()
    {
        string registry = Path.Combine(Some.TempDirectory(), "stations.json");
        await File.WriteAllTextAsync(registry, FurnaceRegistry);
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Port"] = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, registryPath: registry);
        var at = DateTime.ParseExact(Now17()[..14], "yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        Hj212Packet Furnace(decimal mean, int second) => new Hj212Builder { Qn = Now17(second), St = "31", Cn = "2111", Pw = "123456", Mn = "QHXN0090001", Flag = 8 }
            .DataTime(at.AddSeconds(second)).Value("a01901", "Avg", mean).Value("a01901", "Flag", "N").Build();
        await SendAsync(service, Furnace(812.5m, 0));
        var alerts = service.App.Services.GetRequiredService<AlertService>();
        await Waiting.UntilAsync(() => alerts.List(null).Any(a => a.IsOpen && a.Kind == "warning" && a.Pollutant == "a01901"), 10_000);
        var warning = alerts.List(null).Single(a => a.IsOpen && a.Kind == "warning");
        Assert.Equal((812.5, 850.0), (warning.Value!.Value, warning.Limit!.Value));
        Assert.Contains("below process limit 850", warning.Message, StringComparison.Ordinal);
        Assert.Equal("alert.process-below", warning.MessageKey); // the message as data, for the dashboard's languages
        Assert.Equal(("1号焚烧炉排口", "a01901", "812.5", "850"), (warning.Params!["outlet"], warning.Params["pollutant"], warning.Params["value"], warning.Params["limit"]));
        using (var api = new HttpClient { BaseAddress = service.HttpBase })
        {
            var shown = JsonDocument.Parse(await api.GetStringAsync("/api/alerts")).RootElement.EnumerateArray().Single(a => a.GetProperty("kind").GetString() == "warning");
            Assert.Equal("alert.process-below", shown.GetProperty("messageKey").GetString());
            Assert.Equal("850", shown.GetProperty("params").GetProperty("limit").GetString());
        }

        var store = service.App.Services.GetRequiredService<IReadingStore>();
        var stored = await store.QueryReadingsAsync(new ReadingQuery("2111", at.AddMinutes(-1), at.AddMinutes(1), "QHXN0090001"), CancellationToken.None);
        Assert.Equal(812.5, stored.Single().Avg);

        await SendAsync(service, Furnace(901m, 300));
        await Waiting.UntilAsync(() => !alerts.List(null).Any(a => a.IsOpen && a.Kind == "warning"), 10_000);

        // Never assessed: the outlet's exceedances and rates know only its pollutant limits.
        using var http = new HttpClient { BaseAddress = service.HttpBase };
        var day = at.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var rates = await http.GetStringAsync($"/api/rates?from={day}&to={at.AddDays(1):yyyy-MM-dd}&by=outlet");
        Assert.DoesNotContain("a01901", rates, StringComparison.Ordinal);
        var exceedances = await http.GetStringAsync($"/api/exceedances?from={day}&to={at.AddDays(1):yyyy-MM-dd}");
        Assert.DoesNotContain("a01901", exceedances, StringComparison.Ordinal);
    }

    [Fact]
    public void AProcessParameterAlsoAssessedAsAPollutant_IsARegistryProblem()
    {
        var (_, problems) = EmissionMonitor.Registry.RegistryLoader.Parse(FurnaceRegistry.Replace("\"a21026\": 100", "\"a21026\": 100, \"a01901\": 1200", StringComparison.Ordinal), "test");
        Assert.Contains(problems, p => p.Contains("processLimits.a01901: also in limits", StringComparison.Ordinal));
    }

    private static Hj212Packet Identity(string qn, string logger, string cpu, string mac1, string? mac2 = null)
    {
        var b = new Hj212Builder { Qn = qn, St = "31", Cn = "1001", Pw = "123456", Mn = "QHXN0010001", Flag = 9 }
            .Value("i23005", "Info", logger).Value("i23006", "Info", cpu).Value("i23007", "Info", mac1);
        return (mac2 is null ? b : b.Value("i23008", "Info", mac2)).Build();
    }

    [Fact]
    public async Task HardwareIdentity_Cn1001_IsRecordedAndShown_AndAChangeRaisesIdentityChanged()
    {
        await using var service = await StartAsync();
        using var http = new HttpClient { BaseAddress = service.HttpBase };
        JsonElement Outlet(string json) => JsonDocument.Parse(json).RootElement.EnumerateArray().SelectMany(e => e.GetProperty("outlets").EnumerateArray())
            .Single(o => o.GetProperty("mn").GetString() == "QHXN0010001");
        Assert.Equal(JsonValueKind.Null, Outlet(await http.GetStringAsync("/api/stations")).GetProperty("identity").ValueKind);

        await SendAsync(service, Identity(Now17(), "DL-2025-000417", "CPU-8F3A11C2", "00:1A:2B:3C:4D:5E", "00:1A:2B:3C:4D:5F"));
        var store = service.App.Services.GetRequiredService<IRecordStore>();
        await Waiting.UntilAsync(async () => (await store.QueryTerminalIdentitiesAsync(CancellationToken.None)).Count == 1, TimeSpan.FromSeconds(10), "the first identity recorded");
        var identity = Outlet(await http.GetStringAsync("/api/stations")).GetProperty("identity");
        Assert.Equal("DL-2025-000417", identity.GetProperty("loggerId").GetString());
        Assert.Equal("CPU-8F3A11C2", identity.GetProperty("cpuId").GetString());
        Assert.Equal(["00:1A:2B:3C:4D:5E", "00:1A:2B:3C:4D:5F"], identity.GetProperty("macs").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(JsonValueKind.Null, identity.GetProperty("previous").ValueKind);
        var alerts = service.App.Services.GetRequiredService<AlertService>();
        Assert.DoesNotContain(alerts.List(null), a => a.Kind == "identity-changed"); // the first report is no change

        // The same hardware again (MACs in another case): nothing new.
        await SendAsync(service, Identity(Now17(1), "DL-2025-000417", "CPU-8F3A11C2", "00:1a:2b:3c:4d:5e", "00:1a:2b:3c:4d:5f"));
        // Another logger: recorded, shown with the one before, alerted.
        await SendAsync(service, Identity(Now17(2), "DL-2025-009999", "CPU-8F3A11C2", "00:1A:2B:3C:4D:5E"));
        await Waiting.UntilAsync(() => alerts.List(null).Any(a => a.IsOpen && a.Kind == "identity-changed"), 10_000);
        var changed = alerts.List(null).Single(a => a.Kind == "identity-changed");
        Assert.Equal(("QHXN0010001", "warning"), (changed.Mn, changed.Severity));
        Assert.Contains("logger DL-2025-000417 → DL-2025-009999", changed.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await store.QueryTerminalIdentitiesAsync(CancellationToken.None)).Count);
        identity = Outlet(await http.GetStringAsync("/api/stations")).GetProperty("identity");
        Assert.Equal("DL-2025-009999", identity.GetProperty("loggerId").GetString());
        Assert.Equal("DL-2025-000417", identity.GetProperty("previous").GetProperty("loggerId").GetString());
        var openAlerts = Outlet(await http.GetStringAsync("/api/stations")).GetProperty("openAlerts");
        Assert.Contains(openAlerts.EnumerateArray(), a => a.GetProperty("kind").GetString() == "identity-changed");
    }

    [Fact]
    public async Task TheRecordedIdentity_SurvivesARestart_SoASwapWhileDownIsStillNoticed()
    {
        string dir = Some.TempDirectory();
        var at = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.FromHours(8));
        await using (var store = new EmissionMonitor.Storage.Sqlite.SqliteStore(dir))
        {
            await store.InitializeAsync(CancellationToken.None);
            using var identities = new EmissionMonitor.Security.TerminalIdentities(store, Microsoft.Extensions.Logging.Abstractions.NullLogger<EmissionMonitor.Security.TerminalIdentities>.Instance);
            await identities.LoadAsync(CancellationToken.None);
            Assert.Null(await identities.ObserveAsync(new TerminalIdentity("QHXN0010001", "DL-A", "CPU-A", "00:00:00:00:00:01", at), CancellationToken.None));
        }

        await using (var store = new EmissionMonitor.Storage.Sqlite.SqliteStore(dir))
        {
            await store.InitializeAsync(CancellationToken.None);
            using var identities = new EmissionMonitor.Security.TerminalIdentities(store, Microsoft.Extensions.Logging.Abstractions.NullLogger<EmissionMonitor.Security.TerminalIdentities>.Instance);
            await identities.LoadAsync(CancellationToken.None);
            Assert.Equal("DL-A", identities.Of("QHXN0010001").Current?.LoggerId);
            Assert.Null(await identities.ObserveAsync(new TerminalIdentity("QHXN0010001", "DL-A", "CPU-A", "00:00:00:00:00:01", at.AddDays(1)), CancellationToken.None));
            var before = await identities.ObserveAsync(new TerminalIdentity("QHXN0010001", "DL-B", "CPU-A", "00:00:00:00:00:01", at.AddDays(2)), CancellationToken.None);
            Assert.Equal("DL-A", before?.LoggerId);
            Assert.Equal(["DL-A", "DL-B"], (await store.QueryTerminalIdentitiesAsync(CancellationToken.None)).Select(i => i.LoggerId));
        }
    }

    [Fact]
    public void AnIdentityField_IsBounded_AndCarriesNoControlCharacters()
    {
        var packet = Identity("20260105100000001", new string('X', 500), "CPU\u0007", "00:00:00:00:00:01");
        var parsed = EmissionMonitor.Security.TerminalIdentities.Parse("QHXN0010001", packet, DateTimeOffset.UnixEpoch)!;
        Assert.Equal(EmissionMonitor.Storage.TerminalIdentity.MaxFieldLength, parsed.LoggerId!.Length);
        Assert.Equal("CPU?", parsed.CpuId);
        Assert.Null(EmissionMonitor.Security.TerminalIdentities.Parse("QHXN0010001",
            new Hj212Builder { Qn = "20260105100000001", St = "31", Cn = "1001", Pw = "123456", Mn = "QHXN0010001", Flag = 9 }.Build(), DateTimeOffset.UnixEpoch));
    }
}
