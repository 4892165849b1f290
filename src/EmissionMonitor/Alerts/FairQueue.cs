using System.Threading.Channels;

namespace EmissionMonitor.Alerts;

/// <summary>Where a <see cref="FairQueue{T}"/> puts a key's items beyond its share of memory, in order.</summary>
public interface IOverflow<T>
{
    /// <summary>Keeps the item after the key's others; false when there is no room (the item is dropped).</summary>
    bool Put(string key, T item);

    /// <summary>The key's oldest kept item; false when it has none left.</summary>
    bool TryTake(string key, out T item);
}

/// <summary>
/// Work waiting for the alert rules, one queue per outlet, served in turn: an outlet that sends a
/// flood waits behind its own backlog while every other outlet's next item goes first. Each
/// outlet's queue holds at most <c>maxPerKey</c> items in memory; beyond it the outlet's later
/// items go to the <paramref name="overflow"/> (on disk) and come back in order, and only when that
/// is full too (or there is none: then the oldest in memory) is an item dropped and counted
/// (<see cref="Dropped"/>) — never another outlet's. Thread-safe; one reader.
/// </summary>
public sealed class FairQueue<T>(int maxPerKey, IOverflow<T>? overflow = null)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<T>> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _spilled = new(StringComparer.Ordinal);
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

            long spilled = _spilled.GetValueOrDefault(key);
            if (queue.Count == 0 && spilled == 0)
            {
                _turns.Enqueue(key);
            }

            if (overflow is not null && (spilled > 0 || queue.Count >= maxPerKey))
            {
                if (overflow.Put(key, item))
                {
                    _spilled[key] = spilled + 1; // after everything before it, on disk, in order
                    _count++;
                }
                else
                {
                    _dropped++;
                }
            }
            else
            {
                if (queue.Count >= maxPerKey)
                {
                    queue.Dequeue();
                    _dropped++;
                    _count--;
                }

                queue.Enqueue(item);
                _count++;
            }
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
                if (queue.Count > 0)
                {
                    items.Add(queue.Dequeue());
                    _count--;
                }
                else if (_spilled.GetValueOrDefault(key) > 0)
                {
                    _spilled[key]--;
                    _count--;
                    if (overflow!.TryTake(key, out var kept))
                    {
                        items.Add(kept);
                    }
                }

                if (queue.Count > 0 || _spilled.GetValueOrDefault(key) > 0)
                {
                    _turns.Enqueue(key); // its next item after everyone else's
                }
                else
                {
                    _queues.Remove(key);
                    _spilled.Remove(key);
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
