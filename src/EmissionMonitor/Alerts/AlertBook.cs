namespace EmissionMonitor.Alerts;

/// <summary>
/// The open alerts and their transitions. Each method returns the alert whose state changed (to be
/// stored, published and logged), or null when nothing changed: raising an alert already open, or
/// clearing one that is not, is a no-op. Thread-safe.
/// </summary>
public sealed class AlertBook
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Kind, string Mn, string? Pollutant), Alert> _open = [];
    private readonly Dictionary<string, Alert> _byId = new(StringComparer.Ordinal);

    /// <summary>Loads alerts stored earlier (open ones become open again).</summary>
    public void Load(IEnumerable<Alert> alerts)
    {
        lock (_lock)
        {
            foreach (var a in alerts)
            {
                _byId[a.Id] = a;
                if (a.IsOpen)
                {
                    _open[(KeyOf(a.Kind, a.SubKind), a.Mn, a.Pollutant)] = a;
                }
            }
        }
    }

    public IReadOnlyList<Alert> All(string? state = null)
    {
        lock (_lock)
        {
            return _byId.Values.Where(a => state is null || a.State == state).OrderByDescending(a => a.RaisedAt).ToList();
        }
    }

    public Alert? Find(string id)
    {
        lock (_lock)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    public Alert? Raise(string kind, string mn, string? enterprise, string? city, string? pollutant, double? value, double? limit, DateTimeOffset start, DateTimeOffset now, string message,
        string? messageKey = null, IReadOnlyDictionary<string, string?>? parameters = null, string? subKind = null)
    {
        lock (_lock)
        {
            if (_open.ContainsKey((KeyOf(kind, subKind), mn, pollutant)))
            {
                return null;
            }

            var alert = new Alert(Alert.MakeId(kind, mn, pollutant, start, subKind), kind, AlertKinds.SeverityOf(kind), Alert.Active, mn, enterprise, city, pollutant,
                value, limit, now, null, null, null, message)
            {
                MessageKey = messageKey ?? "alert." + (subKind is null ? kind : kind + "." + subKind), Params = parameters, SubKind = subKind,
            };
            if (_byId.ContainsKey(alert.Id))
            {
                return null; // raised and cleared before from the same start: not raised twice
            }

            _open[(KeyOf(kind, subKind), mn, pollutant)] = alert;
            _byId[alert.Id] = alert;
            return alert;
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

    public Alert? Acknowledge(string id, string by, DateTimeOffset now, string? comment = null)
    {
        lock (_lock)
        {
            if (!_byId.TryGetValue(id, out var alert) || alert.State != Alert.Active)
            {
                return null;
            }

            var updated = alert with { State = Alert.Acknowledged, AcknowledgedAt = now, AcknowledgedBy = by, AcknowledgeComment = string.IsNullOrWhiteSpace(comment) ? null : comment };
            _byId[id] = updated;
            _open[(KeyOf(alert.Kind, alert.SubKind), alert.Mn, alert.Pollutant)] = updated;
            return updated;
        }
    }

    /// <summary>Clears an open alert by hand, with the operator's comment in its message.</summary>
    public Alert? Clear(string id, string by, string? comment, DateTimeOffset now)
    {
        lock (_lock)
        {
            return _byId.TryGetValue(id, out var alert) && alert.IsOpen
                ? Close(alert, now, $"{alert.Message} — cleared by {by}{(string.IsNullOrWhiteSpace(comment) ? string.Empty : ": " + comment)}")
                : null;
        }
    }

    private Alert Close(Alert alert, DateTimeOffset now, string message)
    {
        var cleared = alert with { State = Alert.Cleared, ClearedAt = now, Message = message };
        _byId[alert.Id] = cleared;
        _open.Remove((KeyOf(alert.Kind, alert.SubKind), alert.Mn, alert.Pollutant));
        return cleared;
    }
}
