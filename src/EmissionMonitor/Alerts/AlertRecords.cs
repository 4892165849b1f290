using System.Text;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Alerts;

/// <summary>Alerts in the record store: written and read as <see cref="AlertRecord"/>s carrying the alert JSON (times in UTC).</summary>
public static class AlertRecords
{
    public static AlertRecord ToRecord(Alert alert) =>
        new(alert.Id, alert.State, alert.RaisedAt, Encoding.UTF8.GetString(AlertJson.Serialize(alert, TimeZoneInfo.Utc)));

    /// <summary>Stores an alert's current state (insert or replace by id).</summary>
    public static Task SaveAlertAsync(this IRecordStore store, Alert alert, CancellationToken cancellationToken) =>
        store.SaveAlertRecordAsync(ToRecord(alert), cancellationToken);

    /// <summary>Every stored alert, oldest raised first.</summary>
    public static async Task<IReadOnlyList<Alert>> QueryAlertsAsync(this IRecordStore store, CancellationToken cancellationToken) =>
        (await store.QueryAlertRecordsAsync(cancellationToken)).Select(r => AlertJson.Deserialize(r.Json)).ToList();

    /// <summary>The alerts raised from <paramref name="from"/> to <paramref name="to"/> (exclusive), oldest raised first.</summary>
    public static async Task<IReadOnlyList<Alert>> QueryAlertsAsync(this IRecordStore store, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        (await store.QueryAlertRecordsAsync(from, to, cancellationToken)).Select(r => AlertJson.Deserialize(r.Json)).ToList();

    /// <summary>The handling figures (<see cref="AlertHandling"/>) of the alerts raised in a local period, of one enterprise or all.</summary>
    public static async Task<Reports.ReportTable> HandlingAsync(this IRecordStore store, Compliance.ReportPeriod period, string by, string? enterprise, AlertOptions options,
        Registry.StationRegistry registry, TimeZoneInfo zone, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (from, to) = period.Instants(zone);
        var alerts = (await store.QueryAlertsAsync(from, to, cancellationToken)).Where(a => enterprise is null || a.Enterprise == enterprise);
        return AlertHandling.Table(AlertHandling.Measure(alerts, by, options, now), group => by == "enterprise" ? registry.FindEnterprise(group)?.Name : null);
    }
}
