using EmissionMonitor.Storage;

namespace EmissionMonitor.Tests.Storage;

public sealed class StorageOptionsTests
{
    [Theory]
    [InlineData(0, 3, 20_000)] // the demo: the floor
    [InlineData(0, 500, 20_000)]
    [InlineData(0, 2_000, 20_000)]
    [InlineData(0, 5_000, 50_000)] // ten frames an outlet
    [InlineData(0, 20_000, 100_000)] // the cap
    [InlineData(30_000, 5_000, 30_000)] // a value set is kept whatever the registry
    public void TheImportBatch_IsTenFramesAnOutlet_WithinItsBounds_UnlessSet(int configured, int outlets, int batch)
    {
        var options = new StorageOptions { ImportBatch = configured, CommitBatch = 2_000 };
        Assert.Equal(batch, options.ImportBatchFor(outlets));
        var import = options.ForImport(outlets);
        Assert.Equal(batch, import.CommitBatch);
        Assert.Equal(2_000, options.CommitBatch); // the live journal's batch is not changed
    }
}
