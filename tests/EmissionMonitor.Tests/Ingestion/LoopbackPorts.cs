using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EmissionMonitor.Tests.Ingestion;

/// <summary>Free loopback ports for the servers a test starts, and waiting until one listens.</summary>
internal static class LoopbackPorts
{
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>A port free now and never handed out before in this test run (servers start in parallel).</summary>
    public static int Free()
    {
        while (true)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (HandedOut)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }

    /// <summary>Waits until <paramref name="port"/> accepts connections; fails if the process exits first.</summary>
    public static async Task WaitForListenerAsync(Process process, int port, string name, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Assert.False(process.HasExited, $"{name} exited at start-up");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
