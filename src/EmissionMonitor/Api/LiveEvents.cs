using System.Text;
using System.Threading.Channels;
using EmissionMonitor.Alerts;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Journaling;

namespace EmissionMonitor.Api;

/// <summary>
/// The live event stream behind <c>GET /api/alerts/stream</c>: <c>alert</c> events (every alert state
/// change), <c>reading</c> events (a summary of each committed frame with readings) and
/// <c>command</c> events (every state change of a command to a terminal), numbered so a client can
/// resume with Last-Event-ID from the recent history kept here.
/// </summary>
public sealed class LiveEvents
{
    private const int History = 2000;
    private readonly Lock _lock = new();
    private readonly LinkedList<LiveEvent> _recent = new();
    private readonly List<Channel<LiveEvent>> _subscribers = [];
    private long _next;

    public LiveEvents(AlertService alerts, Journal journal, TimeZoneInfo zone, Commands.CommandService? commands = null, Func<Registry.StationRegistry>? registry = null)
    {
        alerts.Changed += a => Publish("alert", Encoding.UTF8.GetString(AlertJson.Serialize(a, zone)), a.Enterprise);
        if (commands is not null)
        {
            commands.Changed += (mn, json) => Publish("command", json, registry?.Invoke().FindOutlet(mn)?.EnterpriseId);
        }

        journal.Committed += (items, outcomes) =>
        {
            for (int i = 0; i < items.Count; i++)
            {
                var item = items[i];
                if (item.IsAccepted && item.Readings.Count > 0 && outcomes[i].Status == StoredOutcome.Accepted && item.Frame.IsLive)
                {
                    Publish("reading", ReadingJson(item), item.Outlet!.EnterpriseId);
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

    /// <summary>
    /// A committed frame's summary as JSON written by a JSON writer: codes and texts from a terminal
    /// are escaped, never spliced into the event (an SSE data line holds one JSON object and no line end).
    /// </summary>
    private static string ReadingJson(Intake.IntakeResult item)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("mn", item.Outlet!.Mn);
            w.WriteString("cn", item.Packet!.Cn);
            w.WriteString("dataTime", item.Readings[0].Period.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteStartObject("values");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var r in item.Readings)
            {
                if (!seen.Add(r.Pollutant))
                {
                    continue;
                }

                w.WritePropertyName(r.Pollutant);
                if ((r.ZsAvg ?? r.Avg ?? r.ZsRtd ?? r.Rtd) is { } v && double.IsFinite(v))
                {
                    w.WriteNumberValue(v);
                }
                else
                {
                    w.WriteNullValue();
                }
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

/// <summary>One server-sent event.</summary>
public sealed record LiveEvent(long Id, string Type, string Data, string? Enterprise);
