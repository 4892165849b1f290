using System.IO.Pipelines;
using System.Net.Sockets;
using EmissionMonitor.Hj212.Framing;

namespace EmissionMonitor.Simulation;

/// <summary>A terminal on the HJ 212 TCP link; a frame asking for a reply is acknowledged by the 9014 that comes back.</summary>
public sealed class TcpTerminalLink(Uri target) : ITerminalLink
{
    private readonly TcpClient _client = new() { NoDelay = true };
    private IAsyncEnumerator<FrameChunk>? _replies;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await _client.ConnectAsync(target.Host, target.Port, cancellationToken);
        _replies = Hj212Framer.ReadAsync(PipeReader.Create(_client.GetStream()), cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
    }

    public async Task<bool?> SendAsync(byte[] frame, bool expectsReply, CancellationToken cancellationToken)
    {
        await _client.GetStream().WriteAsync(frame, cancellationToken);
        if (!expectsReply)
        {
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        return await _replies!.MoveNextAsync().AsTask().WaitAsync(timeout.Token) && _replies.Current.IsFrame;
    }

    public async ValueTask DisposeAsync()
    {
        if (_replies is not null)
        {
            await _replies.DisposeAsync();
        }

        _client.Dispose();
    }
}
