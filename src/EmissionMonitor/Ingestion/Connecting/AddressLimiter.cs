using System.Net;

namespace EmissionMonitor.Ingestion.Connecting;

/// <summary>
/// One listener's admission of connections: at most <c>perAddress</c> from one remote address (no
/// exemption for loopback; only addresses <c>exempt</c> names, the trusted reverse proxies of HTTP), at most <c>total</c> on the listener (<c>totalKey</c> names its setting),
/// and a slot of the process-wide <see cref="ConnectionBudget"/>. A refused connection is closed by
/// the listener; the reason says which limit it met.
/// </summary>
public sealed class AddressLimiter(string listener, int perAddress, ConnectionBudget budget, int total = int.MaxValue, string? totalKey = null,
    Func<IPAddress, bool>? exempt = null)
{
    private readonly KeyedCounts<IPAddress> _byAddress = new();
    private long _refused;
    private int _open;
    private long _lastLogged = -1_000_000; // long ago, without overflowing the subtraction below

    /// <summary>The listener's name in refusals and metrics (mqtt, gateway, http).</summary>
    public string Listener { get; } = listener;

    /// <summary>Connections refused so far.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Connections admitted and not yet closed.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Admits a connection from <paramref name="remote"/>; null with the reason when a limit is met.</summary>
    public Lease? TryAdmit(EndPoint? remote, out string? refusal)
    {
        var address = remote is IPEndPoint ip ? ClientAddresses.Normalise(ip.Address) : IPAddress.None;
        int count = _byAddress.Enter(address);
        if (count > perAddress && exempt?.Invoke(address) != true)
        {
            Leave(address);
            Interlocked.Increment(ref _refused);
            refusal = $"{perAddress} connections from {address} are open";
            return null;
        }

        if (Interlocked.Increment(ref _open) > total)
        {
            Interlocked.Decrement(ref _open);
            Leave(address);
            Interlocked.Increment(ref _refused);
            refusal = $"{total} connections are open ({totalKey ?? "the listener's limit"})";
            return null;
        }

        if (!budget.TryAcquire())
        {
            Interlocked.Decrement(ref _open);
            Leave(address);
            Interlocked.Increment(ref _refused);
            refusal = $"the process holds its limit of {budget.Total} connections";
            return null;
        }

        refusal = null;
        return new Lease(this, address);
    }

    /// <summary>True at most once a second: refusals are logged with their count, not one line each.</summary>
    public bool ShouldLog()
    {
        long now = Environment.TickCount64, last = Interlocked.Read(ref _lastLogged);
        return now - last >= 1000 && Interlocked.CompareExchange(ref _lastLogged, now, last) == last;
    }

    private void Release(IPAddress address)
    {
        Interlocked.Decrement(ref _open);
        Leave(address);
        budget.Release();
    }

    private void Leave(IPAddress address) => _byAddress.Leave(address);

    /// <summary>An admitted connection; disposing it gives its slots back (once).</summary>
    public sealed class Lease(AddressLimiter owner, IPAddress address) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(address);
            }
        }
    }
}
