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
        Str(w, "clearedBy", a.ClearedBy);
        Str(w, "clearComment", a.ClearComment);
        Str(w, "verdict", a.Verdict);
        Str(w, "assignee", a.Assignee);
        Time(w, "disposedAt", a.DisposedAt, zone);
        Str(w, "disposedBy", a.DisposedBy);
        Str(w, "disposeComment", a.DisposeComment);
        Str(w, "orderId", a.OrderId);
        w.WriteString("message", a.Message);
        Str(w, "messageKey", a.MessageKey);
        w.WriteStartObject("params");
        foreach (var (key, value) in a.Params ?? new Dictionary<string, string?>())
        {
            Str(w, key, value);
        }

        w.WriteEndObject();
        w.WriteStartArray("history");
        foreach (var step in a.History)
        {
            w.WriteStartObject();
            w.WriteString("action", step.Action);
            w.WriteString("by", step.By);
            Time(w, "at", step.At, zone);
            Str(w, "comment", step.Comment);
            Str(w, "verdict", step.Verdict);
            if (step.Assignee is not null)
            {
                w.WriteString("assignee", step.Assignee);
            }

            if (step.OrderId is not null)
            {
                w.WriteString("orderId", step.OrderId);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static string? Opt(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static DateTimeOffset? OptTime(JsonElement e, string name) => Opt(e, name) is { } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture) : null;

    private static AlertStep[] History(JsonElement e) =>
        e.TryGetProperty("history", out var h) && h.ValueKind == JsonValueKind.Array && h.GetArrayLength() > 0
            ? h.EnumerateArray().Select(s => new AlertStep(Opt(s, "action") ?? "?", Opt(s, "by") ?? AlertStep.System, OptTime(s, "at") ?? DateTimeOffset.MinValue, Opt(s, "comment"), Opt(s, "verdict"))
            {
                Assignee = Opt(s, "assignee"), OrderId = Opt(s, "orderId"),
            }).ToArray()
            : [];

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
            AcknowledgeComment = Opt(e, "acknowledgeComment"),
            ClearedBy = Opt(e, "clearedBy"), ClearComment = Opt(e, "clearComment"), Verdict = Opt(e, "verdict"), Assignee = Opt(e, "assignee"),
            DisposedAt = OptTime(e, "disposedAt"), DisposedBy = Opt(e, "disposedBy"), DisposeComment = Opt(e, "disposeComment"), OrderId = Opt(e, "orderId"),
            History = History(e),
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
