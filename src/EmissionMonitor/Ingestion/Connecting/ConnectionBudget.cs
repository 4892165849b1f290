using System.Runtime.InteropServices;

namespace EmissionMonitor.Ingestion.Connecting;

/// <summary>
/// The connections the whole process may hold open across every listener (MQTT, HJ 212 TCP, HTTP):
/// the process's file-descriptor limit less a reserve for the store, logs and outgoing connections.
/// A listener that cannot take a slot closes the new connection at once instead of failing to
/// accept (which would leave the listener, and with it the service, unable to go on).
/// </summary>
public sealed partial class ConnectionBudget(int total)
{
    private int _open;

    /// <summary>The most connections open at once.</summary>
    public int Total { get; } = total;

    /// <summary>Connections open now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>A budget from the process's open-file limit less <paramref name="reserve"/> (at least 64).</summary>
    public static ConnectionBudget FromProcessLimit(int reserve) => new(Math.Max(64, (int)Math.Min(int.MaxValue, FileDescriptorLimit() - reserve)));

    /// <summary>The soft RLIMIT_NOFILE of this process (Linux and macOS), or 65536 where it cannot be read.</summary>
    public static long FileDescriptorLimit()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return 65536;
        }

        int resource = OperatingSystem.IsLinux() ? 7 : 8; // RLIMIT_NOFILE
        return NativeMethods.getrlimit(resource, out var limit) == 0 ? (long)Math.Min(limit.Current, int.MaxValue) : 65536;
    }

    public bool TryAcquire()
    {
        if (Interlocked.Increment(ref _open) <= Total)
        {
            return true;
        }

        Interlocked.Decrement(ref _open);
        return false;
    }

    public void Release() => Interlocked.Decrement(ref _open);

    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    private static partial class NativeMethods
    {
        [LibraryImport("libc", SetLastError = true)]
        internal static partial int getrlimit(int resource, out ResourceLimit limit);
    }
}
