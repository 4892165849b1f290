using System.Diagnostics;
using EmissionMonitor.Configuration;
using EmissionMonitor.Registry;
using EmissionMonitor.Simulation;

namespace EmissionMonitor.Cli;

/// <summary><c>simulate</c>: a fleet of terminals sending HJ 212 frames to a broker or gateway.</summary>
public static class SimulateCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var p = CliArguments.Parse(args,
            ["--target", "--outlets", "--rate", "--duration", "--bad-share", "--exceed-share", "--gap-share", "--flag-share", "--backfill-hours", "--registry", "--config", "--data", "--version"], ["--encrypt"]);
        string target = p.Value("--target") ?? "mqtt://127.0.0.1:1883";
        if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.Scheme is not ("mqtt" or "tcp") || uri.Port <= 0)
        {
            throw new UsageException($"option --target needs mqtt://host:port or tcp://host:port, not '{target}'");
        }

        string registryPath = p.Value("--registry") ?? Path.Combine(p.Value("--config") ?? "config", "stations.json");
        var (registry, problems) = RegistryLoader.Load(registryPath);
        if (registry is null)
        {
            throw new UsageException($"option --registry: {string.Join("; ", problems)}");
        }

        var version = p.Value("--version") switch
        {
            null or "2017" => Hj212.Hj212Version.V2017,
            "2025" => Hj212.Hj212Version.V2025,
            var other => throw new UsageException($"option --version needs 2017 or 2025, not '{other}'"),
        };
        if (p.Has("--encrypt") && version != Hj212.Hj212Version.V2025)
        {
            throw new UsageException("option --encrypt needs --version 2025 (HJ 212-2017 has no encryption)");
        }

        var all = registry.Outlets.ToList();
        int count = p.Int("--outlets", all.Count, 1, Math.Max(1, all.Count));
        var options = new SimulationOptions(uri, count, p.Double("--rate", count, 0.001, 1_000_000), p.Duration("--duration", TimeSpan.FromSeconds(60)),
            p.Double("--bad-share", 0, 0, 1), p.Double("--exceed-share", 0.05, 0, 1), p.Double("--gap-share", 0, 0, 1), p.Double("--flag-share", 0.02, 0, 1),
            p.Int("--backfill-hours", 0, 0, 24 * 400), version, p.Has("--encrypt"));
        var settings = AppSettings.Load(p.Value("--config") ?? "config", null);
        var fleet = new TerminalFleet(all.Take(count).ToList(), options, settings.TimeZone, TimeProvider.System);
        var watch = Stopwatch.StartNew();
        await fleet.RunAsync(cancellationToken);
        double s = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"sent {fleet.Sent} frames in {s:F1} s ({fleet.Sent / Math.Max(s, 0.001):F0} frames/s): acknowledged {fleet.Acknowledged}, not acknowledged {fleet.Failed}, unconfirmed {fleet.Unconfirmed} (no reply asked), gaps {fleet.Skipped}");
        return 0;
    }
}
