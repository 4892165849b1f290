using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EmissionMonitor.IntegrationTests.Gate;

/// <summary>The gate runs alone: it reads the process's allocation counter, which every other test would move.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationGateCollection
{
    public const string Name = "allocation gate";
}

/// <summary>
/// The allocation gate (issue 34): the service on a generated 200-outlet quarter answers every GET
/// endpoint it maps — JSON, CSV and XLSX — and each call's allocated bytes
/// (<see cref="GC.GetTotalAllocatedBytes"/>, in process, deterministic) stay under the call's budget
/// and do not grow when the store grows by a quarter of another year, which no call asks for (the
/// cards read back to the start of the year before; the documents' years to date to January). A change that
/// loads a table whole, or reads the store beyond the period asked, fails the build here. A GET
/// endpoint added without an entry in <see cref="GateCalls"/> fails it too.
/// </summary>
[Collection(AllocationGateCollection.Name)]
public sealed class AllocationGateTests(ITestOutputHelper output)
{
    private const int Outlets = 200;

    [Fact]
    public async Task EveryGetEndpoint_AllocatesWithinItsBudget_AndNotWithTheStore()
    {
        string work = Some.TempDirectory();
        string registry = Path.Combine(work, "stations.json");
        string data = Path.Combine(work, "data");
        await CliAsync("generate", "--outlets", $"{Outlets}", "--days", "92", "--from", "2025-07-01", "--out", Path.Combine(work, "q3.h212.gz"), "--registry-out", registry);
        await CliAsync("generate", "--outlets", $"{Outlets}", "--days", "92", "--from", "2023-07-01", "--out", Path.Combine(work, "other.h212.gz"),
            "--registry-out", Path.Combine(work, "same-registry.json"), "--seed", "2");
        await CliAsync("import", Path.Combine(work, "q3.h212.gz"), "--config", work, "--data", data);

        var quarter = await MeasureAsync(registry, data);
        await CliAsync("import", Path.Combine(work, "other.h212.gz"), "--config", work, "--data", data);
        var twoQuarters = await MeasureAsync(registry, data);

        var table = new StringBuilder("| call | allocated MB (Q3 stored) | allocated MB (2023Q3 stored too) | response KB | budget MB |\n|---|---:|---:|---:|---:|\n");
        var failures = new List<string>();
        foreach (var call in GateCalls.All)
        {
            var (bytes, size) = quarter[call.Url];
            var (grown, grownSize) = twoQuarters[call.Url];
            long budget = call.Budget;
            table.Append(CultureInfo.InvariantCulture, $"| `{call.Url}` | {Mb(bytes)} | {Mb(grown)} | {size / 1024} | {Mb(budget)} |\n");
            if (bytes > budget)
            {
                failures.Add($"{call.Url} allocated {Mb(bytes)} MB for a {size / 1024} KB answer, over its budget of {call.BudgetMb} MB");
            }

            // The same answer from a larger store must cost what it did. (An answer that changed — alerts the
            // service raised meanwhile — is held to its budget only; so are the reference page's assets.)
            if (call.ReadsStore && Math.Abs(grownSize - size) <= size / 10 && grown > (bytes * 5 / 4) + GateCalls.Noise)
            {
                failures.Add($"{call.Url} allocated {Mb(grown)} MB with another quarter stored (was {Mb(bytes)} MB): it reads beyond the period it was asked for");
            }
        }

        output.WriteLine(table.ToString());
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>Starts the service on a copy of <paramref name="data"/> and measures each call twice, keeping the lesser (the first pays for JIT and first uses).</summary>
    private async Task<Dictionary<string, (long Allocated, long Size)>> MeasureAsync(string registry, string data)
    {
        await using var service = await ServiceFixture.StartAsync(
            new Dictionary<string, string?>
            {
                ["Api:Users:0:Token"] = GateCalls.Operator, ["Api:Users:0:Role"] = "operator",
                ["Api:Users:1:Token"] = GateCalls.Enterprise, ["Api:Users:1:Role"] = "enterprise", ["Api:Users:1:Enterprise"] = "GEN-000001",
                ["Api:MaxDownloadsPerUser"] = "8",
            },
            prepare: (_, target) => Task.Run(() => Copy(data, target)), registryPath: registry);
        AssertEveryGetEndpointIsCalled(service);
        using var http = ApiCalls.Client(service.HttpBase, GateCalls.Operator);
        http.Timeout = TimeSpan.FromMinutes(2);
        var measured = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        foreach (var call in GateCalls.All)
        {
            long least = long.MaxValue, size = 0;
            for (int i = 0; i < 2; i++)
            {
                await QuietAsync();
                long before = GC.GetTotalAllocatedBytes(precise: true);
                size = await CallAsync(http, call.Url);
                least = Math.Min(least, GC.GetTotalAllocatedBytes(precise: true) - before);
            }

            measured[call.Url] = (least, size);
        }

        return measured;
    }

    /// <summary>
    /// Waits until the process allocates next to nothing for a moment: the service's own timed work
    /// (the alert desk's daily judging of cards and rates, the fact service) must not be counted into
    /// a call. Gives up after 30 s (the call is then measured as it is, and the lesser of two kept).
    /// </summary>
    private static async Task QuietAsync()
    {
        for (int i = 0; i < 150; i++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            await Task.Delay(200);
            if (GC.GetTotalAllocatedBytes(precise: true) - before < 256 * 1024)
            {
                return;
            }
        }
    }

    private static async Task<long> CallAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        Assert.True((int)response.StatusCode is 200 or 404, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        long size = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            size += read;
        }

        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        return size;
    }

    private static void AssertEveryGetEndpointIsCalled(ServiceFixture service)
    {
        var patterns = service.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
            .Select(EmissionMonitor.Api.ApiArea.PathOf)
            .ToHashSet(StringComparer.Ordinal);
        var missing = patterns.Where(p => !GateCalls.Covers(p)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "GET endpoints without a call in the allocation gate (add them to GateCalls): " + string.Join(", ", missing));
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static async Task CliAsync(params string[] args)
    {
        var result = await CliRunner.RunAsync(args, timeout: TimeSpan.FromMinutes(5));
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)}: {result.StdErr}");
    }
}
