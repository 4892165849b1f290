using System.Text;
using System.Threading.Channels;
using EmissionMonitor.Alerts;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Api;

/// <summary>
/// The live event stream behind <c>GET /api/alerts/stream</c>: <c>alert</c> events (every alert state
/// change) and <c>reading</c> events (a summary of each committed frame with readings), numbered so a
/// client can resume with Last-Event-ID from the recent history kept here.
/// </summary>
public sealed class LiveEvents
{
    private const int History = 2000;
    private readonly Lock _lock = new();
    private readonly LinkedList<LiveEvent> _recent = new();
    private readonly List<Channel<LiveEvent>> _subscribers = [];
    private long _next;

    public LiveEvents(AlertService alerts, Journal journal, TimeZoneInfo zone)
    {
        alerts.Changed += a => Publish("alert", Encoding.UTF8.GetString(AlertJson.Serialize(a, zone)), a.Enterprise);
        journal.Committed += (items, outcomes) =>
        {
            for (int i = 0; i < items.Count; i++)
            {
                var item = items[i];
                if (item.IsAccepted && item.Readings.Count > 0 && outcomes[i].Status == StoredOutcome.Accepted && item.Frame.IsLive)
                {
                    var values = string.Join(",", item.Readings.Select(r => $"\"{r.Pollutant}\":{Json(r.ZsAvg ?? r.Avg ?? r.ZsRtd ?? r.Rtd)}"));
                    Publish("reading", $"{{\"mn\":\"{item.Outlet!.Mn}\",\"cn\":\"{item.Packet!.Cn}\",\"dataTime\":\"{item.Readings[0].Period:yyyy-MM-ddTHH:mm:ss}\",\"values\":{{{values}}}}}", item.Outlet.EnterpriseId);
                }
            }
        };
    }

    /// <summary>Subscribes; events after <paramref name="lastEventId"/> still held are replayed first.</summary>
    public (Channel<LiveEvent> Channel, IReadOnlyList<LiveEvent> Replay) Subscribe(long? lastEventId)
    {
        var channel = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_lock)
        {
            _subscribers.Add(channel);
            var replay = lastEventId is { } id ? _recent.Where(e => e.Id > id).ToList() : [];
            return (channel, replay);
        }
    }

    public void Unsubscribe(Channel<LiveEvent> channel)
    {
        lock (_lock)
        {
            _subscribers.Remove(channel);
        }
    }

    private void Publish(string type, string data, string? enterprise)
    {
        lock (_lock)
        {
            var e = new LiveEvent(++_next, type, data, enterprise);
            _recent.AddLast(e);
            if (_recent.Count > History)
            {
                _recent.RemoveFirst();
            }

            foreach (var s in _subscribers)
            {
                s.Writer.TryWrite(e);
            }
        }
    }

    private static string Json(double? v) => v is { } d && double.IsFinite(d) ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "null";
}

/// <summary>One server-sent event.</summary>
public sealed record LiveEvent(long Id, string Type, string Data, string? Enterprise);
