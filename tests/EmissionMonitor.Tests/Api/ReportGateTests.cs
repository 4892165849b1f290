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

    [Fact]
    public async Task FilesHeldByTheirReaders_TakeSlotsOfTheirOwn_NotTheReports()
    {
        using var gate = new ReportGate(new ApiOptions { MaxConcurrentReports = 1, MaxConcurrentFiles = 1, MaxQueuedReports = 0 });
        using var file = await gate.AcquireFileAsync(CancellationToken.None);
        Assert.True(file.IsAcquired);
        using (var anotherFile = await gate.AcquireFileAsync(CancellationToken.None))
        {
            Assert.False(anotherFile.IsAcquired); // the file slots are full: a 429 at once
        }

        using var report = await gate.AcquireAsync(CancellationToken.None);
        Assert.True(report.IsAcquired); // a report does not wait for a file's reader
    }
}
