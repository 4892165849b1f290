using EmissionMonitor.Hj212.Crypto;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Security;

/// <summary>
/// Every terminal's SM4 keys (HJ 212-2025 §6.4.3), from the registry and the store. The newest
/// key of an MN is its current one; the one it replaced still decrypts for Security:KeyGrace. A key
/// from rotation (CN 1014) or from an operator, kept in the store, wins over the registry's
/// <c>sm4Key</c> until that field itself changes: an edited registry key is recorded as the newest.
/// A registry key's age counts from when the service first loaded it. Keys never leave this class
/// except to decrypt, to answer the terminal, or once to the operator who asked for a new one.
/// </summary>
public sealed partial class KeyRing(IRecordStore store, Func<StationRegistry> registry, SecurityOptions options, TimeProvider clock, ILogger<KeyRing> logger)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<Entry>> _byMn = new(StringComparer.Ordinal);
    private StationRegistry? _reconciled;

    private sealed record Entry(TerminalKey Record, Sm4Key Key);

    /// <summary>What an operator may see of a terminal's key: its age and where it came from, never the key.</summary>
    public sealed record KeyInfo(DateTimeOffset CreatedAt, string Source, double AgeDays, bool TooOld);

    /// <summary>Loads the stored keys and records the registry's new or changed ones.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var stored = await store.QueryTerminalKeysAsync(cancellationToken);
        lock (_lock)
        {
            _byMn.Clear();
            foreach (var record in stored)
            {
                if (Sm4Key.TryParse(record.Key, out var key, out _))
                {
                    Add(new Entry(record, key!));
                }
            }
        }

        await ReconcileAsync(cancellationToken);
    }

    /// <summary>
    /// The keys to try for an MN's encrypted frame: the current one, then the previous one while in
    /// its grace period; empty when the terminal has none.
    /// </summary>
    public IReadOnlyList<Sm4Key> Keys(string mn)
    {
        ReconcileIfChanged();
        lock (_lock)
        {
            if (!_byMn.TryGetValue(mn, out var list) || list.Count == 0)
            {
                return [];
            }

            var current = list[^1];
            if (list.Count > 1 && clock.GetUtcNow() < current.Record.CreatedAt + options.KeyGrace)
            {
                return [current.Key, list[^2].Key];
            }

            return [current.Key];
        }
    }

    /// <summary>The current key of an MN, or null.</summary>
    public Sm4Key? Current(string mn)
    {
        var keys = Keys(mn);
        return keys.Count == 0 ? null : keys[0];
    }

    /// <summary>The age and origin of an MN's current key, or null without one.</summary>
    public KeyInfo? Info(string mn)
    {
        ReconcileIfChanged();
        lock (_lock)
        {
            if (!_byMn.TryGetValue(mn, out var list) || list.Count == 0)
            {
                return null;
            }

            var r = list[^1].Record;
            var age = clock.GetUtcNow() - r.CreatedAt;
            return new KeyInfo(r.CreatedAt, r.Source, Math.Round(age.TotalDays, 2), age > options.KeyMaxAge);
        }
    }

    /// <summary>Records <paramref name="key"/> (or a fresh random one) as the MN's current key; the previous one keeps its grace.</summary>
    public async Task<(Sm4Key Key, TerminalKey Record)> ReplaceAsync(string mn, Sm4Key? key, string source, CancellationToken cancellationToken)
    {
        key ??= Sm4Key.NewRandom();
        var record = new TerminalKey(mn, key.Reveal(), clock.GetUtcNow(), source);
        await store.AddTerminalKeyAsync(record, cancellationToken);
        lock (_lock)
        {
            Add(new Entry(record, key));
        }

        LogReplaced(logger, mn, source);
        return (key, record);
    }

    /// <summary>What a CN 1014 new-key request is answered with: the new key, its creation time, and the key the answer is encrypted with.</summary>
    public sealed record Rotation(Sm4Key NewKey, DateTimeOffset CreatedAt, Sm4Key EncryptWith, bool Repeated);

    /// <summary>
    /// A terminal's new-key request (CN 1014): a fresh random key, recorded, to be sent encrypted
    /// with the key the terminal has now (<paramref name="held"/>, the key its request was decrypted
    /// with, which must be the current one). A request within <see cref="SecurityOptions.KeyRotationInterval"/>
    /// of the last rotation (a lost answer, or a terminal asking in a loop) gets that same key again,
    /// encrypted with the same key as before, and records nothing: requests cannot grow the store.
    /// Null — nothing rotated — when the request was not encrypted with the outlet's current key
    /// (a plain request carries only the PW, which every reader of the registry's old copies may
    /// know: it must never take the real terminal's key away), or the terminal has no key.
    /// </summary>
    public async Task<Rotation?> RotateAsync(string mn, Sm4Key? held, CancellationToken cancellationToken)
    {
        ReconcileIfChanged();
        if (held is null)
        {
            return null;
        }

        Sm4Key? current;
        lock (_lock)
        {
            if (!_byMn.TryGetValue(mn, out var list) || list.Count == 0)
            {
                return null;
            }

            var last = list[^1];
            if (last.Record.Source == TerminalKey.FromRotation && list.Count > 1 && clock.GetUtcNow() - last.Record.CreatedAt < options.KeyRotationInterval)
            {
                // The answer was lost: the terminal asks again with the key it still holds (the one before), or with the new one.
                if (!held.Equals(list[^2].Key) && !held.Equals(last.Key))
                {
                    return null;
                }

                LogRepeated(logger, mn, options.KeyRotationInterval.TotalMinutes);
                return new Rotation(last.Key, last.Record.CreatedAt, held, true);
            }

            if (!held.Equals(last.Key))
            {
                return null; // encrypted with a key in its grace period, not the current one
            }

            current = last.Key;
        }

        var (fresh, record) = await ReplaceAsync(mn, null, TerminalKey.FromRotation, cancellationToken);
        return new Rotation(fresh, record.CreatedAt, current, false);
    }

    /// <summary>Records the registry's keys that are new or changed since they were last recorded.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken) => await PersistAsync(TakeRegistryChanges(), cancellationToken);

    /// <summary>The registry's new or changed keys, made current in memory.</summary>
    private List<Entry> TakeRegistryChanges()
    {
        var changed = new List<Entry>();
        lock (_lock)
        {
            var current = registry();
            _reconciled = current;
            foreach (var outlet in current.Outlets)
            {
                if (outlet.Sm4Key is { } key && !SameAsLastRegistryKey(outlet.Mn, key))
                {
                    var entry = new Entry(new TerminalKey(outlet.Mn, key.Reveal(), clock.GetUtcNow(), TerminalKey.FromRegistry), key);
                    Add(entry);
                    changed.Add(entry);
                }
            }
        }

        return changed;
    }

    private async Task PersistAsync(List<Entry> entries, CancellationToken cancellationToken)
    {
        foreach (var entry in entries)
        {
            await store.AddTerminalKeyAsync(entry.Record, cancellationToken);
            LogRegistryKey(logger, entry.Record.Mn);
        }
    }

    /// <summary>After a registry reload: its changed keys count at once, and are recorded in the store in the background.</summary>
    private void ReconcileIfChanged()
    {
        if (ReferenceEquals(Volatile.Read(ref _reconciled), registry()))
        {
            return;
        }

        var changed = TakeRegistryChanges();
        if (changed.Count == 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await PersistAsync(changed, CancellationToken.None);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogReconcileFailed(logger, e.Message);
            }
        });
    }

    private bool SameAsLastRegistryKey(string mn, Sm4Key key) =>
        _byMn.TryGetValue(mn, out var list) && list.LastOrDefault(e => e.Record.Source == TerminalKey.FromRegistry) is { } last && last.Key.Equals(key);

    private void Add(Entry entry)
    {
        if (!_byMn.TryGetValue(entry.Record.Mn, out var list))
        {
            _byMn[entry.Record.Mn] = list = [];
        }

        list.Add(entry);

        // Only the current key, the one before it (its grace) and the last registry key (to tell an
        // edited registry key) are ever read: older entries stay in the store, not in memory.
        int lastRegistry = list.FindLastIndex(e => e.Record.Source == TerminalKey.FromRegistry);
        for (int i = list.Count - 3; i >= 0; i--)
        {
            if (i != lastRegistry)
            {
                list.RemoveAt(i);
                lastRegistry -= lastRegistry > i ? 1 : 0;
            }
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "New SM4 key for {Mn} ({Source})")]
    private static partial void LogReplaced(ILogger logger, string mn, string source);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "SM4 key of {Mn} taken from the registry")]
    private static partial void LogRegistryKey(ILogger logger, string mn);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Recording the registry's SM4 keys failed: {Reason}")]
    private static partial void LogReconcileFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 7012, Level = LogLevel.Warning, Message = "CN 1014 new-key request from {Mn} within {Minutes:F0} min of its last rotation: the same new key is sent again, nothing recorded")]
    private static partial void LogRepeated(ILogger logger, string mn, double minutes);
}
