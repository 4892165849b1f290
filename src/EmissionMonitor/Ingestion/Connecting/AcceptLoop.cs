using System.Net.Sockets;
using EmissionMonitor.Resilience;
using Microsoft.Extensions.Logging;

namespace EmissionMonitor.Ingestion.Connecting;

/// <summary>
/// The accept loop of the service's own TCP listeners (the embedded MQTT broker, the HJ 212
/// gateway): each accepted socket is admitted by the listener's <see cref="AddressLimiter"/> or
/// closed at once (refusals logged at most once a second, with their count); an accept error
/// (running out of file descriptors) is logged and retried after a <see cref="Backoff"/>, never fatal.
/// </summary>
public static partial class AcceptLoop
{
    /// <summary>Runs until <paramref name="stopping"/> fires or the listener is closed.</summary>
    public static async Task RunAsync(Socket listener, AddressLimiter limiter, Func<Socket, AddressLimiter.Lease, Task> serve,
        TimeProvider clock, ILogger logger, CancellationToken stopping)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stopping);
                backoff.Reset();
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException && stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // EMFILE/ENFILE and the like: pending connections wait in the backlog meanwhile.
                LogAcceptFailed(logger, limiter.Listener, e.SocketErrorCode.ToString(), e.Message);
                await backoff.WaitAsync(clock, stopping);
                continue;
            }

            var lease = limiter.TryAdmit(socket.RemoteEndPoint, out string? refusal);
            if (lease is null)
            {
                if (limiter.ShouldLog())
                {
                    LogRefused(logger, limiter.Listener, socket.RemoteEndPoint?.ToString() ?? "?", $"{refusal} ({limiter.Refused} refused so far)");
                }

                socket.Dispose();
                continue;
            }

            _ = Task.Run(() => serve(socket, lease), CancellationToken.None);
        }
    }

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "{Listener} connection from {Peer} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string listener, string peer, string reason);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Error, Message = "{Listener} listener could not accept a connection ({Error}: {Message}); retrying")]
    private static partial void LogAcceptFailed(ILogger logger, string listener, string error, string message);
}
