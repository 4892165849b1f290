using System.Diagnostics;
using EmissionMonitor.IntegrationTests.Cli;
using EmissionMonitor.IntegrationTests.Ingestion;

namespace EmissionMonitor.IntegrationTests.Reliability;

/// <summary>
/// A data folder the service may not write. Root ignores file permissions, so, as DESIGN.md says,
/// the service runs here as an unprivileged user (setpriv, user nobody) against a folder and a
/// database owned by root: start-up stops with exit code 1 and a message naming
/// Storage:DataDirectory — no crash, nothing written, the existing database untouched.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ReadOnlyDataFolderTests
{
    [Fact]
    public async Task AFolderTheServiceMayNotWrite_StopsStartUp_NamingTheKey()
    {
        RequireRootAndSetpriv();
        string root = WorldReadable(Some.TempDirectory());
        string data = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
        var (exit, stderr) = await RunAsNobodyAsync(root, data);
        Assert.Equal(1, exit);
        Assert.Contains($"configuration error: Storage:DataDirectory '{data}' cannot hold the database", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(data));
    }

    [Fact]
    public async Task ADatabaseTheServiceMayNotWrite_StopsStartUp_AndStaysAsItWas()
    {
        RequireRootAndSetpriv();
        string root = WorldReadable(Some.TempDirectory());
        string data = Path.Combine(root, "data");
        await using (var store = new EmissionMonitor.Storage.Sqlite.SqliteStore(data))
        {
            await store.InitializeAsync(CancellationToken.None);
            await store.CommitAsync([EmissionMonitor.Intake.IntakeResult.Reject(Some.Received("##00xx"), "bad-length", "x")], CancellationToken.None);
        }

        WorldReadable(data);
        foreach (var file in Directory.GetFiles(data))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        var before = File.ReadAllBytes(Path.Combine(data, "emission-monitor.db"));
        var (exit, stderr) = await RunAsNobodyAsync(root, data);
        Assert.Equal(1, exit);
        Assert.Contains("Storage:DataDirectory", stderr, StringComparison.Ordinal);
        Assert.Contains("SQLite code 8", stderr, StringComparison.Ordinal); // SQLITE_READONLY
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(data, "emission-monitor.db")));
    }

    private static void RequireRootAndSetpriv()
    {
        Assert.True(Environment.UserName == "root", "these tests need root (they drop to user nobody with setpriv)");
        Assert.True(File.Exists("/usr/bin/setpriv"), "setpriv (util-linux) is missing");
    }

    /// <summary>The build output and a config, copied where user nobody can read them, then `run` as nobody.</summary>
    private static async Task<(int Exit, string Stderr)> RunAsNobodyAsync(string root, string data)
    {
        string bin = Path.Combine(root, "bin");
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(CliRunner.AssemblyPath)!, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(bin, Path.GetRelativePath(Path.GetDirectoryName(CliRunner.AssemblyPath)!, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        string config = Directory.CreateDirectory(Path.Combine(root, "config")).FullName;
        await File.WriteAllTextAsync(Path.Combine(config, "stations.json"), Some.RegistryJson);
        foreach (var path in Directory.GetFileSystemEntries(root, "*", SearchOption.AllDirectories).Where(p => !p.StartsWith(data, StringComparison.Ordinal)))
        {
            WorldReadable(path);
        }

        var psi = new ProcessStartInfo("setpriv") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "env", $"HOME={root}", $"DOTNET_CLI_HOME={root}", "dotnet",
            Path.Combine(bin, Path.GetFileName(CliRunner.AssemblyPath)), "run", "--config", config, "--data", data })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["Mqtt__Port"] = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["Gateway__Port"] = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["Http__Urls"] = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stderr);
    }

    private static string WorldReadable(string path)
    {
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        if (Directory.Exists(path))
        {
            mode |= UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        }

        File.SetUnixFileMode(path, mode);
        return path;
    }
}
