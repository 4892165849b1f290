using System.Collections.Concurrent;
using System.Net;

namespace EmissionMonitor.Intake;

/// <summary>
/// Slows password guessing: after <see cref="IntakeOptions.MaxLoginFailures"/> failed logins of one
/// MN from one address within <see cref="IntakeOptions.LoginLockout"/>, that (address, MN) is locked
/// out for <see cref="IntakeOptions.LoginLockout"/> — even the right password is refused then, as
/// <c>throttled</c>. Other addresses and other MNs are not affected. The table is bounded: expired
/// entries are purged, and past <see cref="MaxEntries"/> new failures are no longer tracked.
/// </summary>
public sealed class LoginThrottle(IntakeOptions options, TimeProvider clock)
{
    /// <summary>The most (address, MN) pairs tracked at once.</summary>
    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<(string Address, string Mn), Entry> _entries = new();

    /// <summary>Tracked pairs (for tests and metrics).</summary>
    public int Count => _entries.Count;

    /// <summary>True when logins of <paramref name="mn"/> from <paramref name="peer"/> are locked out now.</summary>
    public bool IsLocked(string? peer, string mn)
    {
        if (options.MaxLoginFailures <= 0 || !_entries.TryGetValue((AddressOf(peer), mn), out var entry))
        {
            return false;
        }

        lock (entry)
        {
            return entry.LockedUntil > clock.GetUtcNow();
        }
    }

    /// <summary>Records a failed login; returns true when it starts a lock-out.</summary>
    public bool Fail(string? peer, string mn)
    {
        if (options.MaxLoginFailures <= 0)
        {
            return false;
        }

        var key = (AddressOf(peer), mn);
        if (!_entries.TryGetValue(key, out var entry))
        {
            if (_entries.Count >= MaxEntries)
            {
                Purge();
                if (_entries.Count >= MaxEntries)
                {
                    return false;
                }
            }

            entry = _entries.GetOrAdd(key, _ => new Entry());
        }

        var now = clock.GetUtcNow();
        lock (entry)
        {
            if (now - entry.WindowStart > options.LoginLockout)
            {
                entry.WindowStart = now;
                entry.Failures = 0;
            }

            if (++entry.Failures < options.MaxLoginFailures)
            {
                return false;
            }

            entry.LockedUntil = now + options.LoginLockout;
            entry.WindowStart = entry.LockedUntil;
            entry.Failures = 0;
            return true;
        }
    }

    /// <summary>A successful login clears the failures of that (address, MN).</summary>
    public void Succeed(string? peer, string mn)
    {
        if (!_entries.IsEmpty)
        {
            _entries.TryRemove((AddressOf(peer), mn), out _);
        }
    }

    /// <summary>The address part of a peer (<c>1.2.3.4:5678</c>, <c>[::1]:5678</c>); other peers as they are.</summary>
    public static string AddressOf(string? peer)
    {
        if (peer is null)
        {
            return string.Empty;
        }

        return IPEndPoint.TryParse(peer, out var endpoint) && endpoint.Port != 0 && peer.Contains(':', StringComparison.Ordinal)
            ? (endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address).ToString()
            : peer;
    }

    private void Purge()
    {
        var now = clock.GetUtcNow();
        foreach (var (key, entry) in _entries)
        {
            bool expired;
            lock (entry)
            {
                expired = entry.LockedUntil <= now && now - entry.WindowStart > options.LoginLockout;
            }

            if (expired)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private sealed class Entry
    {
        public DateTimeOffset WindowStart { get; set; } = DateTimeOffset.MinValue;

        public int Failures { get; set; }

        public DateTimeOffset LockedUntil { get; set; } = DateTimeOffset.MinValue;
    }
}
