namespace EmissionMonitor.Simulation;

/// <summary>One simulated terminal's connection: send a frame and wait for the transport's acknowledgement.</summary>
public interface ITerminalLink : IAsyncDisposable
{
    Task ConnectAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sends one frame: true when the service acknowledged it (PUBACK success, or the 9014 asked for
    /// on TCP), false when it did not, null when nothing confirms it (a TCP frame asking no reply).
    /// </summary>
    Task<bool?> SendAsync(byte[] frame, bool expectsReply, CancellationToken cancellationToken);
}
