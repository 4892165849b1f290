using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Storage;

/// <summary>Storage (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>sqlite</c> (embedded default) or <c>influxdb</c>.</summary>
    [RegularExpression("^(sqlite|influxdb)$", ErrorMessage = "Storage:Backend must be sqlite or influxdb")]
    public string Backend { get; set; } = "sqlite";

    /// <summary>Where the SQLite store (and other backends' local buffer) lives; same as --data.</summary>
    [Required(ErrorMessage = "Storage:DataDirectory is required")]
    public string DataDirectory { get; set; } = "data";

    /// <summary>A cap on the SQLite file in MB (0: none). When reached, commits fail and nothing more is acknowledged.</summary>
    [Range(0, 10_000_000, ErrorMessage = "Storage:MaxSizeMB must be between 0 and 10000000")]
    public int MaxSizeMB { get; set; }

    /// <summary>
    /// Free disk (MB) kept on the data folder's file system: below it, garbage (frames never
    /// authenticated) is counted but not archived; below half of it, frames are refused without
    /// acknowledgement. 0 turns the check off. Default 1024.
    /// </summary>
    [Range(0, 10_000_000, ErrorMessage = "Storage:MinFreeMB must be between 0 and 10000000")]
    public int MinFreeMB { get; set; } = 1024;

    /// <summary>The longest a frame waits for its group commit. Default 20 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10", ErrorMessage = "Storage:CommitInterval must be between 0 and 10 s")]
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The most frames in one group commit. Default 2000.</summary>
    [Range(1, 100_000, ErrorMessage = "Storage:CommitBatch must be between 1 and 100000")]
    public int CommitBatch { get; set; } = 2000;

    /// <summary>
    /// Most frames per commit of <c>import</c> (20,000): a bulk load commits far fewer, larger
    /// transactions — each outlet's pages of the store are then written once per many hours of data
    /// (on the 500-outlet quarter 15.1k instead of 11.6k frames/s).
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "Storage:ImportBatch must be between 1 and 100000")]
    public int ImportBatch { get; set; } = 20_000;

    /// <summary>These options with <see cref="ImportBatch"/> as the commit batch (the <c>import</c> command's journal).</summary>
    public StorageOptions ForImport()
    {
        var copy = (StorageOptions)MemberwiseClone();
        copy.CommitBatch = ImportBatch;
        return copy;
    }
}
