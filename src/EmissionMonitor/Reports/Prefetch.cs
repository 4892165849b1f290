using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace EmissionMonitor.Reports;

/// <summary>
/// A stream read ahead on another thread, at most a few items ahead: a report's next tables are made
/// while the ones before are written (two cores, two halves of the work), and memory stays bounded.
/// An error of the source is thrown to the reader at its place in the stream; a reader that stops
/// early stops the source.
/// </summary>
public static class Prefetch
{
    public static async IAsyncEnumerable<T> Ahead<T>(IAsyncEnumerable<T> source, int items, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(items) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in source.WithCancellation(stop.Token))
                {
                    await channel.Writer.WriteAsync(item, stop.Token);
                }

                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, CancellationToken.None);

        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken))
            {
                while (channel.Reader.TryRead(out var item))
                {
                    yield return item;
                }
            }
        }
        finally
        {
            await stop.CancelAsync(); // the reader stopped (done, failed or left early): so does the source
            await producer;
        }
    }
}
