using Scalar.AspNetCore;
using EmissionMonitor.Configuration;
using EmissionMonitor.Ingestion.Connecting;
using EmissionMonitor.Registry;
using Serilog;

namespace EmissionMonitor.Hosting;

/// <summary>
/// The composition root of <c>run</c>: the web host (logging, Kestrel's limits and connection
/// admission), the services (<see cref="EmissionMonitorServices.AddEmissionMonitor"/>) and the HTTP pipeline.
/// </summary>
public static class ServiceHost
{
    /// <param name="settings">The run's configuration.</param>
    /// <param name="urls">HTTP addresses instead of Http:Urls (tests).</param>
    /// <param name="demo">Also run the demo simulator.</param>
    /// <param name="observe">Extra registrations after the service's own (tests add a log observer here).</param>
    public static WebApplication Build(AppSettings settings, IReadOnlyList<string>? urls = null, bool demo = false, Action<IServiceCollection>? observe = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddConfiguration(settings.Configuration);
        UseSerilog(builder, settings.Configuration["Logging:File"]);
        var httpOptions = AppSettings.Bind<Api.Http.HttpOptions>(settings.Configuration, Api.Http.HttpOptions.Section);
        var bound = urls?.ToArray() ?? httpOptions.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries);
        var proxies = httpOptions.ProxyNetworks();
        var api = AppSettings.Bind<Api.ApiOptions>(settings.Configuration, Api.ApiOptions.Section);
        api.Validate(settings.LoadRegistry());
        if (api.Users.Count == 0 && bound.FirstOrDefault(u => !IsLoopback(u)) is { } exposed)
        {
            throw new ConfigurationException($"Api:Users: binding HTTP to {exposed} beyond loopback needs API users (Api:Users)");
        }

