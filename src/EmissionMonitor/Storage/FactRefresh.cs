using EmissionMonitor.Compliance.Summaries;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Storage;

/// <summary>
/// Brings every outlet's facts in line with the rules and registry in force: an outlet whose stored
/// fingerprint differs (new outlet, new limits or reference O2, changed Compliance or Cards options)
/// is rebuilt from its readings. Idempotent, so running it on several instances is harmless.
/// </summary>
public static class FactRefresh
{
    /// <summary>The outlets whose facts are not built with the rules in force.</summary>
    public static async Task<List<Outlet>> StaleAsync(IStore store, FactRules rules, StationRegistry registry, CancellationToken ct)
    {
        if (!store.KeepsFacts)
        {
            return []; // nothing to rebuild: reports compute every outlet from its readings
        }

        var fingerprints = await store.FactFingerprintsAsync(ct);
        return registry.Outlets.Where(o => fingerprints.GetValueOrDefault(o.Mn) != rules.Fingerprint(o)).OrderBy(o => o.Mn, StringComparer.Ordinal).ToList();
    }

    /// <summary>Rebuilds every stale outlet; returns how many outlets and days were rebuilt.</summary>
    public static async Task<(int Outlets, int Days)> RunAsync(IStore store, FactRules rules, StationRegistry registry, CancellationToken ct)
    {
        int outlets = 0, days = await store.SettleFactsAsync(ct);
        foreach (var outlet in await StaleAsync(store, rules, registry, ct))
        {
            days += await store.RebuildFactsAsync(outlet.Mn, ct);
            outlets++;
        }

        return (outlets, days);
    }
}
