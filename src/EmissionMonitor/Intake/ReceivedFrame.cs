namespace EmissionMonitor.Intake;

/// <summary>How a frame arrived.</summary>
public enum Transport
{
    Mqtt,
    Tcp,
    Import,
}

/// <summary>
/// One frame as received, before any check: its bytes, transport, peer, arrival instant and, for
/// MQTT, the MN named by the topic and the user name the terminal logged in with.
/// </summary>
public sealed record ReceivedFrame(
    ReadOnlyMemory<byte> Raw,
    Transport Transport,
    string? Peer,
    DateTimeOffset ReceivedAt,
    string? TopicMn = null,
    string? UserName = null)
{
    /// <summary>Live transports check DataTime against the clock; import does not.</summary>
    public bool IsLive => Transport != Transport.Import;
}
