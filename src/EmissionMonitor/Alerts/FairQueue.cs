using System.Threading.Channels;

namespace EmissionMonitor.Alerts;

/// <summary>
/// Work waiting for the alert rules, one queue per outlet, served in turn: an outlet that sends a
/// flood waits behind its own backlog while every other outlet's next item goes first. Each
/// outlet's queue holds at most <c>maxPerKey</c> items; beyond it that outlet's oldest is dropped and
/// counted (<see cref="Dropped"/>) — never another outlet's. Thread-safe; one reader.
/// </summary>
public sealed class FairQueue<T>(int maxPerKey)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<T>> _queues = new(StringComparer.Ordinal);
    private readonly Queue<string> _turns = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private long _dropped;
    private int _count;

    /// <summary>Items dropped because their outlet's own backlog was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Items waiting.</summary>
    public int Count => Volatile.Read(ref _count);

    public void Enqueue(string key, T item)
    {
        lock (_lock)
        {
            if (!_queues.TryGetValue(key, out var queue))
            {
                _queues[key] = queue = new Queue<T>();
            }

            if (queue.Count == 0)
            {
                _turns.Enqueue(key);
            }

            if (queue.Count >= maxPerKey)
            {
                queue.Dequeue();
                _dropped++;
                _count--;
            }

            queue.Enqueue(item);
            _count++;
        }

        _wake.Writer.TryWrite(true);
    }

    /// <summary>Up to <paramref name="max"/> items, one per outlet in turn; false when none wait.</summary>
    public bool TryTake(int max, out List<T> items)
    {
        items = [];
        lock (_lock)
        {
            while (items.Count < max && _turns.TryDequeue(out var key))
            {
                var queue = _queues[key];
                items.Add(queue.Dequeue());
                _count--;
                if (queue.Count > 0)
                {
                    _turns.Enqueue(key); // its next item after everyone else's
                }
                else
                {
                    _queues.Remove(key);
                }
            }
        }

        return items.Count > 0;
    }

    /// <summary>Waits until something may have been queued.</summary>
    public async ValueTask<bool> WaitAsync(CancellationToken ct)
    {
        bool more = await _wake.Reader.WaitToReadAsync(ct);
        _wake.Reader.TryRead(out _);
        return more;
    }
}
