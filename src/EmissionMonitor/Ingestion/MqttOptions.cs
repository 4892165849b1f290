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

    /// <summary>Queue per client on the embedded broker (its default of 1000 silently drops QoS 1 under load).</summary>
    [Range(1000, 10_000_000, ErrorMessage = "Mqtt:MaxPendingMessagesPerClient must be between 1000 and 10000000")]
    public int MaxPendingMessagesPerClient { get; set; } = 100_000;
}
