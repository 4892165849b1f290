using System.Collections.Concurrent;
using System.Net;

namespace EmissionMonitor.Ingestion.Connecting;

/// <summary>
/// How many of something each key holds at once (connections of an address, requests of a client,
/// downloads of a user); a key back at zero is removed, so keys seen once do not accumulate.
/// </summary>
public sealed class KeyedCounts<TKey>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, int> _counts;

    public KeyedCounts(IEqualityComparer<TKey>? comparer = null) => _counts = new(comparer);

    /// <summary>Counts one more for <paramref name="key"/>; its count now.</summary>
    public int Enter(TKey key) => _counts.AddOrUpdate(key, 1, (_, n) => n + 1);

    /// <summary>Counts one less for <paramref name="key"/>.</summary>
    public void Leave(TKey key)
    {
        while (true)
        {
            int n = _counts.GetValueOrDefault(key);
            if (n <= 1)
            {
                if (_counts.TryRemove(new KeyValuePair<TKey, int>(key, n)) || n == 0)
                {
                    return;
                }
            }
            else if (_counts.TryUpdate(key, n - 1, n))
            {
                return;
            }
        }
    }
}

/// <summary>Remote addresses as the limits count them.</summary>
public static class ClientAddresses
{
    /// <summary>An IPv4 address mapped into IPv6 as the IPv4 address it is (a dual-stack socket's peers).</summary>
    public static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
