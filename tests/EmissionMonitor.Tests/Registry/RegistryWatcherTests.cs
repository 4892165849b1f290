using EmissionMonitor.Registry;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmissionMonitor.Tests.Registry;

public sealed class RegistryWatcherTests
{
    [Fact]
    public async Task ChangedFile_IsReloaded_AndAnInvalidChangeKeepsThePreviousRegistry()
    {
        string path = Path.Combine(Some.TempDirectory(), "stations.json");
        await File.WriteAllTextAsync(path, Some.RegistryJson);
        using var watcher = new RegistryWatcher(path, RegistryLoader.Load(path).Registry!, NullLogger<RegistryWatcher>.Instance);
        Assert.NotNull(watcher.Current.FindOutlet("QHXN0010001"));

        await File.WriteAllTextAsync(path, Some.RegistryJson.Replace("QHXN0010001", "QHXN0010009", StringComparison.Ordinal));
        await Waiting.UntilAsync(() => watcher.Current.FindOutlet("QHXN0010009") is not null);
        Assert.Null(watcher.Current.FindOutlet("QHXN0010001"));

        await File.WriteAllTextAsync(path, "{ broken");
        watcher.Reload();
        Assert.NotNull(watcher.Current.FindOutlet("QHXN0010009"));
    }
}
