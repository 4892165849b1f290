using System.Text;

namespace EmissionMonitor.TestSupport;

/// <summary>A terminal on the service's HJ 212 TCP link: frames sent one by one, each answered (9014) after its durable write.</summary>
internal static class GatewayClient
{
    /// <summary>Sends <paramref name="frames"/> over one connection and asserts each one's 9014 answer.</summary>
    public static async Task SendAcknowledgedAsync(int port, IEnumerable<string> frames)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var stream = tcp.GetStream();
        var buffer = new byte[4096];
        foreach (string frame in frames)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(frame));
            int n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Contains("CN=9014", Encoding.ASCII.GetString(buffer, 0, n), StringComparison.Ordinal);
        }
    }
}
