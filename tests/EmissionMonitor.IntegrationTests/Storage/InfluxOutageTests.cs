using EmissionMonitor.Intake;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Influx;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmissionMonitor.IntegrationTests.Storage;

public sealed class InfluxOutageTests
{
    private static IntakeResult Hour(IntakeProcessor intake, int h) =>
        intake.Process(Some.Received(Some.Hourly(at: new DateTime(2025, 7, 1).AddHours(h)).Value("a21026", "Avg", h).Value("a21002", "Avg", 1m).Build(), Transport.Import));

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task InfluxdStoppedMidStream_CommitsContinue_AndEveryReadingArrivesExactlyOnce(string writeApi)
    {
        await using var influx = await InfluxFixture.StartAsync();
        await influx.StartProxyAsync();
        var options = new InfluxOptions { Url = writeApi == "v2" ? influx.ProxyUrl : influx.Url, Bucket = "emission", WriteApi = writeApi, Token = "test-token", Timeout = TimeSpan.FromSeconds(2) };
        var zone = new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone();
        var registry = Some.Registry();
        var intake = new IntakeProcessor(() => registry, new IntakeOptions(), zone, TimeProvider.System);
        await using var store = new InfluxStore(options, Some.TempDirectory(), zone, NullLogger<InfluxStore>.Instance);
        await store.InitializeAsync(CancellationToken.None);
        using var direct = new InfluxConnection(new InfluxOptions { Url = influx.Url, Bucket = "emission", WriteApi = "v1" });

        for (int h = 0; h < 100; h++)
        {
            await store.CommitAsync([Hour(intake, h)], CancellationToken.None);
        }

        Assert.True(await store.FlushAsync(TimeSpan.FromSeconds(20), CancellationToken.None));
        influx.StopServer(); // the outage
        for (int h = 100; h < 300; h++)
        {
            var outcome = Assert.Single(await store.CommitAsync([Hour(intake, h)], CancellationToken.None)); // acknowledged from the buffer
            Assert.Equal("accepted", outcome.Status);
        }

        await store.CommitAsync([Hour(intake, 150)], CancellationToken.None); // a resend during the outage
        var (depth, oldest) = await store.BufferStateAsync(CancellationToken.None);
        Assert.True(depth >= 400, $"buffered {depth}");
        Assert.NotNull(oldest);

        await influx.StartServerAsync();
        Assert.True(await store.FlushAsync(TimeSpan.FromSeconds(60), CancellationToken.None), "the buffer drained after the restart");
        using var count = await direct.QueryAsync("SELECT COUNT(\"n\") FROM \"hourly\" GROUP BY \"pollutant\"", CancellationToken.None);
        var series = count.RootElement.GetProperty("results")[0].GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(2, series.Count);
        Assert.All(series, s => Assert.Equal(300, s.GetProperty("values")[0][1].GetInt64())); // 300 hours, each exactly once
        using var so2 = await direct.QueryAsync("SELECT \"avg\" FROM \"hourly\" WHERE \"pollutant\" = 'a21026' ORDER BY time", CancellationToken.None);
        var values = so2.RootElement.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values").EnumerateArray().Select(v => v[1].GetDouble()).ToList();
        Assert.Equal(Enumerable.Range(0, 300).Select(h => (double)h), values); // in order, the first of the resent hour
        var counts = await store.CountAsync(CancellationToken.None);
        Assert.Equal(301, counts.Frames);
        Assert.Equal(1, counts.FramesByReason["duplicate"]);
    }
}

/// <summary>Every command over an InfluxDB that is down ends with a clear error naming the server, never a stack trace.</summary>
public sealed class InfluxDownCommandTests
{
    [Theory]
    [InlineData("rates")]
    [InlineData("cards")]
    public async Task Report_WithInfluxdbDown_ExitsOneNamingTheServer(string kind)
    {
        string root = Some.TempDirectory();
        string config = Path.Combine(root, "config");
        Directory.CreateDirectory(config);
        await File.WriteAllTextAsync(Path.Combine(config, "stations.json"), Some.RegistryJson);
        int port = LoopbackPorts.Free();
        await File.WriteAllTextAsync(Path.Combine(config, "appsettings.json"),
            $$"""{ "Storage": { "Backend": "influxdb" }, "Influx": { "Url": "http://127.0.0.1:{{port}}", "Token": "t", "WriteApi": "v1", "Timeout": "00:00:01" } }""");
        var result = await CliRunner.RunAsync(["report", kind, "--quarter", "2025Q3", "--config", config, "--data", Path.Combine(root, "data")], timeout: TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.StdErr}");
        Assert.Contains($"InfluxDB at http://127.0.0.1:{port}", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }
}
