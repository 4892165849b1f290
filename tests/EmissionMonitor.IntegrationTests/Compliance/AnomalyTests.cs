using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EmissionMonitor.Alerts;
using EmissionMonitor.Compliance.Anomalies;
using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Intake;
using Microsoft.Extensions.DependencyInjection;

namespace EmissionMonitor.IntegrationTests.Compliance;

/// <summary>Each anomaly rule at its threshold and one step short of it, and the anomaly alert with its sub-kind.</summary>
public sealed class AnomalyTests
{
    private static readonly EmissionMonitor.Registry.Outlet Gas = Some.Registry().FindOutlet("QHXN0010001")! with
    {
        RangeMax = new Dictionary<string, double> { ["a21026"] = 100 },
    };

    private static Reading Hourly(DateTime at, string code, double avg) => new("QHXN0010001", "2061", at, code, Avg: avg, Flag: "N");

    private static Reading RealTime(DateTime at, string code, double rtd) => new("QHXN0010001", "2011", at, code, Rtd: rtd, Flag: "N");

    private static bool Holds(List<AnomalyFinding> findings, string subKind, string pollutant = "a21026") =>
        findings.Single(f => f.SubKind == subKind && f.Pollutant == pollutant).Active;

    [Fact]
    public void TheSameHourlyValue_IsConstantAtSixHours_NotAtFive_AndEndsWhenItChanges()
    {
        var detector = new AnomalyDetector(new AnomalyOptions());
        var t = new DateTime(2026, 3, 1, 0, 0, 0);
        List<AnomalyFinding> last = [];
        for (int h = 0; h < 5; h++)
        {
            last = detector.Observe(Gas, "2061", t.AddHours(h), [Hourly(t.AddHours(h), "a21026", 12.5), Hourly(t.AddHours(h), "a00000", 80)]);
        }

        Assert.False(Holds(last, AnomalyKinds.Constant));
        last = detector.Observe(Gas, "2061", t.AddHours(5), [Hourly(t.AddHours(5), "a21026", 12.5), Hourly(t.AddHours(5), "a00000", 80)]);
        Assert.True(Holds(last, AnomalyKinds.Constant));
        Assert.Equal(t, last.Single(f => f.SubKind == AnomalyKinds.Constant).Start);
        last = detector.Observe(Gas, "2061", t.AddHours(6), [Hourly(t.AddHours(6), "a21026", 12.6), Hourly(t.AddHours(6), "a00000", 80)]);
        Assert.False(Holds(last, AnomalyKinds.Constant));
        // A gap breaks the run: six equal values over seven hours are not six consecutive hours.
        var gap = new AnomalyDetector(new AnomalyOptions());
        foreach (int h in new[] { 0, 1, 2, 4, 5, 6 })
        {
            last = gap.Observe(Gas, "2061", t.AddHours(h), [Hourly(t.AddHours(h), "a21026", 9)]);
        }

        Assert.False(Holds(last, AnomalyKinds.Constant));
    }

    [Fact]
    public void TheSameRealTimeValue_IsConstantAfterSixtyMinutes_NotFifty()
    {
        var detector = new AnomalyDetector(new AnomalyOptions());
        var t = new DateTime(2026, 3, 1, 8, 0, 0);
        List<AnomalyFinding> last = [];
        for (int m = 0; m <= 50; m += 10)
        {
            last = detector.Observe(Gas, "2011", t.AddMinutes(m), [RealTime(t.AddMinutes(m), "a21026", 3.3)]);
        }

        Assert.False(Holds(last, AnomalyKinds.Constant));
        last = detector.Observe(Gas, "2011", t.AddMinutes(60), [RealTime(t.AddMinutes(60), "a21026", 3.3)]);
        Assert.True(Holds(last, AnomalyKinds.Constant));
    }

    [Fact]
    public void ZeroWhileTheFlowRuns_IsAnAnomalyAtSixHours_AndThePerPollutantThresholdApplies()
    {
        var options = new AnomalyOptions { Pollutants = { ["a21002"] = new PollutantAnomalyOptions { ZeroHours = 2 } } };
        var detector = new AnomalyDetector(options);
        var t = new DateTime(2026, 3, 1, 0, 0, 0);
        List<AnomalyFinding> last = [];
        for (int h = 0; h < 6; h++)
        {
            last = detector.Observe(Gas, "2061", t.AddHours(h), [Hourly(t.AddHours(h), "a21026", 0), Hourly(t.AddHours(h), "a21002", h % 3 == 0 ? 5 : 0), Hourly(t.AddHours(h), "a00000", 80)]);
            Assert.Equal(h >= 5, Holds(last, AnomalyKinds.Zero));
        }

        Assert.True(Holds(last, AnomalyKinds.Zero, "a21002")); // hours 4 and 5: two zero hours, its own threshold
        var stopped = new AnomalyDetector(options);
        for (int h = 0; h < 6; h++)
        {
            last = stopped.Observe(Gas, "2061", t.AddHours(h), [Hourly(t.AddHours(h), "a21026", 0), Hourly(t.AddHours(h), "a00000", 0)]);
        }

        Assert.False(Holds(last, AnomalyKinds.Zero)); // no flow: a stopped source, not a stuck analyser
    }

