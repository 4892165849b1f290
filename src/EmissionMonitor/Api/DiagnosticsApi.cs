using Microsoft.AspNetCore.Http.HttpResults;
using System.Globalization;
using System.Text;
using EmissionMonitor.Alerts;
using EmissionMonitor.Diagnostics;
using EmissionMonitor.Ingestion;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Api;

/// <summary><c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c> (Prometheus text) and <c>/openapi.json</c> (from the route table).</summary>
public static class DiagnosticsApi
{
    public static void Map(WebApplication app)
    {
        var diagnostics = app.MapGroup(string.Empty).WithTags("diagnostics");
        diagnostics.MapGet("/healthz", () => TypedResults.Text("ok"));
        diagnostics.MapGet("/readyz", ReadyAsync);
        diagnostics.MapGet("/metrics", MetricsAsync);
        diagnostics.MapGet("/openapi.json", (EndpointDataSource endpoints) => TypedResults.Json(OpenApi(endpoints)));
    }

    /// <summary><c>GET /readyz</c>: the store answers (a read of a kind of document no one writes, by its index) and the external broker is connected; 503 otherwise.</summary>
    private static async Task<JsonHttpResult<object>> ReadyAsync(IReadingStore store, IRecordStore records, IngestMetrics metrics, IServiceProvider services, TimeProvider clock,
        CancellationToken ct)
    {
        bool storeOk;
        try
        {
            await records.QueryDocumentsAsync(new DocumentQuery("readiness-probe") { Limit = 1 }, ct);
            storeOk = true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            storeOk = false;
        }

        bool brokerOk = services.GetService(typeof(ExternalMqttIngress)) is not ExternalMqttIngress external || external.IsConnected;
        object buffer = "none (sqlite)";
        if (store is Storage.Influx.InfluxStore influx)
        {
            var (depth, oldest) = await influx.BufferStateAsync(ct);
            buffer = new { depth, oldestSeconds = oldest is { } o ? (clock.GetUtcNow() - o).TotalSeconds : 0 };
        }

        var body = new { store = storeOk ? "ok" : "unavailable", broker = brokerOk ? "ok" : "disconnected", buffer, commitFailures = metrics.CommitFailures };
        return TypedResults.Json<object>(body, statusCode: storeOk && brokerOk ? 200 : 503);
    }

    /// <summary><c>GET /metrics</c>: the Prometheus text of the ingest, alert, journal, broker and buffer figures.</summary>
    private static async Task<ContentHttpResult> MetricsAsync(IngestMetrics metrics, AlertService alerts, IReadingStore store, Storage.Journaling.Journal journal,
        IServiceProvider services, TimeProvider clock, CancellationToken ct)
    {
        string text = Prometheus(metrics, alerts)
            + "# HELP em_journal_queued Frames waiting for their group commit.\n# TYPE em_journal_queued gauge\n"
            + string.Create(CultureInfo.InvariantCulture, $"em_journal_queued {journal.Queued}\n");
        if (services.GetService<Ingestion.ExternalMqttIngress>() is { } ingress)
        {
            text += "# HELP em_mqtt_unacknowledged Messages from the external broker not yet acknowledged.\n# TYPE em_mqtt_unacknowledged gauge\n"
                + string.Create(CultureInfo.InvariantCulture, $"em_mqtt_unacknowledged {ingress.Unacknowledged}\n")
                + "# HELP em_mqtt_unacknowledged_peak The most messages unacknowledged at once since start.\n# TYPE em_mqtt_unacknowledged_peak gauge\n"
                + string.Create(CultureInfo.InvariantCulture, $"em_mqtt_unacknowledged_peak {ingress.PeakUnacknowledged}\n");
        }
        if (store is Storage.Influx.InfluxStore influx)
        {
            var (depth, oldest) = await influx.BufferStateAsync(ct);
            text += "# HELP em_buffer_depth Entries in the local buffer not yet in InfluxDB.\n# TYPE em_buffer_depth gauge\n"
                + $"em_buffer_depth {depth}\n# TYPE em_buffer_oldest_seconds gauge\n"
                + string.Create(CultureInfo.InvariantCulture, $"em_buffer_oldest_seconds {(oldest is { } o ? (clock.GetUtcNow() - o).TotalSeconds : 0)}\n");
        }

        return TypedResults.Text(text, "text/plain; version=0.0.4");
    }

