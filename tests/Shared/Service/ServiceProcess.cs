using System.Diagnostics;

namespace EmissionMonitor.TestSupport;

/// <summary>The service as a separate process (<c>EmissionMonitor run</c>) on free loopback ports, to be killed and restarted.</summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process) => _process = process;

    public static int FreePort() => LoopbackPorts.Free();

    /// <summary>Starts <c>run</c>; with <paramref name="fileLimit"/>, under that open-file limit (<c>ulimit -n</c>).</summary>
    public static async Task<ServiceProcess> StartAsync(string config, string data, int mqttPort, int gatewayPort, IDictionary<string, string>? environment = null, int? fileLimit = null)
    {
        string[] command = ["dotnet", CliRunner.AssemblyPath, "run", "--config", config, "--data", data];
        var psi = new ProcessStartInfo(fileLimit is null ? "dotnet" : "bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (fileLimit is { } limit)
        {
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add($"ulimit -n {limit} && exec \"$@\"");
            psi.ArgumentList.Add("bash");
            psi.ArgumentList.Add(command[0]);
        }

        foreach (var a in command[1..])
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["Mqtt__Host"] = "127.0.0.1";
        psi.Environment["Mqtt__Port"] = mqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["Gateway__Host"] = "127.0.0.1";
        psi.Environment["Gateway__Port"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["Http__Urls"] = $"http://127.0.0.1:{FreePort()}";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await LoopbackPorts.WaitForListenerAsync(process, mqttPort, "the service", TimeSpan.FromSeconds(30));
        return new ServiceProcess(process);
    }

    /// <summary>True while the service runs.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>SIGKILL: no flush, no goodbye.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