    [Theory]
    [InlineData(AnomalyKinds.Negative, -0.1, true)]
    [InlineData(AnomalyKinds.Negative, 0, false)]
    [InlineData(AnomalyKinds.OverRange, 100.1, true)]
    [InlineData(AnomalyKinds.OverRange, 100, false)]
    public void NegativeAndOverRange_AtTheirThreshold(string subKind, double value, bool holds)
    {
        var t = new DateTime(2026, 3, 1, 0, 0, 0);
        var findings = new AnomalyDetector(new AnomalyOptions()).Observe(Gas, "2011", t, [RealTime(t, "a21026", value)]);
        Assert.Equal(holds, Holds(findings, subKind));
    }

    [Theory]
    [InlineData(0.0, 20.0, true)]
    [InlineData(0.1, 20.0, false)]
    [InlineData(0.0, 0.0, false)]
    public void NoFlow_WhileConcentrationsAreReported(double flow, double so2, bool holds)
    {
        var t = new DateTime(2026, 3, 1, 0, 0, 0);
        var findings = new AnomalyDetector(new AnomalyOptions()).Observe(Gas, "2061", t, [Hourly(t, "a21026", so2), Hourly(t, "a00000", flow)]);
        Assert.Equal(holds, Holds(findings, AnomalyKinds.NoFlow, "a00000"));
    }

    [Theory]
    [InlineData(19.0, true)]
    [InlineData(18.9, false)]
    public void OxygenAtOrAboveNineteenPercent_IsAir(double o2, bool holds)
    {
        var t = new DateTime(2026, 3, 1, 0, 0, 0);
        var findings = new AnomalyDetector(new AnomalyOptions()).Observe(Gas, "2011", t, [RealTime(t, "a21026", 10), RealTime(t, "a19001", o2)]);
        Assert.Equal(holds, Holds(findings, AnomalyKinds.Air, "a19001"));
    }

