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
}