    private static string Prometheus(IngestMetrics m, AlertService alerts)
    {
        var sb = new StringBuilder();
        void Line(string s) => sb.Append(s).Append('\n');
        Line("# HELP em_frames_total Frames committed, by stored status.");
        Line("# TYPE em_frames_total counter");
        foreach (var (status, n) in m.ByStatus.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Line($"em_frames_total{{status=\"{status}\"}} {n}");
        }

        Line("# HELP em_frames_reason_total Frames rejected or duplicated, by reason.");
        Line("# TYPE em_frames_reason_total counter");
        foreach (var (reason, n) in m.ByReason.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Line($"em_frames_reason_total{{reason=\"{reason}\"}} {n}");
        }

        Line("# HELP em_frames_backfilled_total Accepted frames marked RF=1 (HJ 212-2025 back-fill).");
        Line("# TYPE em_frames_backfilled_total counter");
        Line($"em_frames_backfilled_total {m.Backfilled}");
        Line("# HELP em_frames_encrypted_total Accepted frames whose data segment came SM4-encrypted (HJ 212-2025).");
        Line("# TYPE em_frames_encrypted_total counter");
        Line($"em_frames_encrypted_total {m.Encrypted}");
        Line("# TYPE em_readings_total counter");
        Line($"em_readings_total {m.Readings}");
        Line("# TYPE em_commits_total counter");
        Line($"em_commits_total {m.Commits}");
        Line("# TYPE em_commit_failures_total counter");
        Line($"em_commit_failures_total {m.CommitFailures}");
        Line("# HELP em_frames_unarchived_total Garbage frames counted but not archived while the disk was low (Storage:MinFreeMB).");
        Line("# TYPE em_frames_unarchived_total counter");
        Line($"em_frames_unarchived_total {m.UnarchivedFrames}");
        Line("# HELP em_commit_seconds Mean and maximum group-commit latency.");
        Line("# TYPE em_commit_seconds gauge");
        Line(string.Create(CultureInfo.InvariantCulture, $"em_commit_seconds{{stat=\"mean\"}} {m.MeanCommit.TotalSeconds}"));
        Line(string.Create(CultureInfo.InvariantCulture, $"em_commit_seconds{{stat=\"max\"}} {m.MaxCommit.TotalSeconds}"));
        Line("# TYPE em_alerts_open gauge");
        foreach (var g in alerts.List(null).Where(a => a.IsOpen).GroupBy(a => a.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Line($"em_alerts_open{{kind=\"{g.Key}\"}} {g.Count()}");
        }

        return sb.ToString();
    }

    private static Dictionary<string, object> OpenApi(EndpointDataSource endpoints)
    {
        var paths = new SortedDictionary<string, Dictionary<string, object>>(StringComparer.Ordinal);
        foreach (var e in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            string path = ApiArea.PathOf(e);
            foreach (var method in e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                if (!paths.TryGetValue(path, out var ops))
                {
                    paths[path] = ops = [];
                }

                ops[method.ToLowerInvariant()] = new
                {
                    parameters = e.RoutePattern.Parameters.Select(p => new { name = p.Name, @in = "path", required = true, schema = new { type = "string" } }),
                    responses = new Dictionary<string, object> { ["200"] = new { description = "OK" } },
                };
            }
        }

        return new Dictionary<string, object>
        {
            ["openapi"] = "3.0.3",
            ["info"] = new { title = "EmissionMonitor", version = "1.0" },
            ["components"] = new { securitySchemes = new { bearer = new { type = "http", scheme = "bearer" } } },
            ["security"] = new[] { new { bearer = Array.Empty<string>() } },
            ["paths"] = paths,
        };
    }
}
