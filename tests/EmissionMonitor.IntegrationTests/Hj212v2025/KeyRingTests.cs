using EmissionMonitor.Storage;
using EmissionMonitor.Registry;
using EmissionMonitor.Security;
using EmissionMonitor.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EmissionMonitor.IntegrationTests.Hj212v2025;

/// <summary>Which key wins, the grace period and key ages, over a real SQLite store.</summary>
public sealed class KeyRingTests
{
    private static StationRegistry Registry(string? key)
    {
        string json = key is null ? Some.RegistryJson
            : Some.RegistryJson.Replace("\"password\": \"123456\",", $"\"password\": \"123456\", \"sm4Key\": \"{key}\",", StringComparison.Ordinal);
        var (registry, problems) = RegistryLoader.Parse(json, "test");
        Assert.Empty(problems);
        return registry!;
    }

    [Fact]
    public async Task StoredKeysWinUntilTheRegistryKeyChanges_TheOldKeyKeepsItsGrace_AndAgesCountFromTheFirstLoad()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        string dir = Some.TempDirectory();
        var registry = Registry("RegistryKey00001");
        var options = new SecurityOptions { KeyGrace = TimeSpan.FromDays(1), KeyMaxAge = TimeSpan.FromDays(90) };
        await using var store = new SqliteStore(dir);
        await store.InitializeAsync(CancellationToken.None);

        var ring = new KeyRing(store, () => registry, options, clock, NullLogger<KeyRing>.Instance);
        await ring.LoadAsync(CancellationToken.None);
        Assert.Equal(["RegistryKey00001"], ring.Keys("QHXN0010001").Select(k => k.Reveal()));
        Assert.Empty(ring.Keys("QHXN0020001"));

        clock.Advance(TimeSpan.FromDays(91));
        Assert.True(ring.Info("QHXN0010001")!.TooOld, "the registry key's age counts from its first load");

        // A restart keeps the first load's time: the key is still too old.
        var again = new KeyRing(store, () => registry, options, clock, NullLogger<KeyRing>.Instance);
        await again.LoadAsync(CancellationToken.None);
        Assert.True(again.Info("QHXN0010001")!.TooOld);

        var (rotated, _) = await again.ReplaceAsync("QHXN0010001", null, "rotation", CancellationToken.None);
        Assert.False(again.Info("QHXN0010001")!.TooOld);
        Assert.Equal([rotated.Reveal(), "RegistryKey00001"], again.Keys("QHXN0010001").Select(k => k.Reveal()));
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        Assert.Equal([rotated.Reveal()], again.Keys("QHXN0010001").Select(k => k.Reveal()));

        // The unchanged registry key does not come back after a restart: the rotated key wins.
        var third = new KeyRing(store, () => registry, options, clock, NullLogger<KeyRing>.Instance);
        await third.LoadAsync(CancellationToken.None);
        Assert.Equal(rotated.Reveal(), third.Current("QHXN0010001")!.Reveal());

        // An edited registry key replaces the stored one, at once (a reload), and is recorded.
        registry = Registry("RegistryKey00002");
        Assert.Equal("RegistryKey00002", third.Current("QHXN0010001")!.Reveal());
        await Waiting.UntilAsync(async () => (await store.QueryTerminalKeysAsync(CancellationToken.None)).Count == 3, TimeSpan.FromSeconds(10), "the edited key recorded");
        var fourth = new KeyRing(store, () => registry, options, clock, NullLogger<KeyRing>.Instance);
        await fourth.LoadAsync(CancellationToken.None);
        Assert.Equal("RegistryKey00002", fourth.Current("QHXN0010001")!.Reveal());
        Assert.Equal(3, (await store.QueryTerminalKeysAsync(CancellationToken.None)).Count);

        // Many rotations: memory keeps what is read (current, previous, last registry key); all stay in the store.
        var made = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            made.Add((await fourth.ReplaceAsync("QHXN0010001", null, "rotation", CancellationToken.None)).Key.Reveal());
        }

        Assert.Equal([made[4], made[3]], fourth.Keys("QHXN0010001").Select(k => k.Reveal()));
        registry = Registry("RegistryKey00002"); // reloaded, unchanged key: the rotated key still wins
        Assert.Equal(made[4], fourth.Current("QHXN0010001")!.Reveal());
        Assert.Equal(8, (await store.QueryTerminalKeysAsync(CancellationToken.None)).Count);
    }
}
