using EmissionMonitor.Api;

namespace EmissionMonitor.Tests.Api;

public sealed class ReportGateTests
{
    [Fact]
    public async Task ReportsBeyondTheConcurrentLimit_WaitInABoundedQueue_AndBeyondItAreTurnedAway()
    {
        using var gate = new ReportGate(new ApiOptions { MaxConcurrentReports = 2, MaxQueuedReports = 1 });
        using var first = await gate.AcquireAsync(CancellationToken.None);
        using var second = await gate.AcquireAsync(CancellationToken.None);
        Assert.True(first.IsAcquired && second.IsAcquired);
        var queued = gate.AcquireAsync(CancellationToken.None).AsTask();
        Assert.False(queued.IsCompleted); // waits its turn
        using (var refused = await gate.AcquireAsync(CancellationToken.None))
        {
            Assert.False(refused.IsAcquired); // the queue is full: a 429 at once
        }

        first.Dispose();
        using var third = await queued.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(third.IsAcquired);
    }
}
