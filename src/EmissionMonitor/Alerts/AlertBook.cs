namespace EmissionMonitor.Alerts;

/// <summary>
/// The open alerts and their transitions. Each method returns the alert whose state changed (to be
/// stored, published and logged), or null when nothing changed: raising an alert already open, or
/// clearing one that is not, is a no-op. Thread-safe.
///
/// Bounded at any rate of alerts: each outlet may raise <see cref="AlertOptions.MaxNewPerOutletPerHour"/>
/// alerts in a rolling hour; beyond it one <c>flood</c> alert (critical) stands for the rest, which
/// are counted, not raised, until the outlet's hour is within its budget again
/// (<see cref="EndFloods"/>). Memory holds the open alerts and the newest
/// <see cref="AlertOptions.RecentInMemory"/> cleared ones; older ones stay in the store only.
/// </summary>
public sealed partial class AlertBook(AlertOptions options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Kind, string Mn, string? Pollutant), Alert> _open = [];
    private readonly Dictionary<string, Alert> _byId = new(StringComparer.Ordinal);
    private readonly Queue<string> _cleared = new(); // ids in the order they were cleared (some may be gone or reopened: checked when trimmed)
    private readonly Dictionary<string, Queue<DateTimeOffset>> _raisedByOutlet = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _heldBack = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Kind, string Mn, string? Pollutant), string> _lastCleared = [];

    public AlertBook()
        : this(new AlertOptions())
    {
    }

    /// <summary>Alerts held in memory (tests, metrics).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byId.Count;
            }
        }
    }

    /// <summary>Loads alerts stored earlier (open ones become open again; of the cleared, the newest are kept in memory).</summary>
    public void Load(IEnumerable<Alert> alerts)
    {
        lock (_lock)
        {
            foreach (var a in alerts.OrderBy(a => a.ClearedAt ?? a.RaisedAt))
            {
                _byId[a.Id] = a;
                if (a.IsOpen)
                {
                    _open[(KeyOf(a.Kind, a.SubKind), a.Mn, a.Pollutant)] = a;
                }
                else
                {
                    _cleared.Enqueue(a.Id);
                }
            }

            Trim();
        }
    }

    /// <summary>
    /// The <c>flood</c> alerts whose outlet has been within its budget for the last hour, cleared now
    /// with the count of alerts they stood for (to be stored and published).
    /// </summary>
    public IReadOnlyList<Alert> EndFloods(DateTimeOffset now)
    {
        lock (_lock)
        {
            var ended = new List<Alert>();
            foreach (var flood in _open.Values.Where(a => a.Kind == AlertKinds.Flood).ToList())
            {
                if (Recent(flood.Mn, now).Count < options.MaxNewPerOutletPerHour)
                {
                    long held = _heldBack.GetValueOrDefault(flood.Mn);
                    _heldBack.Remove(flood.Mn);
                    ended.Add(Close(flood with { Value = held, Params = With(flood.Params, "held", held) }, now,
                        $"{flood.Message} — {held} alert(s) were held back; the outlet is within its budget again"));
                }
            }

            return ended;
        }
    }

    public IReadOnlyList<Alert> All(string? state = null)
    {
        lock (_lock)
        {
            return _byId.Values.Where(a => state is null || a.State == state).OrderByDescending(a => a.RaisedAt).ToList();
        }
    }

    /// <summary>The open alerts of a kind (a copy).</summary>
    public IReadOnlyList<Alert> Open(string kind)
    {
        lock (_lock)
        {
            return _open.Values.Where(a => a.Kind == kind).ToList();
        }
    }

    public Alert? Find(string id)
    {
        lock (_lock)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    /// <summary>
    /// Raises a draft's alert at <paramref name="now"/>, its data time from the draft: null when one
    /// of its kind, outlet and pollutant is open, or was raised and cleared from the same start; the
    /// outlet's <c>flood</c> alert in its place beyond the hourly budget; a recently cleared one
    /// reopened when the draft asks for it (<see cref="AlertDraft.ReopenWithin"/>).
    /// </summary>
    public Alert? Raise(AlertDraft d, DateTimeOffset now)
    {
        var key = (KeyOf(d.Kind, d.SubKind), d.Mn, d.Pollutant);
        lock (_lock)
        {
            if (_open.ContainsKey(key))
            {
                return null;
            }

            if (d.ReopenWithin is { } within && within > TimeSpan.Zero && Reopen(d, within, now) is { } reopened)
            {
                return reopened;
            }

            if (d.Kind != AlertKinds.Flood && options.MaxNewPerOutletPerHour > 0)
            {
                var recent = Recent(d.Mn, now);
                if (recent.Count >= options.MaxNewPerOutletPerHour)
                {
                    _heldBack[d.Mn] = _heldBack.GetValueOrDefault(d.Mn) + 1;
                    return _open.ContainsKey((AlertKinds.Flood, d.Mn, null)) ? null : OpenFlood(d.Mn, d.Enterprise, d.City, now, d.Params);
                }

                recent.Enqueue(now);
            }

            var alert = new Alert(Alert.MakeId(d.Kind, d.Mn, d.Pollutant, d.Start, d.SubKind), d.Kind, AlertKinds.SeverityOf(d.Kind), Alert.Active, d.Mn, d.Enterprise, d.City,
                d.Pollutant, d.Value, d.Limit, now, null, null, null, d.Message)
            {
                MessageKey = d.MessageKey ?? "alert." + (d.SubKind is null ? d.Kind : d.Kind + "." + d.SubKind), Params = d.Params, SubKind = d.SubKind,
                DataFrom = d.Start, DataTo = d.DataTo, History = [new AlertStep(AlertStep.Raise, AlertStep.System, now)],
            };
            if (_byId.ContainsKey(alert.Id))
            {
                return null; // raised and cleared before from the same start: not raised twice
            }

            _open[key] = alert;
            _byId[alert.Id] = alert;
            return alert;
        }
    }

    /// <summary>As <see cref="Raise(AlertDraft, DateTimeOffset)"/>, the draft given field by field.</summary>
    public Alert? Raise(string kind, string mn, string? enterprise, string? city, string? pollutant, double? value, double? limit, DateTimeOffset start, DateTimeOffset now, string message,
        string? messageKey = null, IReadOnlyDictionary<string, string?>? parameters = null, string? subKind = null) =>
        Raise(new AlertDraft(kind, mn, enterprise, city, pollutant, value, limit, start, message) { MessageKey = messageKey, Params = parameters, SubKind = subKind }, now);

    /// <summary>Changes the open alert of (kind, mn, pollutant) — not its id, state or times; null when none is open.</summary>
    public Alert? Update(string kind, string mn, string? pollutant, Func<Alert, Alert> change)
    {
        lock (_lock)
        {
            if (!_open.TryGetValue((KeyOf(kind, null), mn, pollutant), out var alert))
            {
                return null;
            }

            var changed = change(alert) with { Id = alert.Id, Kind = alert.Kind, State = alert.State, RaisedAt = alert.RaisedAt, AcknowledgedAt = alert.AcknowledgedAt, ClearedAt = alert.ClearedAt };
            _open[(KeyOf(kind, null), mn, pollutant)] = changed;
            _byId[changed.Id] = changed;
            return changed;
        }
    }

    /// <summary>Clears the open alert of (kind and sub-kind, mn, pollutant) because its condition ended.</summary>
    public Alert? Resolve(string kind, string mn, string? pollutant, DateTimeOffset now, string? subKind = null)
    {
        lock (_lock)
        {
            return _open.TryGetValue((KeyOf(kind, subKind), mn, pollutant), out var alert) ? Close(alert, now, alert.Message) : null;
        }
    }

    /// <summary>One open alert per kind and sub-kind (an anomaly's), outlet and pollutant.</summary>
    private static string KeyOf(string kind, string? subKind) => subKind is null ? kind : kind + "/" + subKind;

    private Alert Close(Alert alert, DateTimeOffset now, string message, string by = AlertStep.System, string? comment = null)
    {
        var cleared = (alert with { State = Alert.Cleared, ClearedAt = now, Message = message }).WithStep(new AlertStep(AlertStep.Clear, by, now, Blank(comment)));
        _byId[alert.Id] = cleared;
        _open.Remove((KeyOf(alert.Kind, alert.SubKind), alert.Mn, alert.Pollutant));
        _lastCleared[(KeyOf(alert.Kind, alert.SubKind), alert.Mn, alert.Pollutant)] = alert.Id;
        _cleared.Enqueue(alert.Id);
        Trim();
        return cleared;
    }

    /// <summary>
    /// The alert of (kind, mn, pollutant) cleared less than <paramref name="within"/> ago, open again
    /// with the draft's value and message (the same alert, not a new one: a flapping condition is one
    /// alert); null when there is none to reopen.
    /// </summary>
    private Alert? Reopen(AlertDraft d, TimeSpan within, DateTimeOffset now)
    {
        var key = (KeyOf(d.Kind, d.SubKind), d.Mn, d.Pollutant);
        if (!_lastCleared.TryGetValue(key, out var id) || !_byId.TryGetValue(id, out var last) || last.IsOpen || last.ClearedAt is not { } cleared || now - cleared >= within)
        {
            return null;
        }

        var reopened = last with
        {
            State = Alert.Active, ClearedAt = null, AcknowledgedAt = null, AcknowledgedBy = null, AcknowledgeComment = null,
            Value = d.Value, Limit = d.Limit, Message = d.Message, Params = d.Params ?? last.Params, DataTo = d.DataTo ?? d.Start,
            ClearedBy = null, ClearComment = null,
        };
        reopened = reopened.WithStep(new AlertStep(AlertStep.Reopen, AlertStep.System, now));
        _byId[id] = reopened;
        _open[key] = reopened;
        _lastCleared.Remove(key);
        return reopened;
    }

    /// <summary>The outlet's raises within the last hour (older ones dropped).</summary>
    private Queue<DateTimeOffset> Recent(string mn, DateTimeOffset now)
    {
        if (!_raisedByOutlet.TryGetValue(mn, out var recent))
        {
            _raisedByOutlet[mn] = recent = new Queue<DateTimeOffset>();
        }

        while (recent.Count > 0 && recent.Peek() <= now - TimeSpan.FromHours(1))
        {
            recent.Dequeue();
        }

        return recent;
    }

    private Alert OpenFlood(string mn, string? enterprise, string? city, DateTimeOffset now, IReadOnlyDictionary<string, string?>? parameters)
    {
        string? outlet = parameters?.GetValueOrDefault("outlet");
        var flood = new Alert(Alert.MakeId(AlertKinds.Flood, mn, null, now), AlertKinds.Flood, AlertKinds.SeverityOf(AlertKinds.Flood), Alert.Active, mn, enterprise, city, null,
            options.MaxNewPerOutletPerHour, options.MaxNewPerOutletPerHour, now, null, null, null,
            $"{outlet ?? mn}: more than {options.MaxNewPerOutletPerHour} new alerts within an hour (Alerts:MaxNewPerOutletPerHour); further alerts of this outlet are held back and counted")
        {
            History = [new AlertStep(AlertStep.Raise, AlertStep.System, now)],
            MessageKey = "alert." + AlertKinds.Flood,
            Params = new Dictionary<string, string?> { ["outlet"] = outlet ?? mn, ["limit"] = options.MaxNewPerOutletPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        _open[(AlertKinds.Flood, mn, null)] = flood;
        _byId[flood.Id] = flood;
        return flood;
    }

    private static Dictionary<string, string?> With(IReadOnlyDictionary<string, string?>? parameters, string key, long value) =>
        new(parameters ?? new Dictionary<string, string?>()) { [key] = value.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary>Forgets the oldest cleared alerts beyond what memory keeps (they stay in the store).</summary>
    private void Trim()
    {
        while (_byId.Count - _open.Count > options.RecentInMemory && _cleared.TryDequeue(out var id))
        {
            if (_byId.TryGetValue(id, out var a) && !a.IsOpen)
            {
                _byId.Remove(id);
            }
        }
    }
}
