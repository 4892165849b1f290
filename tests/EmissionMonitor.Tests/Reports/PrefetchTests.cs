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

    private static async Task<int> Slowly(int i, CancellationToken ct)
    {
        await Task.Delay((i * 7919) % 5, ct); // later items often done first
        return i * 2;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task EveryResult_ComesInTheItemsOrder(int parallel)
    {
        var read = new List<int>();
        await foreach (var i in Prefetch.Ordered(Enumerable.Range(0, 300), Slowly, parallel))
        {
            read.Add(i);
        }

        Assert.Equal(Enumerable.Range(0, 300).Select(i => i * 2), read);
    }

    [Fact]
    public async Task AFailedMap_ReachesTheReader_AfterTheResultsBeforeIt()
    {
        var read = new List<int>();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var i in Prefetch.Ordered(Enumerable.Range(0, 100), async (i, ct) => i == 37 ? throw new InvalidOperationException($"failed at {i}") : await Slowly(i, ct), 3))
            {
                read.Add(i);
            }
        });
        Assert.Equal("failed at 37", e.Message);
        Assert.Equal(Enumerable.Range(0, 37).Select(i => i * 2), read);
    }

    [Fact]
    public async Task AReaderThatStops_CancelsTheMapsRunning_AndNoMoreStart()
    {
        int started = 0;
        int cancelled = 0;
        async Task<int> Map(int i, CancellationToken ct)
        {
            Interlocked.Increment(ref started);
            try
            {
                await Task.Delay(i < 10 ? 0 : Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref cancelled);
                throw;
            }

            return i;
        }

        await foreach (var i in Prefetch.Ordered(Enumerable.Range(0, 1_000_000), Map, 2))
        {
            if (i == 9)
            {
                break;
            }
        }

        // items 0..9 read; at most the two after the one being read were running, and those were cancelled
        Assert.InRange(Volatile.Read(ref started), 10, 12);
        Assert.Equal(Volatile.Read(ref started) - 10, Volatile.Read(ref cancelled));
        await Task.Delay(50);
        Assert.InRange(Volatile.Read(ref started), 10, 12);
    }
}
