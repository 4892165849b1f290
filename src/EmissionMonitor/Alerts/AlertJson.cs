using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EmissionMonitor.Alerts;

/// <summary>The alert JSON of DESIGN.md (MQTT alert topic, HTTP API): camelCase, times in local offset.</summary>
public static class AlertJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Serialize(Alert a, TimeZoneInfo zone)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            Write(w, a, zone);
        }

        return buffer.ToArray();
    }

    public static void Write(Utf8JsonWriter w, Alert a, TimeZoneInfo zone)
    {
        w.WriteStartObject();
        w.WriteString("id", a.Id);
        w.WriteString("kind", a.Kind);
        Str(w, "subKind", a.SubKind);
        w.WriteString("severity", a.Severity);
        w.WriteString("state", a.State);
        w.WriteString("mn", a.Mn);
        Str(w, "enterprise", a.Enterprise);
        Str(w, "city", a.City);
        Str(w, "pollutant", a.Pollutant);
        Num(w, "value", a.Value);
        Num(w, "limit", a.Limit);
        Time(w, "dataFrom", a.DataFrom, zone);
        Time(w, "dataTo", a.DataTo, zone);
        Time(w, "raisedAt", a.RaisedAt, zone);
        Time(w, "acknowledgedAt", a.AcknowledgedAt, zone);
        Str(w, "acknowledgedBy", a.AcknowledgedBy);
        Str(w, "acknowledgeComment", a.AcknowledgeComment);
        Time(w, "clearedAt", a.ClearedAt, zone);
        w.WriteString("message", a.Message);
        Str(w, "messageKey", a.MessageKey);
        w.WriteStartObject("params");
        foreach (var (key, value) in a.Params ?? new Dictionary<string, string?>())
        {
            Str(w, key, value);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static Alert Deserialize(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var e = doc.RootElement;
        static string? S(JsonElement e, string n) => e.GetProperty(n).ValueKind == JsonValueKind.Null ? null : e.GetProperty(n).GetString();
        static double? D(JsonElement e, string n) => e.GetProperty(n).ValueKind == JsonValueKind.Null ? null : e.GetProperty(n).GetDouble();
        static DateTimeOffset? T(JsonElement e, string n) => S(e, n) is { } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture) : null;
        return new Alert(S(e, "id")!, S(e, "kind")!, S(e, "severity")!, S(e, "state")!, S(e, "mn")!, S(e, "enterprise"), S(e, "city"), S(e, "pollutant"),
            D(e, "value"), D(e, "limit"), T(e, "raisedAt")!.Value, T(e, "acknowledgedAt"), S(e, "acknowledgedBy"), T(e, "clearedAt"), S(e, "message")!)
        {
            SubKind = e.TryGetProperty("subKind", out var sk) && sk.ValueKind == JsonValueKind.String ? sk.GetString() : null,
            DataFrom = e.TryGetProperty("dataFrom", out _) ? T(e, "dataFrom") : null, // alerts stored before data times were kept have none
            DataTo = e.TryGetProperty("dataTo", out _) ? T(e, "dataTo") : null,
            AcknowledgeComment = e.TryGetProperty("acknowledgeComment", out var ac) && ac.ValueKind == JsonValueKind.String ? ac.GetString() : null,
            // Alerts stored before messages were data have neither.
            MessageKey = e.TryGetProperty("messageKey", out var key) && key.ValueKind == JsonValueKind.String ? key.GetString() : null,
            Params = e.TryGetProperty("params", out var ps) && ps.ValueKind == JsonValueKind.Object && ps.EnumerateObject().Any()
                ? ps.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.ToString(), StringComparer.Ordinal)
                : null,
        };
    }

    private static void Str(Utf8JsonWriter w, string name, string? v)
    {
        if (v is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, v);
        }
    }

    private static void Num(Utf8JsonWriter w, string name, double? v)
    {
        if (v is { } d)
        {
            w.WriteNumber(name, d);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Time(Utf8JsonWriter w, string name, DateTimeOffset? t, TimeZoneInfo zone)
    {
        if (t is { } v)
        {
            w.WriteString(name, TimeZoneInfo.ConvertTime(v, zone).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
