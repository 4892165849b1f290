using System.Net;
using System.Net.Sockets;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace EmissionMonitor.Ingestion.Connecting;

/// <summary>
/// The embedded broker's TCP listener in place of MQTTnet's own: each accepted socket must be
/// admitted by the <see cref="AddressLimiter"/> (per-address cap, process-wide budget) or is closed
/// at once; accept errors (such as running out of file descriptors) are logged and retried, never
/// fatal; every connection reads through <see cref="MqttPacketLimitStream"/>. MQTTnet then handles the
/// connection as usual (CONNECT within its communication timeout, sessions, packets).
/// </summary>
public sealed partial class GuardedMqttTcpAdapter(IPAddress host, int port, AddressLimiter limiter, int maxPacket, ILogger logger) : IMqttServerAdapter
{
    private Socket? _listener;
    private CancellationTokenSource? _stopping;
    private MqttServerOptions? _options;
    private IMqttNetLogger? _mqttLogger;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    /// <summary>The port bound (after start).</summary>
    public int Port { get; private set; }

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger)
    {
        _options = options;
        _mqttLogger = logger;
        _stopping = new CancellationTokenSource();
        _listener = new Socket(host.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _listener.Bind(new IPEndPoint(host, port));
        _listener.Listen(1024); // thousands of terminals reconnect at once after a network blip
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _ = Task.Run(() => AcceptAsync(_listener, _stopping.Token));
        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        Stop();
        return Task.CompletedTask;
    }

    public void Dispose() => Stop();

    private void Stop()
    {
        // The server stops and disposes its adapters; either may come first, and more than once.
        var stopping = Interlocked.Exchange(ref _stopping, null);
        stopping?.Cancel();
        _listener?.Dispose();
        stopping?.Dispose();
    }

    private async Task AcceptAsync(Socket listener, CancellationToken stopping)
    {
        var backoff = new Resilience.Backoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stopping);
                backoff.Reset();
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException && stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // EMFILE/ENFILE and the like: the pending connections wait in the backlog meanwhile.
                LogAcceptFailed(logger, e.SocketErrorCode.ToString(), e.Message);
                await backoff.WaitAsync(TimeProvider.System, stopping);
                continue;
            }

            var lease = limiter.TryAdmit(socket.RemoteEndPoint, out string? refusal);
            if (lease is null)
            {
                if (limiter.ShouldLog())
                {
                    LogRefused(logger, socket.RemoteEndPoint?.ToString() ?? "?", $"{refusal} ({limiter.Refused} refused so far)");
                }

                socket.Dispose();
                continue;
            }

            _ = Task.Run(() => ServeAsync(socket, lease), CancellationToken.None);
        }
    }

    private async Task ServeAsync(Socket socket, AddressLimiter.Lease lease)
    {
        using var _ = lease;
        var remote = socket.RemoteEndPoint;
        var stream = new MqttPacketLimitStream(new NetworkStream(socket, ownsSocket: true), maxPacket);
        try
        {
            socket.NoDelay = true;
            if (ClientHandler is { } handler)
            {
                var channel = new MqttTcpChannel(stream, socket.LocalEndPoint, remote, null);
                var formatter = new MqttPacketFormatterAdapter(new MqttBufferWriter(_options!.WriterBufferSize, _options.WriterBufferSizeMax));
                using var adapter = new MqttChannelAdapter(channel, formatter, _mqttLogger!);
                await handler(adapter);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            LogClosed(logger, remote?.ToString() ?? "?", e.Message);
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "MQTT connection from {Peer} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Error, Message = "MQTT listener could not accept a connection ({Error}: {Message}); retrying")]
    private static partial void LogAcceptFailed(ILogger logger, string error, string message);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Debug, Message = "MQTT connection from {Peer} closed: {Reason}")]
    private static partial void LogClosed(ILogger logger, string peer, string reason);
}
