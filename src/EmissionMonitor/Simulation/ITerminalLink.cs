namespace EmissionMonitor.Simulation;

/// <summary>
/// One simulated terminal's connection: send a frame and wait for the transport's acknowledgement;
/// frames the host sends of its own accord (commands) go to the handler given at connect.
/// </summary>
public interface ITerminalLink : IAsyncDisposable
{
    /// <summary>Connects; <paramref name="hostFrame"/> (if given) gets every host frame that is not an acknowledgement.</summary>
    Task ConnectAsync(Func<Hj212.Packets.Hj212Packet, Task>? hostFrame, CancellationToken cancellationToken);

    /// <summary>
    /// Sends one frame: true when the service acknowledged it (PUBACK success, or the 9014 asked for
    /// on TCP), false when it did not, null when nothing confirms it (a TCP frame asking no reply).
    /// </summary>
    Task<bool?> SendAsync(byte[] frame, bool expectsReply, CancellationToken cancellationToken);
}
