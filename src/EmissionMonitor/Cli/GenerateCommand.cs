using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using EmissionMonitor.Compliance;
using EmissionMonitor.Registry;
using EmissionMonitor.Simulation;

namespace EmissionMonitor.Cli;

/// <summary>
/// <c>generate</c>: a reproducible data set of any size — a registry of N outlets (gas and water, two
/// per enterprise, over Qinghai's prefectures) and D days of their hourly records (optionally
/// real-time records too) in time order, as a terminal fleet would have sent them — so the scale
/// figures of docs/benchmarks.md can be reproduced with <c>import</c> and <c>report</c>.
/// </summary>
public static class GenerateCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] Cities = ["西宁市", "海东市", "海北藏族自治州", "黄南藏族自治州", "海南藏族自治州", "果洛藏族自治州", "玉树藏族自治州", "海西蒙古族藏族自治州"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var p = CliArguments.Parse(args,
            ["--outlets", "--days", "--from", "--out", "--registry-out", "--realtime", "--exceed-share", "--gap-share", "--flag-share", "--seed"], []);
        string output = p.Value("--out") ?? throw new UsageException("generate needs option --out FILE (.gz to compress)");
        int outlets = p.Int("--outlets", 500, 1, 100_000);
        int days = p.Int("--days", 92, 1, 3660);
        int realtime = p.Int("--realtime", 0, 0, 3600);
        var from = ReportPeriod.ParseLocal(p.Value("--from") ?? "2025-07-01") is { } f && f == f.Date
            ? f : throw new UsageException($"option --from needs a date YYYY-MM-DD, not '{p.Value("--from")}'");
        string registryPath = p.Value("--registry-out") ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, "stations.json");
        var random = new Random(p.Int("--seed", 1));
        var options = new SimulationOptions(new Uri("tcp://127.0.0.1:9212"), outlets, 1, TimeSpan.Zero, 0,
            p.Double("--exceed-share", 0.05, 0, 1), p.Double("--gap-share", 0.02, 0, 1), p.Double("--flag-share", 0.02, 0, 1), 0);

        string json = RegistryJson(outlets);
        var (registry, problems) = RegistryLoader.Parse(json, registryPath);
        if (registry is null)
        {
            throw new InvalidOperationException($"generated registry invalid: {string.Join("; ", problems)}");
        }

        await File.WriteAllTextAsync(registryPath, json, cancellationToken);
        var factories = registry.Outlets.OrderBy(o => o.Mn, StringComparer.Ordinal).Select(o => new FrameFactory(o, options, new Random(random.Next()))).ToList();
        long frames = 0;
        await using (var file = File.Create(output))
        await using (Stream stream = output.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.Fastest) : file)
        await using (var buffered = new BufferedStream(stream, 1 << 20))
        {
            for (var hour = from; hour < from.AddDays(days); hour = hour.AddHours(1))
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var factory in factories)
                {
                    for (int i = 0; i < realtime; i++)
                    {
                        buffered.Write(factory.RealTime(hour.AddSeconds(3600.0 * i / realtime)).Bytes);
                        frames++;
                    }

                    if (random.NextDouble() >= options.GapShare)
                    {
                        buffered.Write(factory.Hourly(hour).Bytes);
                        frames++;
                    }
                }
            }
        }

        Console.WriteLine($"wrote {frames} frames of {outlets} outlets over {days} days from {from:yyyy-MM-dd} to {output}; registry {registryPath}");
        return 0;
    }

    /// <summary>A registry of <paramref name="count"/> outlets: even ones gas, odd ones water, two per enterprise.</summary>
    private static string RegistryJson(int count)
    {
        var enterprises = new List<object>();
        for (int e = 0; e * 2 < count; e++)
        {
            var outlets = new List<object>();
            for (int o = e * 2; o < Math.Min(count, (e * 2) + 2); o++)
            {
                string mn = $"GEN{o:D8}";
                outlets.Add(o % 2 == 0
                    ? new Dictionary<string, object> { ["mn"] = mn, ["password"] = "123456", ["kind"] = "gas", ["name"] = $"{o}号排口", ["code"] = "DA001", ["referenceO2"] = 6.0,
                        ["limits"] = new Dictionary<string, object> { ["a21026"] = 35, ["a21002"] = 50, ["a34013"] = 10 } }
                    : new Dictionary<string, object> { ["mn"] = mn, ["password"] = "654321", ["kind"] = "water", ["name"] = $"{o}号排口", ["code"] = "DW001",
                        ["limits"] = new Dictionary<string, object> { ["w01018"] = 50, ["w21003"] = 5, ["w01001"] = new { min = 6, max = 9 } } });
            }

            enterprises.Add(new Dictionary<string, object>
            {
                ["id"] = $"GEN-{e:D6}", ["name"] = $"生成企业{e}", ["city"] = Cities[e % Cities.Length], ["industry"] = "generated",
                ["permitNumber"] = $"91630000GEN{e:D7}001P",
                ["permits"] = new Dictionary<string, object> { ["a21026"] = 60.0, ["a21002"] = 90.0, ["w01018"] = 40.0, ["w21003"] = 4.0 },
                ["outlets"] = outlets,
            });
        }

        return JsonSerializer.Serialize(new { enterprises }, JsonOptions);
    }
}
