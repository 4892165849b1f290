using Microsoft.AspNetCore.Http.HttpResults;
using System.Text.Json;
using System.Threading.Channels;
using EmissionMonitor.Alerts;
using EmissionMonitor.Users;

namespace EmissionMonitor.Api;

/// <summary>
/// Alerts: the board (<c>GET /api/alerts</c>, filters <c>state</c>, <c>kind</c>, <c>subKind</c>,
/// <c>severity</c>, <c>city</c>, <c>enterprise</c>, <c>mn</c>, <c>pollutant</c>; paged; CSV/XLSX),
/// their counts (<c>GET /api/alerts/counts</c>) and the live SSE stream; handling is
/// <see cref="AlertHandlingApi"/>.
/// </summary>
public static class AlertsApi
{
    private static readonly string[] States = [Alert.Active, Alert.Acknowledged, Alert.Cleared];

    private static readonly string[] Severities = ["critical", "warning", "info"];

    /// <summary>The alerts the caller may see that pass the query's filters (an enterprise sees only its own).</summary>
    private static ProblemHttpResult? Filtered(HttpContext http, AlertService alerts, out List<Alert> list)
    {
        list = [];
        if (QueryRules.First(QueryRules.Choice(http, "state", [.. States, "open"]), QueryRules.Choice(http, "severity", Severities)) is { } bad)
        {
            return bad;
        }

        var user = RoleFilter.User(http);
        var q = http.Request.Query;
        string? F(string name) => q[name].FirstOrDefault() is { Length: > 0 } v ? v : null;
        string? assignee = F("assignee");
        string? kind = F("kind"), subKind = F("subKind"), severity = F("severity"), city = F("city"), enterprise = F("enterprise"), mn = F("mn"), pollutant = F("pollutant");
        string? state = F("state");
        list = alerts.List(state == "open" ? null : state)
            .Where(a => state != "open" || a.IsOpen)
            .Where(a => user.Role != ApiUser.EnterpriseRole || a.Enterprise == user.Enterprise)
            .Where(a => (kind is null || a.Kind == kind) && (subKind is null || a.SubKind == subKind) && (severity is null || a.Severity == severity)
                && (city is null || a.City == city) && (enterprise is null || a.Enterprise == enterprise) && (mn is null || a.Mn == mn) && (pollutant is null || a.Pollutant == pollutant) && (assignee is null || a.Assignee == assignee))
            .ToList();
        return null;
    }

    public static void Map(IEndpointRouteBuilder app, ApiAuth auth)
    {
        var area = new ApiArea(app, auth, "/api/alerts", "alerts");
        var readers = area.For(ApiArea.Everyone);
        readers.MapGet("", List);
        readers.MapGet("/counts", Counts);
        readers.MapGet("/stream", StreamAsync);
        readers.MapGet("/{id}", Get);
    }

    private static TableAnswer List(HttpContext http, AlertService alerts, ApiOptions options, TimeZoneInfo zone, string? state)
    {
        if (QueryRules.First(QueryRules.Choice(http, "format", ReportsApi.ExportFormats), QueryRules.Page(http, options, out int limit, out int offset),
            Filtered(http, alerts, out var list)) is { } bad)
        {
            return bad;
        }

        if (ReportsApi.WantsFile(http))
        {
            string[] columns = ["id", "kind", "severity", "state", "mn", "enterprise", "city", "pollutant", "value", "limit", "raisedAt", "acknowledgedAt", "acknowledgedBy", "clearedAt", "message",
                    "subKind", "acknowledgeComment", "dataFrom", "dataTo", "verdict", "assignee", "disposedAt", "disposedBy", "disposeComment", "clearedBy", "clearComment", "orderId"];
            DateTimeOffset? Local(DateTimeOffset? t) => t is { } v ? TimeZoneInfo.ConvertTime(v, zone) : null;
            return ReportsApi.Export(new Reports.ReportTable(columns, list.Select(a => new object?[]
            {
                    a.Id, a.Kind, a.Severity, a.State, a.Mn, a.Enterprise, a.City, a.Pollutant, a.Value, a.Limit,
                    Local(a.RaisedAt), Local(a.AcknowledgedAt), a.AcknowledgedBy, Local(a.ClearedAt), a.Message,
                    a.SubKind, a.AcknowledgeComment, Local(a.DataFrom), Local(a.DataTo), a.Verdict, a.Assignee, Local(a.DisposedAt), a.DisposedBy, a.DisposeComment,
                    a.ClearedBy, a.ClearComment, a.OrderId,
            }).ToList()), "alerts");
        }

        http.Response.Headers["X-Total-Count"] = list.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Bytes(Serialize(list.Skip(offset).Take(limit), zone), "application/json; charset=utf-8");
    }