    [Fact]
    public async Task TheService_RaisesAnAnomalyAlertPerSubKind_WithTheSubKindInItsJsonAndId()
    {
        string registry = Path.Combine(Some.TempDirectory(), "stations.json");
        await File.WriteAllTextAsync(registry, Some.RegistryJson.Replace("\"limits\": { \"a21026\": 35,", "\"rangeMax\": { \"a21026\": 100 }, \"limits\": { \"a21026\": 35,", StringComparison.Ordinal));
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Port"] = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, registryPath: registry);
        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime;
        var at = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond));
        var frame = new Hj212Builder { Qn = EmissionMonitor.Hj212.Hj212Time.FormatQn(at), St = "31", Cn = "2011", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
            .DataTime(at).Value("a21026", "Rtd", 150m).Value("a21026", "Flag", "N").Value("a19001", "Rtd", 20.5m).Value("a19001", "Flag", "N").Build();
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
            await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(frame.ToString()));
            var alerts = service.App.Services.GetRequiredService<AlertService>();
            await Waiting.UntilAsync(() => alerts.List(null).Count(a => a.IsOpen && a.Kind == "anomaly") >= 2, 10_000);
        }

        using var http = new HttpClient { BaseAddress = service.HttpBase };
        var anomalies = JsonDocument.Parse(await http.GetStringAsync("/api/alerts")).RootElement.EnumerateArray().Where(a => a.GetProperty("kind").GetString() == "anomaly").ToList();
        var overRange = anomalies.Single(a => a.GetProperty("subKind").GetString() == "over-range");
        Assert.Equal(("a21026", 150.0, 100.0), (overRange.GetProperty("pollutant").GetString(), overRange.GetProperty("value").GetDouble(), overRange.GetProperty("limit").GetDouble()));
        Assert.Equal("alert.anomaly.over-range", overRange.GetProperty("messageKey").GetString());
        var air = anomalies.Single(a => a.GetProperty("subKind").GetString() == "air");
        Assert.Equal("a19001", air.GetProperty("pollutant").GetString());
        Assert.NotEqual(overRange.GetProperty("id").GetString(), air.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Episodes_AreListedByReportAnomaliesAndTheApi_AndMarkTheirHoursSuspect(bool invalidateSuspect)
    {
        string registry = Path.Combine(Some.TempDirectory(), "stations.json");
        await File.WriteAllTextAsync(registry, Some.RegistryJson);
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Port"] = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Anomalies:ConstantHours"] = "3",
            ["Anomalies:InvalidateSuspect"] = invalidateSuspect ? "true" : "false",
        }, registryPath: registry);
        // Seven hours of yesterday: SO2 stuck at 12.5 from the second hour to the fifth, then moving again.
        var day = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).Date.AddDays(-1);
        double[] values = [10, 12.5, 12.5, 12.5, 12.5, 13, 14];
        var frames = new StringBuilder();
        for (int h = 0; h < values.Length; h++)
        {
            frames.Append(new Hj212Builder { Qn = EmissionMonitor.Hj212.Hj212Time.FormatQn(day.AddHours(h)), St = "31", Cn = "2061", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
                .DataTime(day.AddHours(h)).Value("a21026", "Avg", (decimal)values[h]).Value("a21026", "Flag", "N").Build().ToString());
        }

        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
            await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(frames.ToString()));
            var alerts = service.App.Services.GetRequiredService<AlertService>();
            await Waiting.UntilAsync(() => alerts.List(null).Any(a => a.Kind == "anomaly" && a.SubKind == "constant" && !a.IsOpen), 10_000); // raised, then ended
        }

        using var http = new HttpClient { BaseAddress = service.HttpBase };
        string from = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), to = day.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        JsonElement episode = default;
        await Waiting.UntilAsync(async () =>
        {
            var list = JsonDocument.Parse(await http.GetStringAsync($"/api/anomalies?from={from}&to={to}")).RootElement;
            episode = list.EnumerateArray().FirstOrDefault(e => e.GetProperty("subKind").GetString() == "constant").Clone();
            return episode.ValueKind == JsonValueKind.Object && episode.GetProperty("end").ValueKind != JsonValueKind.Null;
        }, TimeSpan.FromSeconds(10), "the ended episode listed");
        Assert.Equal(("QHXN0010001", "a21026", "hourly", false), (episode.GetProperty("mn").GetString(), episode.GetProperty("pollutant").GetString(),
            episode.GetProperty("basis").GetString(), episode.GetProperty("ongoing").GetBoolean()));
        Assert.StartsWith(day.AddHours(1).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture), episode.GetProperty("start").GetString(), StringComparison.Ordinal);
        Assert.StartsWith(day.AddHours(5).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture), episode.GetProperty("end").GetString(), StringComparison.Ordinal);

        var hours = JsonDocument.Parse(await http.GetStringAsync($"/api/hours?mn=QHXN0010001&pollutant=a21026&from={from}&to={to}&limit=24")).RootElement;
        var suspect = hours.EnumerateArray().Where(h => h.GetProperty("suspect").GetBoolean()).Select(h => h.GetProperty("start").GetString()![11..13]).ToList();
        Assert.Equal(["01", "02", "03", "04"], suspect); // the stuck hours, nothing else

        // The rate is unchanged unless Anomalies:InvalidateSuspect: then the suspect hours are invalid.
        var rate = JsonDocument.Parse(await http.GetStringAsync($"/api/rates?mn=QHXN0010001&pollutant=a21026&from={from}&to={to}&by=pollutant")).RootElement[0];
        Assert.Equal((24, 7, invalidateSuspect ? 3 : 7), (rate.GetProperty("expected").GetInt32(), rate.GetProperty("received").GetInt32(), rate.GetProperty("valid").GetInt32()));
        var second = hours.EnumerateArray().Single(h => h.GetProperty("start").GetString()![11..13] == "02");
        Assert.Equal(invalidateSuspect ? ("invalid", "suspect data (constant)") : ("valid", null),
            (second.GetProperty("state").GetString(), second.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task TheSimulator_ProducesAStuckAnalyserAndANightWithoutFlow_AsTheDemoDoes()
    {
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Port"] = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var outlet = Some.Registry().FindOutlet("QHXN0010001")!;
        var options = new EmissionMonitor.Simulation.SimulationOptions(new Uri($"tcp://127.0.0.1:{service.GatewayPort}"), 1, 1, TimeSpan.FromSeconds(15), 0, 0, 0, 0, 30);
        using var stop = new CancellationTokenSource();
        var fleet = new EmissionMonitor.Simulation.TerminalFleet([outlet], options, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), TimeProvider.System,
            _ => new EmissionMonitor.Simulation.TerminalBehaviour { StuckAnalyser = true, NightlyZeroFlow = true });
        var running = fleet.RunAsync(stop.Token);
        using var http = new HttpClient { BaseAddress = service.HttpBase };
        var subKinds = new HashSet<string>();
        await Waiting.UntilAsync(async () =>
        {
            foreach (var e in JsonDocument.Parse(await http.GetStringAsync("/api/anomalies")).RootElement.EnumerateArray())
            {
                subKinds.Add(e.GetProperty("subKind").GetString()!);
            }

            return subKinds.Contains("constant") && subKinds.Contains("no-flow");
        }, TimeSpan.FromSeconds(30), "a stuck analyser and a night without flow");
        await stop.CancelAsync();
        await running;
    }
}
