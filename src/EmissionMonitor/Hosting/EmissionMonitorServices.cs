using EmissionMonitor.Configuration;
using EmissionMonitor.Diagnostics;
using EmissionMonitor.Ingestion;
using EmissionMonitor.Ingestion.Connecting;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Journaling;

namespace EmissionMonitor.Hosting;

/// <summary>
/// Every registration of <c>run</c>, one feature at a time in the order of the flow: registry and
/// storage, intake and the transports, compliance (reports), alerts, the API. Options are bound once
/// (by <see cref="AppSettings"/> or here) and validated before anything starts.
/// </summary>
public static class EmissionMonitorServices
{
    public static IServiceCollection AddEmissionMonitor(this IServiceCollection services, AppSettings settings, Api.ApiOptions api, ConnectionBudget budget, bool demo)
    {
        services.AddSingleton(settings);
        services.AddSingleton(settings.TimeZone);
        services.AddSingleton(settings.Barometer);
        services.AddSingleton(TimeProvider.System); // the one clock; everything else takes it from here
        services.AddRegistry(settings).AddStorage(settings).AddIngestion(settings, budget).AddCompliance(settings).AddAlerts(settings).AddApi(api);
        if (demo)
        {
            services.AddHostedService<Simulation.DemoSimulator>();
        }

        return services;
    }

    private static IServiceCollection AddRegistry(this IServiceCollection services, AppSettings settings)
    {
        services.AddSingleton(sp => new RegistryWatcher(settings.StationsPath, settings.LoadRegistry(), sp.GetRequiredService<ILogger<RegistryWatcher>>()));
        services.AddSingleton<Func<StationRegistry>>(sp => () => sp.GetRequiredService<RegistryWatcher>().Current);
        return services;
    }

