using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EmissionMonitor.TestSupport;

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

    /// <summary>
    /// A loopback address other than 127.0.0.1 (the whole 127/8 is loopback on Linux): tests that open
    /// many connections spread them over such addresses, since every listener caps connections per address.
    /// </summary>
    public static IPAddress Address(int n) => new([127, 0, (byte)(1 + (n / 250)), (byte)(1 + (n % 250))]);

    /// <summary>A TCP connection to 127.0.0.1:<paramref name="port"/> from the loopback address <paramref name="from"/>.</summary>
    public static async Task<TcpClient> ConnectFromAsync(IPAddress from, int port)
    {
        var client = new TcpClient(new IPEndPoint(from, 0));
        await client.ConnectAsync(IPAddress.Loopback, port);
        return client;
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
