using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Ingestion.Connecting;

/// <summary>Process-wide connection limits (configuration section <c>Limits</c>).</summary>
public sealed class ConnectionLimits
{
    public const string Section = "Limits";

    /// <summary>
    /// File descriptors kept free of connections (for the store, logs, outgoing connections): the
    /// listeners together hold at most the process's open-file limit less this. Default 256.
    /// </summary>
    [Range(16, 1_000_000, ErrorMessage = "Limits:FileDescriptorReserve must be between 16 and 1000000")]
    public int FileDescriptorReserve { get; set; } = 256;
}
