namespace EmissionMonitor;

/// <summary>A bad configuration: start-up stops with this message, which names the key or entry.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
