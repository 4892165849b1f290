namespace EmissionMonitor.Storage;

/// <summary>The store's server is down, too slow or refusing: a clear error (HTTP 503, exit code 1) that names it.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
