using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using EmissionMonitor.Hj212;
using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Hj212.Framing;
using EmissionMonitor.Intake;
using EmissionMonitor.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EmissionMonitor.Ingestion;

/// <summary>
/// The native HJ 212 TCP link: many terminal connections, frames cut by their length field (split
/// and concatenated writes both work), each frame taken through intake and the journal and answered
/// (9014/9013) only after its commit. A terminal is identified by the MN/PW of every frame. Idle
/// connections are closed; connections beyond the limit are refused. History requests (back-fill)
/// can be sent to a connected terminal.
/// </summary>
public sealed partial class Hj212Gateway(GatewayOptions options, FrameIngestor ingestor, TimeProvider clock, ILogger<Hj212Gateway> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<string, Connection> _byMn = new(StringComparer.Ordinal);
    private TcpListener? _listener;
    private int _connections;

    /// <summary>The port actually bound (after start; useful when configured as 0).</summary>
    public int Port { get; private set; }

    /// <summary>Open connections.</summary>
    public int ConnectionCount => Volatile.Read(ref _connections);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = new TcpListener(IPAddress.Parse(options.Host), options.Port);
        _listener.Start(512);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        LogStarted(logger, options.Host, Port);
        return base.StartAsync(cancellationToken);
    }

    /// <summary>Sends a frame (a history request) to the terminal of <paramref name="mn"/>; false when it is not connected.</summary>
    public async Task<bool> SendAsync(string mn, Hj212Packet packet, CancellationToken cancellationToken)
    {
        if (!_byMn.TryGetValue(mn, out var connection))
        {
            return false;
        }

        await connection.WriteAsync(Hj212Encoder.Encode(packet), cancellationToken);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var registration = stoppingToken.Register(() => _listener!.Stop());
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptSocketAsync(stoppingToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException && stoppingToken.IsCancellationRequested)
            {
                break;
            }

            if (Interlocked.Increment(ref _connections) > options.MaxConnections)
            {
                Interlocked.Decrement(ref _connections);
                LogRefused(logger, socket.RemoteEndPoint?.ToString() ?? "?", options.MaxConnections);
                socket.Dispose();
                continue;
            }

            _ = Task.Run(() => ServeAsync(socket, stoppingToken), CancellationToken.None);
        }
    }

    private async Task ServeAsync(Socket socket, CancellationToken stoppingToken)
    {
        socket.NoDelay = true;
        string peer = socket.RemoteEndPoint?.ToString() ?? "?";
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        using var connection = new Connection(stream);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        idle.CancelAfter(options.IdleTimeout);
        var reader = PipeReader.Create(stream);

        // Frames are pipelined: each is handed to the journal as it is read, and a second loop awaits
        // their commits in order and writes the replies. So one connection is not limited to one
        // commit per frame, and a reply still never precedes its frame's commit.
        var inFlight = Channel.CreateBounded<Task<IngestOutcome>>(new BoundedChannelOptions(4096) { SingleReader = true, SingleWriter = true });
        var replies = Task.Run(() => ReplyAsync(inFlight.Reader, connection, peer, idle), CancellationToken.None);
        try
        {
            await foreach (var chunk in Hj212Framer.ReadAsync(reader, cancellationToken: idle.Token))
            {
                idle.CancelAfter(options.IdleTimeout);
                var frame = new ReceivedFrame(chunk.Bytes, Transport.Tcp, peer, clock.GetUtcNow());
                await inFlight.Writer.WriteAsync(ingestor.CommitAsync(ingestor.Intake.Process(frame, chunk.Scan), stoppingToken), idle.Token);
            }
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            LogIdle(logger, peer);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            LogClosed(logger, peer, e.Message); // the peer went away
        }
        finally
        {
            inFlight.Writer.TryComplete();
            await replies;
            Interlocked.Decrement(ref _connections);
        }
    }

    private async Task ReplyAsync(ChannelReader<Task<IngestOutcome>> inFlight, Connection connection, string peer, CancellationTokenSource idle)
    {
        string? mn = null;
        try
        {
            await foreach (var pending in inFlight.ReadAllAsync())
            {
                var outcome = await pending;
                if (outcome.Result.Outlet is { } outlet && !string.Equals(mn, outlet.Mn, StringComparison.Ordinal))
                {
                    mn = outlet.Mn;
                    _byMn[mn] = connection;
                }

                if (outcome.Reply is { } reply)
                {
                    await connection.WriteAsync(Hj212Encoder.Encode(reply), CancellationToken.None);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or StoreUnavailableException or ObjectDisposedException)
        {
            // The peer went away, or the store failed: no reply for this frame or any later one;
            // closing the connection makes the terminal resend what it has not seen answered.
            LogClosed(logger, peer, e.Message);
            await idle.CancelAsync();
        }
        finally
        {
            if (mn is not null)
            {
                _byMn.TryRemove(new KeyValuePair<string, Connection>(mn, connection));
            }
        }
    }

    /// <summary>One terminal connection; writes are serialised (replies and history requests).</summary>
    private sealed class Connection(NetworkStream stream) : IDisposable
    {
        private readonly SemaphoreSlim _write = new(1, 1);

        public void Dispose() => _write.Dispose();

        public async Task WriteAsync(byte[] bytes, CancellationToken cancellationToken)
        {
            await _write.WaitAsync(cancellationToken);
            try
            {
                await stream.WriteAsync(bytes, cancellationToken);
            }
            finally
            {
                _write.Release();
            }
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "HJ 212 gateway listening on {Host}:{Port}")]
    private static partial void LogStarted(ILogger logger, string host, int port);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Connection from {Peer} refused: {Max} connections open")]
    private static partial void LogRefused(ILogger logger, string peer, int max);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Connection from {Peer} closed after the idle timeout")]
    private static partial void LogIdle(ILogger logger, string peer);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Connection from {Peer} closed: {Reason}")]
    private static partial void LogClosed(ILogger logger, string peer, string reason);
}
