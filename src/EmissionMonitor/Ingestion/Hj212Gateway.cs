using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using EmissionMonitor.Hj212.Framing;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Ingestion.Connecting;
using EmissionMonitor.Intake;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Journaling;

namespace EmissionMonitor.Ingestion;

/// <summary>
/// The native HJ 212 TCP link: many terminal connections, frames cut by their length field (split
/// and concatenated writes both work), each frame taken through intake and the journal and answered
/// (9014/9013) only after its commit. A terminal is identified by the MN/PW of every frame.
/// Connections are admitted per remote address and within the process budget; idle connections and
/// terminals that do not take their replies within <see cref="GatewayOptions.WriteTimeout"/> are
/// closed; accept errors are retried, never fatal. A run of garbage is archived once, as its head
/// and byte count. History requests (back-fill) can be sent to a connected terminal.
/// </summary>
public sealed partial class Hj212Gateway(GatewayOptions options, FrameIngestor ingestor, ConnectionBudget budget, TimeProvider clock, ILogger<Hj212Gateway> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<string, Connection> _byMn = new(StringComparer.Ordinal);
    private readonly AddressLimiter _limiter = new("gateway", options.MaxConnectionsPerAddress, budget, options.MaxConnections, "Gateway:MaxConnections");
    private TcpListener? _listener;

    /// <summary>The port actually bound (after start; useful when configured as 0).</summary>
    public int Port { get; private set; }

    /// <summary>Open connections.</summary>
    public int ConnectionCount => _limiter.Open;

    /// <summary>Connections refused by the per-address cap or the process budget.</summary>
    public long RefusedConnections => _limiter.Refused;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = new TcpListener(IPAddress.Parse(options.Host), options.Port);
        _listener.Start(1024);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        LogStarted(logger, options.Host, Port);
        return base.StartAsync(cancellationToken);
    }

    /// <summary>A terminal's connection closed (its MN): commands in flight over it fail.</summary>
    public event Action<string>? Disconnected;

    /// <summary>True when the terminal of <paramref name="mn"/> has a live connection.</summary>
    public bool IsConnected(string mn) => _byMn.ContainsKey(mn);

    /// <summary>Sends a frame (a command) to the terminal of <paramref name="mn"/>; false when it is not connected or does not take it in time.</summary>
    public async Task<bool> SendAsync(string mn, Hj212Packet packet, CancellationToken cancellationToken)
    {
        if (!_byMn.TryGetValue(mn, out var connection))
        {
            return false;
        }

        try
        {
            await connection.WriteAsync(Hj212Encoder.Encode(packet), cancellationToken);
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var registration = stoppingToken.Register(() => _listener!.Stop());
        await AcceptLoop.RunAsync(_listener!.Server, _limiter, (socket, lease) => ServeAsync(socket, socket.RemoteEndPoint?.ToString() ?? "?", lease, stoppingToken),
            clock, logger, stoppingToken);
    }

    private async Task ServeAsync(Socket socket, string peer, AddressLimiter.Lease lease, CancellationToken stoppingToken)
    {
        using var _ = lease;
        socket.NoDelay = true;
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, clock); // its CancelAfter waits on the injected clock
        using var stopping = stoppingToken.Register(static s => ((CancellationTokenSource)s!).Cancel(), idle);
        using var connection = new Connection(socket, stream, options.WriteTimeout, idle, clock);
        idle.CancelAfter(options.IdleTimeout);
        var reader = PipeReader.Create(stream);

        // Frames are pipelined: each is handed to the journal as it is read, and a second loop awaits
        // their commits in order and writes the replies. So one connection is not limited to one
        // commit per frame, and a reply still never precedes its frame's commit.
        var inFlight = Channel.CreateBounded<Task<IngestOutcome>>(new BoundedChannelOptions(options.MaxPipelined) { SingleReader = true, SingleWriter = true });
        var replies = Task.Run(() => ReplyAsync(inFlight.Reader, connection, peer, idle), CancellationToken.None);
        var garbage = new GarbageRun(ingestor.Limits.MaxArchivedGarbage);
        try
        {
            await foreach (var chunk in Hj212Framer.ReadAsync(reader, ingestor.Framing, idle.Token))
            {
                idle.CancelAfter(options.IdleTimeout);
                var now = clock.GetUtcNow();
                if (garbage.TryAdd(chunk, now))
                {
                    continue;
                }

                if (garbage.Take(Transport.Tcp, peer) is { } run)
                {
                    await inFlight.Writer.WriteAsync(ingestor.IngestAsync(run, stoppingToken), idle.Token);
                }

                var frame = new ReceivedFrame(chunk.Bytes, Transport.Tcp, peer, now);
                await inFlight.Writer.WriteAsync(ingestor.IngestAsync(frame, chunk.Scan, stoppingToken), idle.Token);
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
            if (garbage.Take(Transport.Tcp, peer) is { } run)
            {
                await ArchiveAsync(run, stoppingToken);
            }

            inFlight.Writer.TryComplete();
            await replies;
        }
    }

    /// <summary>Archives what a closing connection still held; a failing store only loses garbage here.</summary>
    private async Task ArchiveAsync(IntakeResult run, CancellationToken stoppingToken)
    {
        try
        {
            await ingestor.IngestAsync(run, stoppingToken);
        }
        catch (Exception e) when (e is StoreUnavailableException or OperationCanceledException)
        {
            LogClosed(logger, run.Frame.Peer ?? "?", "garbage run not archived: " + e.Message);
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

                if (outcome.ReplyBytes is { } reply)
                {
                    await connection.WriteAsync(reply, CancellationToken.None);
                }

                if (outcome.FollowUpBytes is { } followUp)
                {
                    await connection.WriteAsync(followUp, CancellationToken.None); // after the reply (the 1012 answering a 1013)
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or StoreUnavailableException or ObjectDisposedException or OperationCanceledException)
        {
            // The peer went away or does not read its replies, or the store failed: no reply for this
            // frame or any later one; closing the connection makes the terminal resend what it has
            // not seen answered.
            LogClosed(logger, peer, e.Message);
            await idle.CancelAsync();
            connection.Abort();
            while (inFlight.TryRead(out _))
            {
                // drain: the frames are committed or failed; nothing more is written to this peer
            }
        }
        finally
        {
            if (mn is not null && _byMn.TryRemove(new KeyValuePair<string, Connection>(mn, connection)))
            {
                Disconnected?.Invoke(mn);
            }
        }
    }

    /// <summary>One terminal connection; writes are serialised (replies and history requests) and bounded in time.</summary>
    private sealed class Connection(Socket socket, NetworkStream stream, TimeSpan writeTimeout, CancellationTokenSource closing, TimeProvider clock) : IDisposable
    {
        private readonly SemaphoreSlim _write = new(1, 1);

        public void Dispose() => _write.Dispose();

        /// <summary>Closes the socket at once (a stuck reader's pending writes fail).</summary>
        public void Abort()
        {
            try
            {
                socket.Close(0);
            }
            catch (ObjectDisposedException)
            {
                // already closed
            }
        }

        public async Task WriteAsync(byte[] bytes, CancellationToken cancellationToken)
        {
            using var timeout = new CancellationTokenSource(writeTimeout, clock); // the write's deadline on the injected clock
            using var caller = cancellationToken.Register(static s => ((CancellationTokenSource)s!).Cancel(), timeout);
            using var closed = closing.Token.Register(static s => ((CancellationTokenSource)s!).Cancel(), timeout);
            try
            {
                await _write.WaitAsync(timeout.Token);
                try
                {
                    await stream.WriteAsync(bytes, timeout.Token);
                }
                finally
                {
                    _write.Release();
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Abort();
                throw new IOException($"the terminal did not take {bytes.Length} bytes within {writeTimeout.TotalSeconds:F0} s (Gateway:WriteTimeout)");
            }
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "HJ 212 gateway listening on {Host}:{Port}")]
    private static partial void LogStarted(ILogger logger, string host, int port);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Connection from {Peer} closed after the idle timeout")]
    private static partial void LogIdle(ILogger logger, string peer);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Connection from {Peer} closed: {Reason}")]
    private static partial void LogClosed(ILogger logger, string peer, string reason);
}
