using System.Collections.Concurrent;
using System.Security.Cryptography;
using EmissionMonitor.Users;

namespace EmissionMonitor.Api.Http;

/// <summary>
/// The dashboard's sessions: a login (<c>POST /api/session</c>) gets a random value of its own —
/// never the API token — bound to the user, valid for <c>Api:SessionLifetime</c> (12 h) and revoked
/// by logout (<c>DELETE /api/session</c>). Held in memory: a restart asks people to log in again.
/// Bounded: past <see cref="MaxSessions"/> the oldest give way.
/// </summary>
public sealed class Sessions(TimeSpan lifetime, TimeProvider clock)
{
    public const int MaxSessions = 100_000;

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    private sealed record Session(ApiUser User, DateTimeOffset Expires);

    /// <summary>Sessions held (tests).</summary>
    public int Count => _sessions.Count;

    /// <summary>A new session of <paramref name="user"/>: its value and when it ends.</summary>
    public (string Value, DateTimeOffset Expires) Open(ApiUser user)
    {
        var now = clock.GetUtcNow();
        if (_sessions.Count >= MaxSessions)
        {
            foreach (var (key, s) in _sessions.Where(p => p.Value.Expires <= now).ToList())
            {
                _sessions.TryRemove(key, out _);
            }

            foreach (var (key, _) in _sessions.OrderBy(p => p.Value.Expires).Take(Math.Max(0, _sessions.Count - MaxSessions + 1)).ToList())
            {
                _sessions.TryRemove(key, out _);
            }
        }

        string value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var expires = now + lifetime;
        _sessions[value] = new Session(user, expires);
        return (value, expires);
    }

    /// <summary>The user of a live session, or null (unknown, ended or expired).</summary>
    public ApiUser? Find(string value)
    {
        if (!_sessions.TryGetValue(value, out var s))
        {
            return null;
        }

        if (s.Expires <= clock.GetUtcNow())
        {
            _sessions.TryRemove(value, out _);
            return null;
        }

        return s.User;
    }

    /// <summary>Ends a session: its value is refused from now on.</summary>
    public void Close(string value) => _sessions.TryRemove(value, out _);
}
