using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using EmissionMonitor.Hj212.Framing;
using EmissionMonitor.Hj212.Packets;

namespace EmissionMonitor.Simulation;

/// <summary>
/// A terminal on the HJ 212 TCP link: a frame asking for a reply is acknowledged by the 9014 with
/// its QN; a reader takes every frame the host sends, so commands reach the handler while the
/// terminal goes on sending (writes are serialised).
/// </summary>
public sealed class TcpTerminalLink(Uri target) : ITerminalLink
{
    private readonly TcpClient _client = new() { NoDelay = true };
    private readonly ConcurrentDictionary<string, TaskCompletionSource<bool>> _waiting = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private Task? _reader;

    public async Task ConnectAsync(Func<Hj212Packet, Task>? hostFrame, CancellationToken cancellationToken)
    {
        await _client.ConnectAsync(target.Host, target.Port, cancellationToken);
        _reader = Task.Run(() => ReadAsync(hostFrame, _closing.Token), CancellationToken.None);
    }

    private async Task ReadAsync(Func<Hj212Packet, Task>? hostFrame, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var chunk in Hj212Framer.ReadAsync(PipeReader.Create(_client.GetStream()), cancellationToken: cancellationToken))
            {
                if (!chunk.IsFrame || Hj212Decoder.DecodeFrame(chunk.Bytes, chunk.Scan) is not { IsOk: true, Packet: { } packet })
                {
                    continue;
                }

                if (packet.Cn == Hj212.Replies.Hj212Replies.DataReplyCn)
                {
                    if (packet.Qn is { } qn && _waiting.TryRemove(qn, out var waiter))
                    {
                        waiter.TrySetResult(true);
                    }
                }
                else if (hostFrame is not null)
                {
                    _ = Task.Run(() => hostFrame(packet), CancellationToken.None);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or SocketException or InvalidOperationException)
        {
            // the connection ended
        }
        finally
        {
            foreach (var waiter in _waiting.Values)
            {
                waiter.TrySetResult(false);
            }
        }
    }

    public async Task<bool?> SendAsync(byte[] frame, bool expectsReply, CancellationToken cancellationToken)
    {
        TaskCompletionSource<bool>? waiter = null;
        if (expectsReply && QnOf(frame) is { } qn)
        {
            waiter = _waiting[qn] = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        await _write.WaitAsync(cancellationToken);
        try
        {
            await _client.GetStream().WriteAsync(frame, cancellationToken);
        }
        finally
        {
            _write.Release();
        }

        if (waiter is null)
        {
            return expectsReply ? false : null;
        }

        try
        {
            return await waiter.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            _waiting.TryRemove(new KeyValuePair<string, TaskCompletionSource<bool>>(QnOf(frame)!, waiter));
        }
    }

    /// <summary>The QN of a frame as sent (its header is plain even when the data segment is encrypted).</summary>
    private static string? QnOf(byte[] frame)
    {
        var span = frame.AsSpan();
        int at = span.IndexOf("QN="u8);
        if (at < 0)
        {
            return null;
        }

        var rest = span[(at + 3)..];
        int end = rest.IndexOf((byte)';');
        return end < 0 ? null : System.Text.Encoding.ASCII.GetString(rest[..end]);
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _client.Dispose(); // the reader's pending read ends with the socket
        if (_reader is not null)
        {
            await _reader;
        }

        _closing.Dispose();
        _write.Dispose();
    }
}
