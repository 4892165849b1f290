using System.ComponentModel.DataAnnotations;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Alerts;

/// <summary>Outage clocks (configuration section <c>Outage</c>).</summary>
public sealed class OutageOptions
{
    public const string Section = "Outage";

    /// <summary>The enterprise must file a mark (communication or fault) for an outage within this of its start. Default 12 h.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Outage:ReportWithin must be between 1 minute and 30 days")]
    public TimeSpan ReportWithin { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Data must resume within this of an outage's start. Default 48 h.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00", ErrorMessage = "Outage:RestoreWithin must be between 1 minute and 90 days")]
    public TimeSpan RestoreWithin { get; set; } = TimeSpan.FromHours(48);

    /// <summary>A missed deadline also opens a supervision order to the enterprise. Default false.</summary>
    public bool AutoOrder { get; set; }

    /// <summary>How often open outages are checked against their deadlines. Default 1 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00", ErrorMessage = "Outage:CheckInterval must be between 0.1 s and 1 hour")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Makes a supervision order from an alert (the order service, for rules that open orders themselves).</summary>
public interface IAlertOrders
{
    /// <summary>The id of the order made, or null when none was (the alert has one already, or is gone).</summary>
    Task<string?> OrderFromAlertAsync(string alertId, string by, CancellationToken ct);
}

/// <summary>Outage episodes (an outlet's <c>silent</c> alerts) with their clocks, and <c>report outages</c>.</summary>
public static class Outages
{
    public const string Report = "report", Restore = "restore";

    /// <summary>The marks that report an outage: communication or fault, not rejected or revoked.</summary>
    public static bool Reports(Mark m) => m.Kind is Mark.Communication or Mark.Fault && m.State is Mark.Approved or Mark.Pending;

    /// <summary>The first mark filed for an outage of the outlet from <paramref name="start"/> to <paramref name="end"/>, or null.</summary>
    public static async Task<Mark?> FirstMarkAsync(IRecordStore store, string mn, DateTimeOffset start, DateTimeOffset end, TimeZoneInfo zone, CancellationToken ct)
    {
        var from = TimeZoneInfo.ConvertTime(start, zone).DateTime;
        var to = TimeZoneInfo.ConvertTime(end, zone).DateTime;
        var marks = Mark.Latest(await store.QueryMarksAsync(from, to < from.AddHours(1) ? from.AddHours(1) : to, mn, ct));
        return marks.Where(Reports).OrderBy(m => m.CreatedAt ?? DateTimeOffset.MaxValue).FirstOrDefault();
    }

    /// <summary>
    /// The outages that began in a local period (of one enterprise or all), a row each: when it began,
    /// its two deadlines, when a mark was filed and data resumed, whether each was in time (null while
    /// its deadline has not passed), the hours down and the order made.
    /// </summary>
    public static async Task<Reports.ReportTable> ReportAsync(IRecordStore store, Compliance.ReportPeriod period, string? enterprise, OutageOptions options,
        Registry.StationRegistry registry, TimeZoneInfo zone, DateTimeOffset now, CancellationToken ct)
    {
        var (from, to) = period.Instants(zone);
        var rows = new List<object?[]>();
        var orders = new Dictionary<(string Mn, DateTimeOffset? Start), string>(); // the order an overdue alert made, by its outage (outlet and start)
        var silent = new List<Alert>();
        foreach (var a in await store.QueryAlertsAsync(from, now, ct))
        {
            if (a.Kind == AlertKinds.Silent && a.RaisedAt < to && (enterprise is null || a.Enterprise == enterprise))
            {
                silent.Add(a);
            }
            else if (a.Kind == AlertKinds.OutageOverdue && a.OrderId is { } orderId)
            {
                orders.TryAdd((a.Mn, a.DataFrom), orderId);
            }
        }

        foreach (var a in silent)
        {
            var start = a.DataFrom ?? a.RaisedAt;
            var end = a.ClearedAt ?? now;
            var mark = await FirstMarkAsync(store, a.Mn, start, end, zone, ct);
            var reportBy = start + options.ReportWithin;
            var restoreBy = start + options.RestoreWithin;
            bool? reported = mark?.CreatedAt is { } filed ? filed <= reportBy : now > reportBy ? false : null;
            bool? restored = a.ClearedAt is { } back ? back <= restoreBy : now > restoreBy ? false : null;
            string? order = orders.GetValueOrDefault((a.Mn, a.DataFrom));
            var outlet = registry.FindOutlet(a.Mn);
            rows.Add(
            [
                a.Mn, outlet?.Name, a.Enterprise, a.Enterprise is { } e ? registry.FindEnterprise(e)?.Name : null, a.City, a.IsOpen ? "open" : "closed",
                Local(start, zone), Local(reportBy, zone), mark?.CreatedAt is { } m ? Local(m, zone) : null, reported,
                Local(restoreBy, zone), a.ClearedAt is { } c ? Local(c, zone) : null, restored, Math.Round((end - start).TotalHours, 2), order, a.Id,
            ]);
        }

        return new Reports.ReportTable(
            ["mn", "outlet", "enterprise", "enterpriseName", "city", "state", "startedAt", "reportDeadline", "markAt", "reportedInTime", "restoreDeadline", "restoredAt", "restoredInTime",
                "hoursDown", "orderId", "alertId"], rows);
    }

    private static DateTimeOffset Local(DateTimeOffset t, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(t, zone);
}
