using System.Runtime.CompilerServices;

namespace EmissionMonitor.Reports;

/// <summary>Work read ahead of its reader on other threads, a bounded amount of it, in order.</summary>
public static class Prefetch
{
    /// <summary>
    /// Each item mapped on the thread pool, up to <paramref name="parallel"/> at a time, the results
    /// yielded in the items' order: no more than <paramref name="parallel"/> results are made ahead of
    /// the reader. With one, each item is mapped when the reader asks for it. A failed map is thrown to
    /// the reader at its place; a reader that stops early cancels the maps still running and waits for them.
    /// </summary>
    public static async IAsyncEnumerable<TOut> Ordered<TIn, TOut>(IEnumerable<TIn> items, Func<TIn, CancellationToken, Task<TOut>> map, int parallel,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (parallel <= 1)
        {
            foreach (var item in items)
            {
                yield return await map(item, cancellationToken);
            }

            yield break;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = new Queue<Task<TOut>>();
        using var next = items.GetEnumerator();
        void Start()
        {
            while (running.Count < parallel && next.MoveNext())
            {
                var item = next.Current;
                running.Enqueue(Task.Run(() => map(item, stop.Token), CancellationToken.None));
            }
        }

        try
        {
            Start();
            while (running.Count > 0)
            {
                var result = await running.Dequeue();
                Start(); // the next item begins while the reader has this one
                yield return result;
            }
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var task in running)
            {
                try
                {
                    await task;
                }
                catch (Exception)
                {
                    // cancelled or failed after the reader left or failed: the result is not wanted
                }
            }
        }
    }
}
