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
/// resume with Last-Event-ID from the recent history kept here. Bounded per reader: an enterprise
/// user's stream queues only its own enterprise's events; each stream queues at most
/// <c>Api:StreamQueue</c> events, and a reader that falls further behind is disconnected (it
/// resumes with Last-Event-ID); one user holds at most <c>Api:MaxStreamsPerUser</c> streams — a
/// new one closes that user's oldest.
/// </summary>
public sealed class LiveEvents
{
    private const int History = 2000;
    private readonly Lock _lock = new();
    private readonly LinkedList<LiveEvent> _recent = new();
    private readonly List<Subscription> _subscribers = [];
    private readonly ApiOptions _options;
    private long _next;

    public LiveEvents(AlertService alerts, Journal journal, TimeZoneInfo zone, ApiOptions options, Commands.CommandService? commands = null, Func<Registry.StationRegistry>? registry = null)
    {
        _options = options;
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

    /// <summary>One reader's stream: its queue, whose it is, and which enterprise it may see (null: all).</summary>
    public sealed class Subscription(string user, string? enterprise, int capacity)
    {
        public Channel<LiveEvent> Channel { get; } = System.Threading.Channels.Channel.CreateBounded<LiveEvent>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

        public string User => user;

        /// <summary>Why the service closed this stream, or null while it is open.</summary>
        public string? ClosedBecause { get; private set; }

        public void Close(string why)
        {
            ClosedBecause = why;
            Channel.Writer.TryComplete(new StreamClosedException(why));
        }

        public bool Sees(LiveEvent e) => enterprise is null || e.Enterprise == enterprise;
    }

    /// <summary>Streams open now (tests, metrics).</summary>
    public int Open
    {
        get
        {
            lock (_lock)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>
    /// Subscribes <paramref name="user"/> (seeing only <paramref name="enterprise"/>'s events when not
    /// null); events after <paramref name="lastEventId"/> still held are replayed first. The user's
    /// oldest stream is closed when this one would exceed <c>Api:MaxStreamsPerUser</c>.
    /// </summary>
    public (Subscription Subscription, IReadOnlyList<LiveEvent> Replay) Subscribe(string user, string? enterprise, long? lastEventId)
    {
        var subscription = new Subscription(user, enterprise, _options.StreamQueue);
        lock (_lock)
        {
            var mine = _subscribers.Where(s => s.User == user).ToList();
            foreach (var old in mine.Take(Math.Max(0, mine.Count - _options.MaxStreamsPerUser + 1)))
            {
                old.Close($"more than {_options.MaxStreamsPerUser} streams of one user (Api:MaxStreamsPerUser)");
                _subscribers.Remove(old);
            }

            _subscribers.Add(subscription);
            var replay = lastEventId is { } id ? _recent.Where(e => e.Id > id && subscription.Sees(e)).ToList() : [];
            return (subscription, replay);
        }
    }

    public void Unsubscribe(Subscription subscription)
    {
        lock (_lock)
        {
            _subscribers.Remove(subscription);
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

            for (int i = _subscribers.Count - 1; i >= 0; i--)
            {
                var s = _subscribers[i];
                if (s.Sees(e) && !s.Channel.Writer.TryWrite(e))
                {
                    // A reader this far behind is let go (it resumes with Last-Event-ID): never an unbounded queue.
                    s.Close($"the reader fell {_options.StreamQueue} events behind (Api:StreamQueue)");
                    _subscribers.RemoveAt(i);
                }
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

/// <summary>Why a live stream was closed by the service (a slow reader, too many streams of one user).</summary>
public sealed class StreamClosedException(string message) : Exception(message);

/// <summary>One server-sent event.</summary>
public sealed record LiveEvent(long Id, string Type, string Data, string? Enterprise);
