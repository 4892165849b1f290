namespace EmissionMonitor.Registry;

/// <summary>
/// Holds the current registry and reloads it when stations.json changes. A reload with problems is
/// logged and ignored: the previous registry stays in force.
/// </summary>
public sealed partial class RegistryWatcher : IDisposable
{
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly FileSystemWatcher? _watcher;
    private volatile StationRegistry _current;

    public RegistryWatcher(string path, StationRegistry initial, ILogger<RegistryWatcher> logger)
    {
        _path = Path.GetFullPath(path);
        _current = initial;
        _logger = logger;
        if (Directory.Exists(Path.GetDirectoryName(_path)))
        {
            _watcher = new FileSystemWatcher(Path.GetDirectoryName(_path)!, Path.GetFileName(_path)) { EnableRaisingEvents = true };
            _watcher.Changed += (_, _) => Reload();
            _watcher.Created += (_, _) => Reload();
            _watcher.Renamed += (_, _) => Reload();
        }
    }

    public StationRegistry Current => _current;

    public void Reload()
    {
        var (registry, problems) = RegistryLoader.Load(_path);
        if (registry is null)
        {
            LogRejected(_logger, _path, string.Join("; ", problems));
            return;
        }

        _current = registry;
        LogReloaded(_logger, _path, registry.Outlets.Count());
    }

    public void Dispose() => _watcher?.Dispose();

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Registry {Path} reloaded: {Outlets} outlets")]
    private static partial void LogReloaded(ILogger logger, string path, int outlets);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Registry {Path} not reloaded, the previous one stays in force: {Problems}")]
    private static partial void LogRejected(ILogger logger, string path, string problems);
}
