using EmissionMonitor.Reports;

namespace EmissionMonitor.Tests.Reports;

public sealed class PrefetchTests
{
    private static async IAsyncEnumerable<int> Numbers(int count, Action<int>? made = null, int failAt = -1,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        for (int i = 0; i < count; i++)
        {
            ct.ThrowIfCancellationRequested();
            await Task.Yield();
            if (i == failAt)
            {
                throw new InvalidOperationException($"failed at {i}");
            }

            made?.Invoke(i);
            yield return i;
        }
    }

    [Fact]
    public async Task EveryItem_ComesInOrder()
    {
        var read = new List<int>();
        await foreach (var i in Prefetch.Ahead(Numbers(10_000), 4))
        {
            read.Add(i);
        }

        Assert.Equal(Enumerable.Range(0, 10_000), read);
    }

    [Fact]
    public async Task TheSourcesError_ReachesTheReader_AfterTheItemsBeforeIt()
    {
        var read = new List<int>();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var i in Prefetch.Ahead(Numbers(100, failAt: 37), 4))
            {
                read.Add(i);
            }
        });
        Assert.Equal("failed at 37", e.Message);
        Assert.Equal(Enumerable.Range(0, 37), read);
    }

    [Fact]
    public async Task AReaderThatStops_StopsTheSource_WhichRunsOnlyAFewItemsAhead()
    {
        int made = -1;
        await foreach (var i in Prefetch.Ahead(Numbers(1_000_000, i => Volatile.Write(ref made, i)), 4))
        {
            if (i == 10)
            {
                break;
            }
        }

        int after = Volatile.Read(ref made);
        Assert.InRange(after, 10, 10 + 4 + 2); // the channel's four, the one being written, the one being made
        await Task.Delay(100);
        Assert.Equal(after, Volatile.Read(ref made)); // and no more once the reader left
    }
}
