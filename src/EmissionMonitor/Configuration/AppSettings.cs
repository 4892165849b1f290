using System.ComponentModel.DataAnnotations;
using EmissionMonitor.Compliance;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Sqlite;

namespace EmissionMonitor.Configuration;

/// <summary>
/// The configuration of one run: <c>--config DIR</c> (stations.json and optional appsettings.json),
/// environment variables (<c>__</c> for nesting) and command-line overrides, bound and validated.
/// Anything missing takes its default; anything invalid throws <see cref="ConfigurationException"/>
/// naming the key.
/// </summary>
public sealed class AppSettings
{
    public required IConfiguration Configuration { get; init; }

    public required string ConfigDirectory { get; init; }

    public required StorageOptions Storage { get; init; }

    public required IntakeOptions Intake { get; init; }

    public required ComplianceOptions Compliance { get; init; }

    public required TimeZoneInfo TimeZone { get; init; }

    /// <summary>The card rule (section Cards), bound once.</summary>
    public required EmissionMonitor.Compliance.Cards.CardOptions Cards { get; init; }

    /// <summary>Substitution for totals and the 25 % rule (section Totals), bound once.</summary>
    public required EmissionMonitor.Compliance.Totals.TotalsOptions Totals { get; init; }

    /// <summary>The city target barometer's levels.</summary>
    public required BarometerOptions Barometer { get; init; }

    /// <summary>The data-anomaly rules (section Anomalies), bound once.</summary>
    public required EmissionMonitor.Compliance.Anomalies.AnomalyOptions Anomalies { get; init; }

    /// <summary>How long each kind of data is kept (section Retention), bound once.</summary>
    public required RetentionOptions Retention { get; init; }

    /// <summary>HJ 212-2025 terminal keys (section Security), bound once.</summary>
    public required EmissionMonitor.Security.SecurityOptions Security { get; init; }

    public string StationsPath => Path.Combine(ConfigDirectory, "stations.json");

    /// <summary>Loads settings; <paramref name="dataDirectory"/> (from --data) overrides Storage:DataDirectory.</summary>
    public static AppSettings Load(string configDirectory, string? dataDirectory, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.GetFullPath(Path.Combine(configDirectory, "appsettings.json")), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables();
        var extra = new Dictionary<string, string?>(overrides ?? []);
        if (dataDirectory is not null)
        {
            extra["Storage:DataDirectory"] = dataDirectory;
        }

        var configuration = builder.AddInMemoryCollection(extra).Build();
        var compliance = Bind<ComplianceOptions>(configuration, ComplianceOptions.Section);
        return new AppSettings
        {
            Configuration = configuration,
            ConfigDirectory = configDirectory,
            Storage = Bind<StorageOptions>(configuration, StorageOptions.Section),
            Intake = Bind<IntakeOptions>(configuration, IntakeOptions.Section),
            Compliance = compliance,
            Cards = Bind<EmissionMonitor.Compliance.Cards.CardOptions>(configuration, EmissionMonitor.Compliance.Cards.CardOptions.Section),
            Barometer = Bind<BarometerOptions>(configuration, BarometerOptions.Section),
            Totals = Bind<EmissionMonitor.Compliance.Totals.TotalsOptions>(configuration, EmissionMonitor.Compliance.Totals.TotalsOptions.Section),
            Retention = Bind<RetentionOptions>(configuration, RetentionOptions.Section),
            Anomalies = Bind<EmissionMonitor.Compliance.Anomalies.AnomalyOptions>(configuration, EmissionMonitor.Compliance.Anomalies.AnomalyOptions.Section),
            Security = Bind<EmissionMonitor.Security.SecurityOptions>(configuration, EmissionMonitor.Security.SecurityOptions.Section),
            TimeZone = compliance.ResolveTimeZone(),
        };
    }

    /// <summary>Binds and validates one section; the error names the key.</summary>
    public static T Bind<T>(IConfiguration configuration, string section)
        where T : new()
    {
        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigurationException($"{section}: {e.Message}{(e.InnerException is null ? "" : " " + e.InnerException.Message)}");
        }

        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new ConfigurationException(string.Join("; ", results.Select(r => r.ErrorMessage)));
        }

        return options;
    }

    /// <summary>The store <c>Storage:Backend</c> names: SQLite under the data folder, or InfluxDB with a local buffer there.</summary>
    /// <param name="loggers">Loggers for the store (none by default).</param>
    /// <param name="pipeline">The InfluxDB pipeline from DI (the service then runs the forwarder as a hosted service).</param>
    public IStore CreateStore(Microsoft.Extensions.Logging.ILoggerFactory? loggers = null, Polly.ResiliencePipeline? pipeline = null)
    {
        if (Storage.Backend != "influxdb")
        {
            return new SqliteStore(Storage.DataDirectory, maxSizeMB: Storage.MaxSizeMB);
        }

        var influx = InfluxOptions();

        var factory = loggers ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        return new EmissionMonitor.Storage.Influx.InfluxStore(influx, Storage.DataDirectory, TimeZone,
            Microsoft.Extensions.Logging.LoggerFactoryExtensions.CreateLogger<EmissionMonitor.Storage.Influx.InfluxStore>(factory), pipeline: pipeline,
            dedupeWindow: Intake.MaxAge);
    }

    /// <summary>The rules the summaries are built with (Compliance and Cards).</summary>
    public EmissionMonitor.Compliance.Summaries.FactRules FactRules() => new(Compliance, Cards);

    /// <summary>
    /// The store of a one-shot command (<c>import</c>, <c>report</c>), initialised, keeping its summaries
    /// with <paramref name="registry"/>, and every outlet's summaries brought in line with the rules first.
    /// </summary>
    public async Task<IStore> OpenStoreAsync(StationRegistry registry, CancellationToken cancellationToken)
    {
        var store = CreateStore();
        try
        {
            await store.InitializeAsync(cancellationToken);
            var rules = FactRules();
            store.MaintainFacts(new FactMaintenance(rules, registry.FindOutlet));
            await EmissionMonitor.Storage.FactRefresh.RunAsync(store, rules, registry, cancellationToken);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>The InfluxDB section, bound and checked (the URL must be absolute).</summary>
    public EmissionMonitor.Storage.Influx.InfluxOptions InfluxOptions()
    {
        var influx = Bind<EmissionMonitor.Storage.Influx.InfluxOptions>(Configuration, EmissionMonitor.Storage.Influx.InfluxOptions.Section);
        return Uri.TryCreate(influx.Url, UriKind.Absolute, out _)
            ? influx
            : throw new ConfigurationException($"Influx:Url must be an absolute URL, not '{influx.Url}'");
    }

    /// <summary>Loads the registry (empty when the file is absent); problems stop start-up naming the entry.</summary>
    public StationRegistry LoadRegistry()
    {
        if (!File.Exists(StationsPath))
        {
            return StationRegistry.Empty;
        }

        var (registry, problems) = RegistryLoader.Load(StationsPath);
        return registry ?? throw new ConfigurationException("invalid registry:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", problems));
    }
}
