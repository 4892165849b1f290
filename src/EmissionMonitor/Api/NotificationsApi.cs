using Microsoft.AspNetCore.Http.HttpResults;
using EmissionMonitor.Notify;
using EmissionMonitor.Storage;
using EmissionMonitor.Users;

namespace EmissionMonitor.Api;

/// <summary><c>GET /api/notifications</c> (operators): each message to the people responsible, newest first, with its recipients, state and attempts.</summary>
public static class NotificationsApi
{
    public static void Map(IEndpointRouteBuilder app, ApiAuth auth)
    {
        var area = new ApiArea(app, auth, "/api/notifications", "notifications");
        var operators = area.For(ApiArea.Operators);
        operators.MapGet("", ListAsync);
    }

    private static async Task<ObjectAnswer> ListAsync(HttpContext http, IRecordStore store, ApiOptions options, TimeZoneInfo zone, CancellationToken ct)
    {
        if (QueryRules.Page(http, options, out int limit, out int offset) is { } bad)
        {
            return bad;
        }

        string? Local(DateTimeOffset? t) => Reports.ReportFormats.Instant(t, zone);
        var rows = (await store.QueryNotificationRecordsAsync(openOnly: false, limit, offset, ct)).Select(r => NotificationMessage.FromJson(r.Json)).Select(m => new
        {
            id = m.Id,
            contact = m.Contact,
            recipients = new { email = m.Email, webhook = NotifyContact.Shown(m.Webhook) },
            state = m.State,
            attempts = m.Attempts,
            lastError = m.LastError,
            createdAt = Local(m.CreatedAt),
            windowUntil = Local(m.WindowUntil),
            sentAt = Local(m.SentAt),
            emailSent = m.EmailSent,
            webhookSent = m.WebhookSent,
            alerts = m.Items.Count + m.More,
            items = m.Items.Select(i => new
            {
                alertId = i.AlertId,
                kind = i.Kind,
                severity = i.Severity,
                mn = i.Mn,
                outletName = i.OutletName,
                enterpriseName = i.EnterpriseName,
                city = i.City,
                pollutant = i.Pollutant,
                value = i.Value,
                limit = i.Limit,
                raisedAt = Local(i.RaisedAt)
            }),
        });
        return TypedResults.Ok<object>(rows);
    }
}
