using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Ingestion;

/// <summary>MQTT (configuration section <c>Mqtt</c>).</summary>
public sealed class MqttOptions
{
    public const string Section = "Mqtt";

    /// <summary><c>embedded</c> (an MQTTnet server in the service) or <c>external</c> (a client of mosquitto/EMQX).</summary>
    [RegularExpression("^(embedded|external)$", ErrorMessage = "Mqtt:Mode must be embedded or external")]
    public string Mode { get; set; } = "embedded";

    /// <summary>The embedded broker's bind address, or the external broker's host.</summary>
    public string Host { get; set; } = "0.0.0.0";

    /// <summary>The broker port (1883).</summary>
    [Range(0, 65535, ErrorMessage = "Mqtt:Port must be between 0 and 65535")]
    public int Port { get; set; } = 1883;

    /// <summary>External broker: the service's own login.</summary>
    public string? Username { get; set; }

    /// <summary>External broker: the service's password.</summary>
    public string? Password { get; set; }

    /// <summary>External broker: the client id of the service's persistent session.</summary>
    public string ClientId { get; set; } = "emission-monitor";

    /// <summary>External broker: connect with TLS.</summary>
    public bool UseTls { get; set; }

    /// <summary>External broker: the CA certificate (PEM) that signed the broker's certificate.</summary>
    public string? CaFile { get; set; }

    /// <summary>External broker: consume <c>$share/{group}/emission/+/up</c> so several instances share the load.</summary>
    public string? SharedGroup { get; set; }

    /// <summary>
    /// External broker: QoS 1 messages the broker may send before the service acknowledges them
    /// (MQTT 5 Receive Maximum) — the service's backpressure; the broker queues the rest. Default 4000.
    /// </summary>
    [Range(1, 65535, ErrorMessage = "Mqtt:ReceiveMaximum must be between 1 and 65535")]
    public int ReceiveMaximum { get; set; } = 4000;

    /// <summary>
    /// External broker: messages the service publishes (alerts, replies) while the broker is
    /// unreachable are kept in order, up to this many, and sent after the reconnect; beyond it the
    /// oldest are dropped and counted in the log. Default 10000.
    /// </summary>
    [Range(0, 1_000_000, ErrorMessage = "Mqtt:PublishBacklog must be between 0 and 1000000")]
    public int PublishBacklog { get; set; } = 10_000;

    /// <summary>Embedded broker: a connection that sends no CONNECT within this time is closed. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Mqtt:ConnectTimeout must be between 1 s and 10 min")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Embedded broker: connections from one remote address (loopback included). Default 256.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Mqtt:MaxConnectionsPerAddress must be between 1 and 1000000")]
    public int MaxConnectionsPerAddress { get; set; } = 256;

    /// <summary>Queue per client on the embedded broker (its default of 1000 silently drops QoS 1 under load).</summary>
    [Range(1000, 10_000_000, ErrorMessage = "Mqtt:MaxPendingMessagesPerClient must be between 1000 and 10000000")]
    public int MaxPendingMessagesPerClient { get; set; } = 100_000;
}
