using System.Text.Json;
using EmissionMonitor.Alerts;

namespace EmissionMonitor.Api;

/// <summary>Alerts: list by state, acknowledge, clear with a comment (operators), and the live SSE stream.</summary>
public static class AlertsApi
{
    private static readonly string[] States = [Alert.Active, Alert.Acknowledged, Alert.Cleared];

    public static void Map(IEndpointRouteBuilder app, ApiAuth auth)
    {
        var readers = new RoleFilter(auth, ApiUser.Operator, ApiUser.Inspector, ApiUser.EnterpriseRole);
        var operators = new RoleFilter(auth, ApiUser.Operator);
        app.MapGet("/api/alerts", (HttpContext http, AlertService alerts, ApiOptions options, TimeZoneInfo zone, string? state) =>
        {
            if (QueryRules.First(QueryRules.Choice(http, "state", States), QueryRules.Choice(http, "format", ReportsApi.ExportFormats),
                QueryRules.Page(http, options, out int limit, out int offset)) is { } bad)
            {
                return bad;
            }

            var user = RoleFilter.User(http);
            var list = alerts.List(state).Where(a => user.Role != ApiUser.EnterpriseRole || a.Enterprise == user.Enterprise).ToList();
            if (ReportsApi.WantsFile(http))
            {
                string[] columns = ["id", "kind", "severity", "state", "mn", "enterprise", "city", "pollutant", "value", "limit", "raisedAt", "acknowledgedAt", "acknowledgedBy", "clearedAt", "message"];
                DateTimeOffset? Local(DateTimeOffset? t) => t is { } v ? TimeZoneInfo.ConvertTime(v, zone) : null;
                return ReportsApi.Export(http, new Reports.ReportTable(columns, list.Select(a => new object?[]
                {
                    a.Id, a.Kind, a.Severity, a.State, a.Mn, a.Enterprise, a.City, a.Pollutant, a.Value, a.Limit,
                    Local(a.RaisedAt), Local(a.AcknowledgedAt), a.AcknowledgedBy, Local(a.ClearedAt), a.Message,
                }).ToList()), "alerts");
            }

            http.Response.Headers["X-Total-Count"] = list.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Bytes(Serialize(list.Skip(offset).Take(limit), zone), "application/json; charset=utf-8");
        }).AddEndpointFilter(readers);
        app.MapPost("/api/alerts/{id}/acknowledge", async (HttpContext http, string id, AlertService alerts, TimeZoneInfo zone, CancellationToken ct) =>
        {
            var changed = await alerts.AcknowledgeAsync(id, RoleFilter.User(http).DisplayName, ct);
            return Changed(alerts, id, changed, zone, "only an active alert can be acknowledged");
        }).AddEndpointFilter(operators);
        app.MapPost("/api/alerts/{id}/clear", async (HttpContext http, string id, CommentBody? body, AlertService alerts, ApiOptions options, TimeZoneInfo zone, CancellationToken ct) =>
        {
            if (QueryRules.Comment(body?.Comment, options) is { } bad)
            {
                return bad;
            }

            var changed = await alerts.ClearAsync(id, RoleFilter.User(http).DisplayName, body?.Comment, ct);
            return Changed(alerts, id, changed, zone, "the alert is already cleared");
        }).AddEndpointFilter(operators);
        app.MapGet("/api/alerts/stream", StreamAsync).AddEndpointFilter(readers);
    }

    private static IResult Changed(AlertService alerts, string id, Alert? changed, TimeZoneInfo zone, string conflict)
    {
        if (changed is not null)
        {
            return Results.Bytes(AlertJson.Serialize(changed, zone), "application/json; charset=utf-8");
        }

        return alerts.List(null).Any(a => a.Id == id)
            ? Results.Problem(statusCode: 409, title: conflict)
            : Results.Problem(statusCode: 404, title: $"no alert {id}");
    }

    private static async Task StreamAsync(HttpContext http, LiveEvents events, CancellationToken ct)
    {
        var user = RoleFilter.User(http);
        long? last = long.TryParse(http.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? http.Request.Query["lastEventId"].FirstOrDefault(), out long id) ? id : null;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var (channel, replay) = events.Subscribe(last);
        try
        {
            await http.Response.WriteAsync(": connected\n\n", ct);
            await http.Response.Body.FlushAsync(ct);
            foreach (var e in replay)
            {
                await WriteAsync(http, user, e, ct);
            }

            using var keepAlive = new PeriodicTimer(TimeSpan.FromSeconds(15));
            var tick = keepAlive.WaitForNextTickAsync(ct).AsTask();
            var read = channel.Reader.ReadAsync(ct).AsTask();
            while (!ct.IsCancellationRequested)
            {
                if (await Task.WhenAny(read, tick) == read)
                {
                    await WriteAsync(http, user, await read, ct);
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
        finally
        {
            events.Unsubscribe(channel);
        }
    }

    private static async Task WriteAsync(HttpContext http, ApiUser user, LiveEvent e, CancellationToken ct)
    {
        if (user.Role == ApiUser.EnterpriseRole && e.Enterprise != user.Enterprise)
        {
            return;
        }

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
