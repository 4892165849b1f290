using System.Text;
using EmissionMonitor.Storage.Influx;

namespace EmissionMonitor.IntegrationTests.Storage;

public sealed class InfluxConnectionTests
{
    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Points_WrittenThroughEitherApi_AreReadBackWithInfluxQl(string writeApi)
    {
        await using var influx = await InfluxFixture.StartAsync();
        await influx.StartProxyAsync();
        var options = new InfluxOptions { Url = writeApi == "v2" ? influx.ProxyUrl : influx.Url, Bucket = "em_" + writeApi, WriteApi = writeApi, Token = "unused-token" };
        using var connection = new InfluxConnection(options);
        Assert.True(await connection.PingAsync(CancellationToken.None));
        await connection.EnsureDatabaseAsync(CancellationToken.None);

        var sb = new StringBuilder();
        var t = new DateTimeOffset(2025, 7, 1, 8, 0, 0, TimeSpan.FromHours(8));
        LineProtocol.Append(sb, "hourly", [("mn", "QH 001,x"), ("pollutant", "a21026")], [("avg", 20.5), ("flag", "N"), ("zs_avg", null)], LineProtocol.Nanoseconds(t));
        LineProtocol.Append(sb, "hourly", [("mn", "QH 001,x"), ("pollutant", "a21026")], [("avg", 99.0), ("flag", "说明 \"quoted\"")], LineProtocol.Nanoseconds(t.AddHours(1)));
        await connection.WriteAsync(sb.ToString().TrimEnd('\n').Split('\n'), CancellationToken.None);

        using var result = await connection.QueryAsync("SELECT avg, flag FROM hourly WHERE mn = 'QH 001,x' ORDER BY time", CancellationToken.None);
        var values = result.RootElement.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values");
        Assert.Equal(2, values.GetArrayLength());
        Assert.Equal(LineProtocol.Nanoseconds(t), values[0][0].GetInt64());
        Assert.Equal(20.5, values[0][1].GetDouble());
        Assert.Equal("说明 \"quoted\"", values[1][2].GetString());
    }

    [Fact]
    public async Task AnErrorAnsweredByTheServer_IsTheStoreBeingUnavailable_NamingTheServer()
    {
        await using var influx = await InfluxFixture.StartAsync();
        var options = new InfluxOptions { Url = influx.Url, Bucket = "dropped", WriteApi = "v1" };
        await using var store = new InfluxStore(options, Some.TempDirectory(),
            new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone(), Microsoft.Extensions.Logging.Abstractions.NullLogger<InfluxStore>.Instance);
        await store.InitializeAsync(CancellationToken.None);
        using (var connection = new InfluxConnection(options))
        {
            await connection.ExecuteAsync("DROP DATABASE \"dropped\"", CancellationToken.None); // now influxd answers every query with an InfluxQL error
        }

        var e = await Assert.ThrowsAsync<EmissionMonitor.Storage.StoreUnavailableException>(() =>
            store.QueryReadingsAsync(new EmissionMonitor.Storage.ReadingQuery("2061", new DateTime(2025, 7, 1), new DateTime(2025, 8, 1)), CancellationToken.None));
        Assert.Contains(influx.Url.TrimEnd('/'), e.Message);
        // The InfluxQL error itself, or the circuit it opened (the forwarder's writes meet the same error).
        Assert.True(e.Message.Contains("database not found", StringComparison.Ordinal) || e.InnerException is Polly.CircuitBreaker.BrokenCircuitException, e.Message);
    }
}
