namespace EmissionMonitor.Storage.Journaling;

/// <summary>How much room the data folder's file system has left, against <see cref="StorageOptions.MinFreeMB"/>.</summary>
public enum DiskState
{
    /// <summary>Enough: everything is archived.</summary>
    Ample,

    /// <summary>Below MinFreeMB: garbage (frames never authenticated) is counted, not archived.</summary>
    Low,

    /// <summary>Below half of MinFreeMB: no frame is committed, so none is acknowledged (terminals resend later).</summary>
    Critical,
}

/// <summary>
/// Watches the free space of the data folder's file system (read at most once a second): a flood of
/// garbage can then never fill the disk, and frames stop being acknowledged before the store fails.
/// </summary>
public sealed class DiskGuard(string directory, int minFreeMB, TimeProvider clock)
{
    private readonly Lock _lock = new();
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;
    private long _freeBytes = long.MaxValue;

    /// <summary>Free bytes at the last check.</summary>
    public long FreeBytes => Interlocked.Read(ref _freeBytes);

    public DiskState Check()
    {
        if (minFreeMB <= 0)
        {
            return DiskState.Ample;
        }

        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (now - _checkedAt >= TimeSpan.FromSeconds(1))
            {
                _checkedAt = now;
                Interlocked.Exchange(ref _freeBytes, Free(directory));
            }
        }

        long free = FreeBytes, min = minFreeMB * 1024L * 1024L;
        return free < min / 2 ? DiskState.Critical : free < min ? DiskState.Low : DiskState.Ample;
    }

    private static long Free(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            return new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return long.MaxValue; // unknown: let the store's own errors speak
        }
    }
}
