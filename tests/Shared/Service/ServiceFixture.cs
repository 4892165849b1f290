using EmissionMonitor.Configuration;
using EmissionMonitor.Hosting;
using EmissionMonitor.Ingestion;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EmissionMonitor.TestSupport;

/// <summary>The real service, in process, on free loopback ports, with a temporary data folder and the test registry.</summary>
public sealed class ServiceFixture : IAsyncDisposable
{
    private readonly LogRecorder _log;
    private readonly List<string> _expected = [];

    private ServiceFixture(WebApplication app, string data, int mqttPort, LogRecorder log)
    {
        App = app;
        DataDirectory = data;
        MqttPort = mqttPort;
        _log = log;
    }

    /// <summary>Errors the service logged so far.</summary>
    public IReadOnlyCollection<string> LoggedErrors => _log.Errors;

    /// <summary>The service's log lines at Information and above.</summary>
    public IReadOnlyCollection<(Microsoft.Extensions.Logging.LogLevel Level, string Text)> LogLines => _log.Lines;

    /// <summary>Declares errors the test provokes on purpose (matched by substring); any other fails the test at disposal.</summary>
    public void ExpectErrors(params string[] containing) => _expected.AddRange(containing);

    public WebApplication App { get; }

    public string DataDirectory { get; }

    public int MqttPort { get; }

    public int GatewayPort => App.Services.GetRequiredService<Hj212Gateway>().Port;

    /// <summary>The HTTP base address actually bound.</summary>
    public Uri HttpBase => new(App.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());

    public static async Task<ServiceFixture> StartAsync(IDictionary<string, string?>? overrides = null, Func<string, string, Task>? prepare = null, string[]? urls = null, string? registryPath = null, bool demo = false,
        Action<IServiceCollection>? services = null)
    {
        string root = Some.TempDirectory();
        string config = Path.Combine(root, "config");
        Directory.CreateDirectory(config);
        await File.WriteAllTextAsync(Path.Combine(config, "stations.json"), registryPath is null ? Some.RegistryJson : await File.ReadAllTextAsync(registryPath));
        int mqttPort = LoopbackPorts.Free();
        var values = new Dictionary<string, string?>
        {
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Port"] = mqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gateway:Host"] = "127.0.0.1",
            ["Gateway:Port"] = "0",
            ["Intake:MaxAge"] = "3650.00:00:00",
            // Test data carries fixed dates of the past: it raises live alerts as it always has, unless a
            // test asks for the live window itself (Alerts:LiveWindow, as the service's default of 2 h does).
            ["Alerts:LiveWindow"] = "3650.00:00:00",
            // One value beyond a limit is a warning in the tests written before the flapping rule (a test of it sets its own).
            ["Alerts:WarningMinCount"] = "1", ["Alerts:ReopenQuiet"] = "00:00:00", ["Alerts:RequireComment"] = "false",
            // Test terminals send real-time frames without hourly records: an outage by missing hours only where a test asks for it.
            ["Alerts:HourlyMissingAfter"] = "00:00:00",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        if (values.TryGetValue("Mqtt:Port", out var configured) && configured is not null)
        {
            mqttPort = int.Parse(configured, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (prepare is not null)
        {
            await prepare(config, Path.Combine(root, "data"));
        }

        var settings = AppSettings.Load(config, Path.Combine(root, "data"), values);
        var log = new LogRecorder();
        var app = ServiceHost.Build(settings, values.ContainsKey("Http:Urls") ? urls : urls ?? ["http://127.0.0.1:0"], demo,
            collection =>
            {
                collection.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(log);
                services?.Invoke(collection);
            });
        await ServiceHost.StartAsync(app);
        return new ServiceFixture(app, Path.Combine(root, "data"), mqttPort, log);
    }

    public async Task<StoreCounts> CountsAsync()
    {
        await using var store = new SqliteStore(DataDirectory);
        await store.InitializeAsync(CancellationToken.None);
        return await store.CountAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        var unexpected = _log.Errors.Where(e => !_expected.Any(x => e.Contains(x, StringComparison.Ordinal))).ToList();
        Assert.True(unexpected.Count == 0, "the service logged errors the test did not expect:\n" + string.Join("\n", unexpected.Take(10)));
    }
}
