using System.Net;
using EmissionMonitor.Ingestion.Connecting;

namespace EmissionMonitor.Api.Http;

/// <summary>
/// The first step of every HTTP request: who the client is and what it names. Behind a trusted
/// reverse proxy (<see cref="HttpOptions.TrustedProxies"/>) the client's address, scheme and host
/// come from <c>X-Forwarded-For</c>/<c>-Proto</c>/<c>-Host</c> (the right-most address that is not
/// itself a trusted proxy); from anyone else those headers are ignored. The host named must be
/// allowed (<see cref="HttpOptions.AllowedHosts"/>: DNS rebinding). Requests that came through a
/// proxy are capped per client address (<c>Api:MaxConnectionsPerAddress</c> at once), since the
/// connection cap sees only the proxy's.
/// </summary>
public sealed class ClientGate(IReadOnlyList<System.Net.IPNetwork> proxies, IReadOnlySet<string> hosts, int perClient)
{
    private readonly bool _anyHost = hosts.Contains("*");
    private readonly KeyedCounts<IPAddress> _inFlight = new();

    /// <summary>True when <paramref name="address"/> is one of the trusted proxies.</summary>
    public bool IsProxy(IPAddress? address) => address is not null && proxies.Count > 0 && proxies.Any(n => n.Contains(ClientAddresses.Normalise(address)));

    public void Use(WebApplication app) => app.Use(async (context, next) =>
    {
        bool proxied = IsProxy(context.Connection.RemoteIpAddress);
        if (proxied)
        {
            Forward(context);
        }

        if (!_anyHost && !hosts.Contains(HttpOptions.Bare(context.Request.Host.Host)))
        {
            await Refuse(context, 400, "host not allowed: the Host this request names is not one of Http:AllowedHosts");
            return;
        }

        if (!proxied)
        {
            await next(context);
            return;
        }

        var client = ClientAddresses.Normalise(context.Connection.RemoteIpAddress ?? IPAddress.None);
        if (_inFlight.Enter(client) > perClient)
        {
            _inFlight.Leave(client);
            await Refuse(context, 429, $"too many requests at once from {client} (Api:MaxConnectionsPerAddress)");
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            _inFlight.Leave(client);
        }
    });

    private void Forward(HttpContext context)
    {
        var request = context.Request;
        string[] chain = request.Headers["X-Forwarded-For"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (int i = chain.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(StripPort(chain[i]), out var hop))
            {
                break; // a malformed hop: the proxy's own address stands
            }

            context.Connection.RemoteIpAddress = hop;
            if (!IsProxy(hop))
            {
                break;
            }
        }

        if (Last(request.Headers["X-Forwarded-Proto"].ToString()) is { } scheme && scheme is "http" or "https")
        {
            request.Scheme = scheme;
        }

        if (Last(request.Headers["X-Forwarded-Host"].ToString()) is { Length: > 0 and <= 255 } host)
        {
            request.Host = new HostString(host);
        }
    }

    private static string? Last(string header) =>
        header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()?.ToLowerInvariant();

    private static string StripPort(string hop) =>
        hop.StartsWith('[') && hop.IndexOf(']', StringComparison.Ordinal) is int end and > 0 ? hop[1..end]
        : hop.Count(c => c == ':') == 1 ? hop[..hop.IndexOf(':', StringComparison.Ordinal)] : hop;

    private static Task Refuse(HttpContext context, int status, string title)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { type = "about:blank", title, status }, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}
