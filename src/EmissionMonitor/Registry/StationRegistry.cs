namespace EmissionMonitor.Registry;

/// <summary>The registry of enterprises and outlets (config/stations.json), validated and immutable.</summary>
public sealed class StationRegistry
{
    private readonly Dictionary<string, Outlet> _byMn;
    private readonly Dictionary<string, Enterprise> _byId;

    public StationRegistry(IReadOnlyList<Enterprise> enterprises)
    {
        Enterprises = enterprises;
        _byId = enterprises.ToDictionary(e => e.Id, StringComparer.Ordinal);
        _byMn = enterprises.SelectMany(e => e.Outlets).ToDictionary(o => o.Mn, StringComparer.Ordinal);
    }

    /// <summary>An empty registry.</summary>
    public static StationRegistry Empty { get; } = new([]);

    /// <summary>Enterprises in file order.</summary>
    public IReadOnlyList<Enterprise> Enterprises { get; }

    /// <summary>Every outlet.</summary>
    public IEnumerable<Outlet> Outlets => _byMn.Values;

    /// <summary>The outlet of a terminal, or null.</summary>
    public Outlet? FindOutlet(string? mn) => mn is null ? null : _byMn.GetValueOrDefault(mn);

    /// <summary>An enterprise by registry id, or null.</summary>
    public Enterprise? FindEnterprise(string? id) => id is null ? null : _byId.GetValueOrDefault(id);

    /// <summary>The enterprise an outlet belongs to.</summary>
    public Enterprise EnterpriseOf(Outlet outlet) => _byId[outlet.EnterpriseId];

    /// <summary>
    /// Groups of outlets of different enterprises that share a password (the MNs only, never the
    /// password): common in the field, and a risk worth a warning — each such terminal can sign
    /// frames as the others if their MN is known.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> SharedPasswords() =>
        Outlets.GroupBy(o => o.Password, StringComparer.Ordinal)
            .Where(g => g.Select(o => o.EnterpriseId).Distinct(StringComparer.Ordinal).Count() > 1)
            .Select(g => (IReadOnlyList<string>)g.Select(o => o.Mn).Order(StringComparer.Ordinal).ToList())
            .OrderBy(g => g[0], StringComparer.Ordinal)
            .ToList();
}
