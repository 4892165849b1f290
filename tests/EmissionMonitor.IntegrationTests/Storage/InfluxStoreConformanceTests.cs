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
