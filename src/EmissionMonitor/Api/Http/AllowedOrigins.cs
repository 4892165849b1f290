namespace EmissionMonitor.Api.Http;

/// <summary>
/// The origins state-changing requests may come from: those of <c>Api:AllowedOrigins</c> (a reverse
/// proxy's public name), and the service's own — an origin whose host is an allowed host
/// (<see cref="HttpOptions.AllowedHosts"/>) and whose host and port are the ones the request was
/// sent to. An origin is never accepted merely for naming the request's own Host: a page whose
/// name rebinds to this machine names its own host in both.
/// </summary>
public sealed class AllowedOrigins(IEnumerable<string> configured, IReadOnlySet<string> hosts)
{
    private readonly HashSet<string> _configured = configured.Select(o => o.TrimEnd('/')).ToHashSet(StringComparer.OrdinalIgnoreCase);
    private readonly bool _anyHost = hosts.Contains("*");

    public bool Allows(string origin, HostString requestHost)
    {
        if (_configured.Contains(origin.TrimEnd('/')))
        {
            return true;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && (_anyHost || hosts.Contains(HttpOptions.Bare(uri.Host)))
            && string.Equals(uri.Authority, requestHost.Value, StringComparison.OrdinalIgnoreCase);
    }
}