    private static IServiceCollection AddStorage(this IServiceCollection services, AppSettings settings)
    {
        services.AddSingleton<IngestMetrics>();
        if (settings.Storage.Backend == "influxdb")
        {
            var influx = settings.InfluxOptions();
            Polly.PollyServiceCollectionExtensions.AddResiliencePipeline(services, Storage.Influx.InfluxPipeline.Name, (builder, _) => Storage.Influx.InfluxPipeline.Configure(builder, influx));
            services.AddSingleton<IStore>(sp => WithFacts(sp, settings.CreateStore(sp.GetRequiredService<ILoggerFactory>(),
                sp.GetRequiredService<Polly.Registry.ResiliencePipelineProvider<string>>().GetPipeline(Storage.Influx.InfluxPipeline.Name))));
            services.AddHostedService<Storage.Influx.InfluxForwarding>(); // before the journal's lifetime: it stops after it
        }
        else
        {
            services.AddSingleton<IStore>(sp => WithFacts(sp, settings.CreateStore(sp.GetRequiredService<ILoggerFactory>())));
        }

        services.AddSingleton(settings.FactRules());

        services.AddSingleton<IReadingStore>(sp => sp.GetRequiredService<IStore>());
        services.AddSingleton<IRecordStore>(sp => sp.GetRequiredService<IStore>());
        services.AddSingleton(sp => new DiskGuard(settings.Storage.DataDirectory, settings.Storage.MinFreeMB, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new Journal(sp.GetRequiredService<IReadingStore>(), settings.Storage, sp.GetRequiredService<IngestMetrics>(),
            sp.GetRequiredService<ILogger<Journal>>(), sp.GetRequiredService<DiskGuard>(), TimeProvider.System)); // group commit waits milliseconds for I/O on the machine's clock, also when a test fakes the service's
        services.AddHostedService<JournalLifetime>();
        services.AddHostedService<FactService>(); // after the journal's lifetime, which opens the store
        services.AddSingleton(settings.Retention);
        services.AddHostedService(sp => new RetentionService(sp.GetRequiredService<IStore>(), settings.Retention, sp.GetRequiredService<Func<StationRegistry>>(),
            settings.TimeZone, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RetentionService>>()));
        return services;
    }

    /// <summary>The store keeping its summaries at each commit, with the rules and the registry in force.</summary>
    private static IStore WithFacts(IServiceProvider sp, IStore store)
    {
        var registry = sp.GetRequiredService<Func<StationRegistry>>();
        store.MaintainFacts(new FactMaintenance(sp.GetRequiredService<Compliance.Summaries.FactRules>(), mn => registry().FindOutlet(mn)));
        return store;
    }

    private static IServiceCollection AddIngestion(this IServiceCollection services, AppSettings settings, ConnectionBudget budget)
    {
        var mqtt = AppSettings.Bind<MqttOptions>(settings.Configuration, MqttOptions.Section);
        services.AddSingleton(budget);
        services.AddSingleton(settings.Intake);
        services.AddSingleton(mqtt);
        services.AddSingleton(AppSettings.Bind<GatewayOptions>(settings.Configuration, GatewayOptions.Section));
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton(settings.Security);
        services.AddSingleton<Security.KeyRing>();
        services.AddSingleton<Security.TerminalIdentities>();
        services.AddHostedService<Security.KeyRingStartup>(); // before the transports: frames need their keys
        services.AddSingleton(sp => new IntakeProcessor(sp.GetRequiredService<Func<StationRegistry>>(), settings.Intake, settings.TimeZone,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<LoginThrottle>(), sp.GetRequiredService<Security.KeyRing>().Keys));
        services.AddSingleton(sp => new SplitPacketTracker(settings.Intake.SplitTimeout, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SplitPacketTracker>>()));
        services.AddSingleton(sp => new Commands.CommandLedger(sp.GetRequiredService<Func<StationRegistry>>(), sp.GetRequiredService<GatewayOptions>(),
            settings.TimeZone, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Alerts.AlertOptions>().LiveWindow));
        services.AddSingleton<ITimeCalibration>(sp => sp.GetRequiredService<Commands.CommandLedger>());
        services.AddSingleton<FrameIngestor>();
        if (mqtt.Mode == "embedded")
        {
            services.AddSingleton<EmbeddedMqttBroker>();
            services.AddHostedService(sp => sp.GetRequiredService<EmbeddedMqttBroker>());
            services.AddSingleton<IMessagePublisher>(sp => sp.GetRequiredService<EmbeddedMqttBroker>());
        }
        else
        {
            services.AddSingleton<ExternalMqttIngress>();
            services.AddHostedService(sp => sp.GetRequiredService<ExternalMqttIngress>());
            services.AddSingleton<IMessagePublisher>(sp => sp.GetRequiredService<ExternalMqttIngress>());
        }

        services.AddSingleton<Hj212Gateway>();
        services.AddHostedService(sp => sp.GetRequiredService<Hj212Gateway>());
        return services;
    }

    private static IServiceCollection AddCompliance(this IServiceCollection services, AppSettings settings)
    {
        // One way to make a report service: over the registry as it is when asked.
        services.AddSingleton<Reports.ExceedanceCache>(); // the episode lists kept between requests, for this store
        services.AddSingleton<Func<Reports.ReportService>>(sp => () => Reports.ReportService.Create(sp.GetRequiredService<IStore>(),
            sp.GetRequiredService<Func<StationRegistry>>()(), settings, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Reports.ExceedanceCache>()));
        return services;
    }

    private static IServiceCollection AddAlerts(this IServiceCollection services, AppSettings settings)
    {
        services.AddSingleton(AppSettings.Bind<Alerts.AlertOptions>(settings.Configuration, Alerts.AlertOptions.Section));
        services.AddSingleton(sp => new Alerts.AlertBook(sp.GetRequiredService<Alerts.AlertOptions>()));
        // The alert rule families, in the order each committed frame is shown to them: a new rule is its class and one line here.
        services.AddSingleton<Alerts.Rules.IAlertRule>(sp => new Alerts.Rules.SilentRule(sp.GetRequiredService<Alerts.AlertOptions>(), sp.GetRequiredService<Func<StationRegistry>>()));
        services.AddSingleton<Alerts.Rules.IAlertRule, Alerts.Rules.StandardSampleRule>();
        services.AddSingleton<Alerts.Rules.IAlertRule>(sp => new Alerts.Rules.IdentityRule(sp.GetRequiredService<Security.TerminalIdentities>()));
        services.AddSingleton<Alerts.Rules.IAlertRule, Alerts.Rules.ProcessLimitRule>();
        var facilities = AppSettings.Bind<Compliance.Facilities.FacilityOptions>(settings.Configuration, Compliance.Facilities.FacilityOptions.Section);
        services.AddSingleton(facilities);
        services.AddSingleton(new Alerts.Rules.FacilityTracker(facilities));
        services.AddSingleton<Alerts.Rules.IAlertRule>(sp => sp.GetRequiredService<Alerts.Rules.FacilityTracker>()); // before the facility rules: they read what it saw
        services.AddSingleton<Alerts.Rules.IAlertRule>(sp => new Alerts.Rules.TreatmentOffRule(sp.GetRequiredService<Alerts.Rules.FacilityTracker>(), sp.GetRequiredService<Func<StationRegistry>>()));
        services.AddSingleton<Alerts.Rules.IAlertRule>(sp => new Alerts.Rules.ShutdownContradictedRule(sp.GetRequiredService<Alerts.Rules.FacilityTracker>(),
            sp.GetRequiredService<Func<StationRegistry>>(), sp.GetRequiredService<IRecordStore>()));
        services.AddSingleton<Alerts.Rules.IAlertRule>(sp => new Alerts.Rules.EmissionsWithoutProductionRule(sp.GetRequiredService<Alerts.Rules.FacilityTracker>()));
        services.AddSingleton<Alerts.Rules.IAlertRule>(sp => new Alerts.Rules.AnomalyRule(sp.GetRequiredService<IRecordStore>(), settings.Anomalies));
        services.AddSingleton<Alerts.Rules.IAlertRule>(sp => new Alerts.Rules.LimitRule(settings.Compliance, sp.GetRequiredService<Alerts.AlertOptions>()));
        services.AddSingleton<Alerts.Rules.IAlertRule>(sp => new Alerts.Rules.BackfillRule(settings.Compliance, sp.GetRequiredService<Alerts.AlertOptions>()));
        services.AddSingleton<Alerts.Rules.IAlertRule>(sp => new Alerts.Rules.DailyRule(settings.Compliance, sp.GetRequiredService<Func<Reports.ReportService>>(), sp.GetRequiredService<Func<StationRegistry>>(),
            sp.GetRequiredService<Alerts.AlertOptions>()));
        services.AddSingleton<Alerts.Rules.IAlertRule>(sp => new Alerts.Rules.KeyAgeRule(sp.GetRequiredService<Security.KeyRing>(), sp.GetRequiredService<Func<StationRegistry>>()));
        services.AddSingleton<Alerts.Rules.IAlertRule>(sp => new Alerts.Rules.BarometerRule(settings.Compliance, settings.Barometer, sp.GetRequiredService<Func<Reports.ReportService>>(),
            sp.GetRequiredService<ILogger<Alerts.Rules.BarometerRule>>()));
        services.AddSingleton(AppSettings.Bind<Alerts.OutageOptions>(settings.Configuration, Alerts.OutageOptions.Section));
        services.AddSingleton<Alerts.Rules.IAlertRule>(sp => new Alerts.Rules.OutageRule(sp.GetRequiredService<Alerts.OutageOptions>(), sp.GetRequiredService<IRecordStore>(),
            () => sp.GetRequiredService<Orders.OrderService>()));
        services.AddSingleton(sp => new Alerts.AlertService(sp.GetRequiredService<Alerts.AlertBook>(), sp.GetRequiredService<IRecordStore>(),
            sp.GetRequiredService<Journal>(), sp.GetRequiredService<Func<StationRegistry>>(), sp.GetServices<Alerts.Rules.IAlertRule>(), sp.GetRequiredService<Alerts.AlertOptions>(),
            settings.TimeZone, sp.GetRequiredService<IMessagePublisher>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<Alerts.AlertService>>(),
            new Alerts.SpilledCommits(sp.GetRequiredService<Alerts.BacklogSpill>(), sp.GetRequiredService<IntakeProcessor>().Process)));
        services.AddSingleton(sp => new Alerts.BacklogSpill(Path.Combine(settings.Storage.DataDirectory, "alert-backlog"),
            sp.GetRequiredService<Alerts.AlertOptions>().MaxBacklogBytesPerOutlet));
        services.AddHostedService(sp => sp.GetRequiredService<Alerts.AlertService>());
        var publishing = AppSettings.Bind<Reports.PublicationOptions>(settings.Configuration, Reports.PublicationOptions.Section);
        services.AddSingleton(sp => new Reports.PublicationService(sp.GetRequiredService<IRecordStore>(), sp.GetRequiredService<Func<Reports.ReportService>>(),
            sp.GetRequiredService<Func<StationRegistry>>(), settings.Compliance, settings.TimeZone, sp.GetRequiredService<TimeProvider>(), publishing.SettleAfter,
            AppSettings.Bind<Reports.PublicOptions>(settings.Configuration, Reports.PublicOptions.Section)));
        services.AddSingleton(AppSettings.Bind<Notify.NotifyOptions>(settings.Configuration, Notify.NotifyOptions.Section));
        services.AddSingleton<Notify.NotificationService>();
        services.AddHostedService(sp => sp.GetRequiredService<Notify.NotificationService>());
        services.AddSingleton(AppSettings.Bind<Orders.OrderOptions>(settings.Configuration, Orders.OrderOptions.Section));
        services.AddSingleton<Orders.OrderService>();
        services.AddHostedService(sp => sp.GetRequiredService<Orders.OrderService>());
        services.AddSingleton<Commands.CommandService>();
        services.AddHostedService(sp => sp.GetRequiredService<Commands.CommandService>());
        var marking = AppSettings.Bind<Marking.MarkOptions>(settings.Configuration, Marking.MarkOptions.Section); // at start-up: a bad value stops it naming the key
        services.AddSingleton(sp => new Marking.MarkService(sp.GetRequiredService<IRecordStore>(), sp.GetRequiredService<Func<StationRegistry>>(),
            sp.GetRequiredService<Api.ApiOptions>(), settings.Compliance, marking,
            sp.GetRequiredService<TimeZoneInfo>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<Notify.NotificationService>()));
        var manual = AppSettings.Bind<Compliance.Manual.ManualOptions>(settings.Configuration, Compliance.Manual.ManualOptions.Section);
        services.AddSingleton(manual);
        services.AddSingleton(AppSettings.Bind<Compliance.Tax.TaxOptions>(settings.Configuration, Compliance.Tax.TaxOptions.Section));
        services.AddSingleton(AppSettings.Bind<Permits.PermitOptions>(settings.Configuration, Permits.PermitOptions.Section));
        services.AddSingleton(sp => new Permits.ReportDeadlines(sp.GetRequiredService<IRecordStore>(), sp.GetRequiredService<Func<StationRegistry>>(),
            sp.GetRequiredService<Permits.PermitOptions>(), sp.GetRequiredService<TimeZoneInfo>(), sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<Permits.ReportReminders>();
        services.AddSingleton(sp => new ManualData.ManualDataService(sp.GetRequiredService<IRecordStore>(), sp.GetRequiredService<Func<StationRegistry>>(),
            sp.GetRequiredService<Marking.MarkService>(), sp.GetRequiredService<Users.UserLimits>(), manual, sp.GetRequiredService<TimeZoneInfo>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetService<Notify.NotificationService>()));
        services.AddSingleton(sp => new Evidence.EvidenceStore(settings.Storage.DataDirectory, sp.GetRequiredService<Api.ApiOptions>(), sp.GetRequiredService<DiskGuard>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    private static IServiceCollection AddApi(this IServiceCollection services, Api.ApiOptions api)
    {
        services.AddSingleton(api);
        services.AddSingleton<Users.UserLimits>(api); // the same values, for the features that enforce them
        services.AddSingleton(sp => new Api.Http.Sessions(api.SessionLifetime, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Api.ApiAuth>();
        services.AddSingleton<Api.ReportGate>();
        services.AddSingleton<Api.Http.DownloadLimits>();
        services.AddSingleton<Api.LiveEvents>();
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }
}
