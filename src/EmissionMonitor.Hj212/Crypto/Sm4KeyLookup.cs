namespace EmissionMonitor.Hj212.Crypto;

/// <summary>The SM4 keys to try for a terminal's MN, the current one first; empty when it has none.</summary>
public delegate IReadOnlyList<Sm4Key> Sm4KeyLookup(string mn);
