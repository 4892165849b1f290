using EmissionMonitor.Configuration;
using EmissionMonitor.Hosting;

namespace EmissionMonitor.Cli;

/// <summary><c>run [--demo]</c>: the service on its embedded defaults; Ctrl-C or SIGTERM stops it after flushing.</summary>
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
        var app = ServiceHost.Build(settings, demo: demo);
        await app.RunAsync(cancellationToken);
        return 0;
    }
}
