using System.Net;
using System.Net.Sockets;
using EmissionMonitor.Simulation;

namespace EmissionMonitor.IntegrationTests.Cli;

/// <summary>The simulator's TCP link stops cleanly while it waits for a reply that never comes.</summary>
public sealed class TerminalLinkTests
{
    [Fact]
    public async Task AReplyWaitCutShortByAStop_StillDisposesCleanly()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accept = listener.AcceptTcpClientAsync(); // a gateway that takes frames and never answers
        var link = new TcpTerminalLink(new Uri($"tcp://127.0.0.1:{port}"));
        await link.ConnectAsync(null, CancellationToken.None);
        using var server = await accept;
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var frame = System.Text.Encoding.ASCII.GetBytes(Some.Hourly().Value("a21026", "Avg", 1m).Build().ToString());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => link.SendAsync(frame, expectsReply: true, stop.Token));
        await link.DisposeAsync(); // threw NotSupportedException while the reply read was still running
    }
}
