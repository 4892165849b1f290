using System.Net;
using System.Net.NetworkInformation;

namespace EmissionMonitor.Api.Http;

/// <summary>
/// How the HTTP side is reached (configuration section <c>Http</c>): the addresses it binds
/// (<c>Http:Urls</c>), the reverse proxies whose forwarded headers are believed
/// (<c>Http:TrustedProxies</c>) and the host names requests may name (<c>Http:AllowedHosts</c>).
/// </summary>
public sealed class HttpOptions
{
    public const string Section = "Http";

    /// <summary>The addresses bound, separated by <c>;</c>. Default <c>http://127.0.0.1:5080</c>.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>
    /// Addresses or networks (<c>10.0.0.5</c>, <c>10.0.0.0/24</c>, <c>::1</c>) of the reverse proxies
    /// in front of the service. Only a request from one of them has its <c>X-Forwarded-For</c>,
    /// <c>X-Forwarded-Proto</c> and <c>X-Forwarded-Host</c> read; every other request's headers of
    /// that name are ignored. Default none.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>
    /// Host names a request may name in its Host header (or, through a trusted proxy,
    /// X-Forwarded-Host); any other is refused with 400, so a page whose name rebinds to this
    /// machine cannot reach the API. <c>*</c> allows any. Default: the loopback names, the bound
    /// host names and, when bound to every interface, the machine's own addresses.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>The networks of <see cref="TrustedProxies"/>; a bad entry stops start-up naming it.</summary>
    public IReadOnlyList<System.Net.IPNetwork> ProxyNetworks()
    {
        var networks = new List<System.Net.IPNetwork>();
        for (int i = 0; i < TrustedProxies.Count; i++)
        {
            string entry = TrustedProxies[i].Trim();
            if (System.Net.IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new ConfigurationException($"Http:TrustedProxies:{i} must be an IP address or a network such as 10.0.0.0/24, not '{entry}'");
            }
        }

        return networks;
    }

    /// <summary>The host names allowed: those configured, or the defaults from the bound addresses.</summary>
    public IReadOnlySet<string> HostNames(IEnumerable<string> bound)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (AllowedHosts.Count > 0)
        {
            foreach (var h in AllowedHosts)
            {
                names.Add(Bare(h.Trim()));
            }

            return names;
        }

        names.UnionWith(["localhost", "127.0.0.1", "::1"]);
        foreach (var url in bound)
        {
            string host = url.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(host, UriKind.Absolute, out var uri))
            {
                continue;
            }

            if (uri.Host is "0.0.0.0" or "[::]" or "::")
            {
                names.UnionWith(MachineAddresses());
                names.Add(Dns.GetHostName());
            }
            else
            {
                names.Add(Bare(uri.Host));
            }
        }

        return names;
    }

    /// <summary>A host without its port and IPv6 brackets: <c>[::1]:5080</c> → <c>::1</c>.</summary>
    public static string Bare(string host)
    {
        if (host.StartsWith('['))
        {
            int end = host.IndexOf(']', StringComparison.Ordinal);
            return end > 0 ? host[1..end] : host;
        }

        int colon = host.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && host.IndexOf(':', colon + 1) < 0 ? host[..colon] : host;
    }

    private static IEnumerable<string> MachineAddresses()
    {
        NetworkInterface[] interfaces;
        try
        {
            interfaces = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException)
        {
            yield break;
        }

        foreach (var nic in interfaces)
        {
            foreach (var a in nic.GetIPProperties().UnicastAddresses)
            {
                yield return a.Address.ToString();
            }
        }
    }
}