        builder.WebHost.UseUrls(bound);
        var limits = AppSettings.Bind<ConnectionLimits>(settings.Configuration, ConnectionLimits.Section);
        var budget = ConnectionBudget.FromProcessLimit(limits.FileDescriptorReserve);
        var hosts = httpOptions.HostNames(bound);
        var gate = new Api.Http.ClientGate(proxies, hosts, api.MaxConnectionsPerAddress);
        // A trusted proxy carries many clients on its connections: the per-address cap counts them by
        // their forwarded address (ClientGate), not the proxy's; the process budget still holds.
        var httpLimiter = new AddressLimiter("http", api.MaxConnectionsPerAddress, budget, exempt: gate.IsProxy);
        LimitKestrel(builder, api, httpLimiter);
        builder.Services.AddSingleton(new Api.Http.AllowedOrigins(api.AllowedOrigins, hosts));
        builder.Services.AddEmissionMonitor(settings, api, budget, demo);
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = Api.ProblemCodes.Customize); // code and params on every problem
        AddOpenApiDocument(builder.Services);
        observe?.Invoke(builder.Services);
        var app = builder.Build();
        var auth = app.Services.GetRequiredService<Api.ApiAuth>();
        WarnAboutConfiguration(app, settings, auth);
        _ = app.Services.GetRequiredService<Api.LiveEvents>(); // subscribe to alerts and commits from the start
        Api.HttpHardening.Use(app);
        gate.Use(app);
        var dashboard = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "Dashboard", "wwwroot"));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = dashboard });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = dashboard });
        MapEndpoints(app, auth);
        return app;
    }

    /// <summary>Serilog to the console (and <c>Logging:File</c>, rolled daily): this host's own logger, Microsoft's and Polly's chatter above Information only.</summary>
    private static void UseSerilog(WebApplicationBuilder builder, string? logFile)
    {
        builder.Logging.ClearProviders(); // Serilog writes the console; only providers added on purpose (tests) get events too
        builder.Host.UseSerilog((_, log) =>
        {
            log.MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Polly", Serilog.Events.LogEventLevel.Warning) // every InfluxDB call's telemetry at Information: retries and failures stay
                .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            if (!string.IsNullOrEmpty(logFile))
            {
                log.WriteTo.File(logFile, rollingInterval: RollingInterval.Day, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
        }, preserveStaticLogger: true, writeToProviders: true); // this host's own logger (hosts in one process, as in the tests, never share one); events also reach logger providers registered in DI (none in production)
    }

    /// <summary>Kestrel's limits: the body and header sizes, the header timeout, and the per-address connection cap at accept.</summary>
    private static void LimitKestrel(WebApplicationBuilder builder, Api.ApiOptions api, AddressLimiter httpLimiter) =>
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = api.MaxBodyBytes;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => async connection =>
            {
                using var lease = httpLimiter.TryAdmit(connection.RemoteEndPoint, out _);
                if (lease is null)
                {
                    connection.Abort();
                    return;
                }

                await next(connection);
            }));
        });

    /// <summary>The OpenAPI document <c>v1</c>: the endpoints, their typed answers, and what <see cref="Api.OpenApiContract"/> adds.</summary>
    private static void AddOpenApiDocument(IServiceCollection services) =>
        services.AddOpenApi("v1", openApi =>
        {
            openApi.AddOperationTransformer<Api.OpenApiContract>();
            openApi.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "EmissionMonitor HTTP API";
                document.Info.Description = "Pollution-source online monitoring (HJ 212): reports, alerts and their handling, marks, orders, cards, commands. "
                    + "Authenticate with the header Authorization: Bearer TOKEN (a token of Api:Users) or the dashboard's session cookie.";
                return Task.CompletedTask;
            });
        });

    /// <summary>What an operator should know at start: no users, passwords shared across enterprises, no registry.</summary>
    private static void WarnAboutConfiguration(WebApplication app, AppSettings settings, Api.ApiAuth auth)
    {
        if (auth.Open)
        {
            app.Logger.LogWarning("No API users configured (Api:Users): HTTP is bound to loopback only and every caller is treated as an operator");
        }

        var shared = app.Services.GetRequiredService<RegistryWatcher>().Current.SharedPasswords();
        if (shared.Count > 0)
        {
            app.Logger.LogWarning("{Groups} passwords are shared by outlets of different enterprises ({Outlets} outlets, e.g. {Example}): each of these terminals can log in as the others; give every outlet its own password",
                shared.Count, shared.Sum(g => g.Count), string.Join(", ", shared[0].Take(4)));
        }

        if (!File.Exists(settings.StationsPath))
        {
            app.Logger.LogWarning("No registry at {Path}: every terminal is refused", Path.GetFullPath(settings.StationsPath));
        }
    }

    /// <summary>The HTTP endpoints: diagnostics, the OpenAPI document and its reference page, then every area of the API.</summary>
    private static void MapEndpoints(WebApplication app, Api.ApiAuth auth)
    {
        Api.DiagnosticsApi.Map(app);
        app.MapOpenApi(); // GET /openapi/v1.json
        app.MapScalarApiReference("/docs", docs => docs.WithTitle("EmissionMonitor API").WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts().DisableTelemetry().DisableAgent().DisableMcp()); // everything from the package: no CDN, no fonts or calls from outside
        Api.SessionApi.Map(app, auth);
        Api.ReportsApi.Map(app, auth);
        Api.DocumentsApi.Map(app, auth);
        Api.AlertsApi.Map(app, auth);
        Api.AlertHandlingApi.Map(app, auth);
        Api.OperationsApi.Map(app, auth);
        Api.CommandsApi.Map(app, auth);
        Api.MarksApi.Map(app, auth);
        Api.ManualDataApi.Map(app, auth);
        Api.TaxApi.Map(app, auth);
        Api.PermitsApi.Map(app, auth);
        Api.FacilitiesApi.Map(app, auth);
        Api.CardLiftsApi.Map(app, auth);
        Api.PublicationsApi.Map(app, auth);
        Api.NotificationsApi.Map(app, auth);
        Api.OrdersApi.Map(app, auth);
        Api.CodesApi.Map(app, auth);
    }

    /// <summary>
    /// Starts the service, then checks the addresses Kestrel really bound (from any source of
    /// configuration: Http:Urls, Kestrel:Endpoints, ASPNETCORE_URLS …): with no API users, an
    /// address beyond loopback stops it again with a configuration error naming Api:Users.
    /// </summary>
    public static async Task StartAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        await app.StartAsync(cancellationToken);
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
        if (app.Services.GetRequiredService<Api.ApiAuth>().Open && addresses.FirstOrDefault(a => !IsLoopback(a)) is { } exposed)
        {
            await app.StopAsync(CancellationToken.None);
            throw new ConfigurationException($"Api:Users: HTTP is bound to {exposed} beyond loopback, which needs API users (Api:Users)");
        }

        app.Logger.LogInformation("HTTP API listening on {Addresses}", string.Join(", ", addresses));
    }

    private static bool IsLoopback(string url) =>
        Uri.TryCreate(url.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
        && (uri.IsLoopback || uri.Host is "127.0.0.1" or "[::1]");
}
