using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EmissionMonitor.Tests.Ingestion;

/// <summary>The service as a separate process (<c>EmissionMonitor run</c>) on free loopback ports, to be killed and restarted.</summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process) => _process = process;

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static async Task<ServiceProcess> StartAsync(string config, string data, int mqttPort, int gatewayPort, IDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { CliRunner.AssemblyPath, "run", "--config", config, "--data", data })
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
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            Assert.False(process.HasExited, "the service exited at start-up");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, mqttPort);
                return new ServiceProcess(process);
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

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
