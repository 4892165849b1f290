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
    /// Most frames per commit of <c>import</c>; 0 (the default) sizes it by the registry: ten frames
    /// an outlet, at least 20,000 and at most 100,000. A bulk load commits few, large transactions,
    /// and each commit writes a page or more of every outlet it holds frames of (its records, its
    /// frames by MN, its day facts) — so a commit must hold several frames per outlet: at 5,000 outlets
    /// 50,000 frames import 21k frames/s where 20,000 import 15k (docs/benchmarks.md).
    /// </summary>
    [Range(0, 100_000, ErrorMessage = "Storage:ImportBatch must be between 0 (sized by the registry) and 100000")]
    public int ImportBatch { get; set; }

    /// <summary>The import's commit batch for a registry of <paramref name="outlets"/> outlets: <see cref="ImportBatch"/>, or when 0 ten frames an outlet within [20,000, 100,000].</summary>
    public int ImportBatchFor(int outlets) => ImportBatch > 0 ? ImportBatch : Math.Clamp(10 * outlets, 20_000, 100_000);

    /// <summary>These options with the import's batch (<see cref="ImportBatchFor"/>) as the commit batch (the <c>import</c> command's journal).</summary>
    public StorageOptions ForImport(int outlets)
    {
        var copy = (StorageOptions)MemberwiseClone();
        copy.CommitBatch = ImportBatchFor(outlets);
        return copy;
    }
}
