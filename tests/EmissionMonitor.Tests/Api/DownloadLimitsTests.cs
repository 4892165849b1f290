using EmissionMonitor.Api;
using EmissionMonitor.Api.Http;

namespace EmissionMonitor.Tests.Api;

public sealed class DownloadLimitsTests
{
    [Fact]
    public void AUser_RunsAtMostItsDownloadsAtOnce_OthersAreNotCounted_AndAFinishedOneFreesItsSlot()
    {
        var limits = new DownloadLimits(new ApiOptions { MaxDownloadsPerUser = 2 });
        using var first = limits.TryEnter("inspector");
        var second = limits.TryEnter("inspector");
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(limits.TryEnter("inspector"));
        using (var other = limits.TryEnter("enterprise"))
        {
            Assert.NotNull(other);
        }

        second!.Dispose();
        second.Dispose(); // twice frees one slot only
        using var third = limits.TryEnter("inspector");
        Assert.NotNull(third);
        Assert.Null(limits.TryEnter("inspector"));
    }
}
