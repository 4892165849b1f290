using System.Net;
using System.Net.Sockets;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace EmissionMonitor.Ingestion.Connecting;

/// <summary>
/// The embedded broker's TCP listener in place of MQTTnet's own: sockets are accepted and admitted
/// by <see cref="AcceptLoop"/> (per-address cap, process-wide budget, accept errors retried); every
/// connection reads through <see cref="MqttPacketLimitStream"/>. MQTTnet then handles the
/// connection as usual (CONNECT within its communication timeout, sessions, packets).
/// </summary>
public sealed partial class GuardedMqttTcpAdapter(IPAddress host, int port, AddressLimiter limiter, int maxPacket, ILogger log, TimeProvider clock) : IMqttServerAdapter
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
        _ = Task.Run(() => AcceptLoop.RunAsync(_listener, limiter, ServeAsync, clock, log, _stopping.Token));
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
            LogClosed(log, remote?.ToString() ?? "?", e.Message);
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = 1013, Level = LogLevel.Debug, Message = "MQTT connection from {Peer} closed: {Reason}")]
    private static partial void LogClosed(ILogger logger, string peer, string reason);
}
