namespace EmissionMonitor.Cli;

/// <summary>A command-line usage error: exit code 2, the message names the option.</summary>
public sealed class UsageException(string message) : Exception(message);
