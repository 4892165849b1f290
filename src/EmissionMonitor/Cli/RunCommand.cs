using EmissionMonitor.Configuration;
using EmissionMonitor.Hosting;

namespace EmissionMonitor.Cli;

/// <summary>
/// <c>run [--demo]</c>: the service on its embedded defaults; Ctrl-C or SIGTERM stops it after
/// flushing (exit 0). A listener that cannot bind (a port in use) or a part of the service that
/// fails while running stops it with exit 1, so a supervisor (systemd's Restart=on-failure) restarts it.
/// </summary>
public static class RunCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArguments.Parse(args, ["--config", "--data"], ["--demo"]);
        if (parsed.Positional.Count > 0)
        {
            throw new UsageException($"run takes no arguments, not '{parsed.Positional[0]}'");
        }

        bool demo = parsed.Has("--demo");
        string config = parsed.Value("--config") ?? (demo ? Path.Combine("config", "demo") : "config");
        var settings = AppSettings.Load(config, parsed.Value("--data"));
        await using var app = ServiceHost.Build(settings, demo: demo);
        try
        {
            await ServiceHost.StartAsync(app, cancellationToken);
        }
        catch (Exception e) when (ListenFailure(e) is { } reason)
        {
            await Console.Error.WriteLineAsync($"error: cannot start the service: {reason}");
            return 1;
        }

        await app.WaitForShutdownAsync(cancellationToken);
        var failed = app.Services.GetServices<IHostedService>().OfType<BackgroundService>().FirstOrDefault(s => s.ExecuteTask is { IsFaulted: true });
        if (failed is not null)
        {
            await Console.Error.WriteLineAsync($"error: {failed.GetType().Name} failed, the service stopped: {failed.ExecuteTask!.Exception?.GetBaseException().Message}");
            return 1;
        }

        return 0;
    }

    /// <summary>The reason when <paramref name="e"/> is a listener that could not bind (a port in use, an address not here).</summary>
    private static string? ListenFailure(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is System.Net.Sockets.SocketException or IOException)
            {
                return x.Message;
            }
        }

        return null;
    }
}