    private static ObjectAnswer Counts(HttpContext http, AlertService alerts)
    {
        if (Filtered(http, alerts, out var list) is { } bad)
        {
            return bad;
        }

        static Dictionary<string, int> By(IEnumerable<string> keys) => keys.GroupBy(k => k, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return TypedResults.Ok<object>(new
        {
            total = list.Count,
            byState = By(list.Select(a => a.State)),
            bySeverity = By(list.Select(a => a.Severity)),
            byKind = By(list.Select(a => a.Kind)),
            byCity = By(list.Select(a => a.City ?? string.Empty)),
        });
    }

    private static BytesAnswer Get(HttpContext http, string id, AlertService alerts, TimeZoneInfo zone)
    {
        var user = RoleFilter.User(http);
        return alerts.Find(id) is { } a && (user.Role != ApiUser.EnterpriseRole || a.Enterprise == user.Enterprise)
            ? TypedResults.Bytes(AlertJson.Serialize(a, zone), "application/json; charset=utf-8")
            : Refusals.Problem(404, $"no alert {QueryRules.Shown(id)}");
    }

    private static async Task StreamAsync(HttpContext http, LiveEvents events, CancellationToken ct)
    {
        var user = RoleFilter.User(http);
        long? last = long.TryParse(http.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? http.Request.Query["lastEventId"].FirstOrDefault(), out long id) ? id : null;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        var (subscription, replay) = events.Subscribe(RoleFilter.ShareKey(http), user.Role == ApiUser.EnterpriseRole ? user.Enterprise ?? string.Empty : null, last);
        var channel = subscription.Channel;
        try
        {
            await http.Response.WriteAsync(": connected\n\n", ct);
            await http.Response.Body.FlushAsync(ct);
            foreach (var e in replay)
            {
                await WriteAsync(http, e, ct);
            }

            using var keepAlive = new PeriodicTimer(TimeSpan.FromSeconds(15));
            var tick = keepAlive.WaitForNextTickAsync(ct).AsTask();
            var read = channel.Reader.ReadAsync(ct).AsTask();
            while (!ct.IsCancellationRequested)
            {
                if (await Task.WhenAny(read, tick) == read)
                {
                    await WriteAsync(http, await read, ct);
                    read = channel.Reader.ReadAsync(ct).AsTask();
                }
                else
                {
                    await tick;
                    await http.Response.WriteAsync(": keep-alive\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                    tick = keepAlive.WaitForNextTickAsync(ct).AsTask();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the client went away
        }
        catch (ChannelClosedException)
        {
            // closed by the service: a reader too slow, or a newer stream of the same user; the client resumes with Last-Event-ID
        }
        finally
        {
            events.Unsubscribe(subscription);
        }
    }

    private static async Task WriteAsync(HttpContext http, LiveEvent e, CancellationToken ct)
    {
        // The data is one JSON object (line ends inside strings are escaped); any raw line end still
        // starts a new data line, so nothing in it can start another event.
        string data = e.Data.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Replace("\n", "\ndata: ", StringComparison.Ordinal);
        await http.Response.WriteAsync($"id: {e.Id}\nevent: {e.Type}\ndata: {data}\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
    }

    private static byte[] Serialize(IEnumerable<Alert> alerts, TimeZoneInfo zone)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartArray();
            foreach (var a in alerts)
            {
                AlertJson.Write(w, a, zone);
            }

            w.WriteEndArray();
        }

        return buffer.ToArray();
    }
}
