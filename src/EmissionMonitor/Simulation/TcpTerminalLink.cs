using System.IO.Pipelines;
using System.Net.Sockets;
using EmissionMonitor.Hj212.Framing;

namespace EmissionMonitor.Simulation;

/// <summary>A terminal on the HJ 212 TCP link; a frame asking for a reply is acknowledged by the 9014 that comes back.</summary>
public sealed class TcpTerminalLink(Uri target) : ITerminalLink
{
    private readonly TcpClient _client = new() { NoDelay = true };
    private IAsyncEnumerator<FrameChunk>? _replies;
    private Task<bool>? _pending;

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
        // A read cut short by the timeout or a stop stays pending: it is awaited once the socket is closed.
        _pending = _replies!.MoveNextAsync().AsTask();
        bool read = await _pending.WaitAsync(timeout.Token);
        _pending = null;
        return read && _replies.Current.IsFrame;
    }

    public async ValueTask DisposeAsync()
    {
        // Close the socket first, so a reply read still pending ends; an async iterator cannot be
        // disposed while it runs.
        _client.Dispose();
        if (_pending is { } pending)
        {
            try
            {
                await pending;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
            {
                // the read ended with the connection
            }
        }

        if (_replies is not null)
        {
            await _replies.DisposeAsync();
        }
    }
}
