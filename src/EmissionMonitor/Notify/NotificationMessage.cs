using System.Text.Json;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Notify;

/// <summary>
/// An outlet, pollutant and kind as a message names it: its first alert, and with <see cref="Count"/>
/// how many were raised (a flapping condition is one line), <see cref="Value"/> the worst value.
/// </summary>
public sealed record NotificationItem(string AlertId, string Kind, string Severity, string Mn, string? OutletName, string? EnterpriseName, string? City,
    string? Pollutant, string? PollutantName, double? Value, double? Limit, DateTimeOffset RaisedAt, string Message, DateTimeOffset? DataFrom = null)
{
    /// <summary>Alerts of this outlet, pollutant and kind in the message (raised or reopened).</summary>
    public int Count { get; init; } = 1;

    /// <summary>The same outlet, pollutant and kind once more: counted, the worse value kept.</summary>
    public NotificationItem With(NotificationItem next) =>
        this with { Count = Count + 1, Value = next.Value > Value || Value is null ? next.Value : Value, Limit = next.Value > Value || Value is null ? next.Limit : Limit };

    public bool SameAs(NotificationItem other) => Kind == other.Kind && Mn == other.Mn && Pollutant == other.Pollutant;
}

/// <summary>
/// A message to one contact: the alerts of its digest window, its delivery per channel, its attempts.
/// States: <c>collecting</c> (the window is open), <c>pending</c> (to deliver, or to try again),
/// <c>sent</c>.
/// </summary>
public sealed class NotificationMessage
{
    public const string Collecting = "collecting", Pending = "pending", Sent = "sent";

    public required string Id { get; init; }

    public required string Contact { get; init; }

    public string? Email { get; init; }

    /// <summary>The webhook as shown (<see cref="NotifyContact.Shown"/>: no query string, where robots keep their access token); delivery takes the contact's configured address.</summary>
    public string? Webhook { get; init; }

    public string State { get; set; } = Collecting;

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset WindowUntil { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    public bool EmailSent { get; set; }

    public bool WebhookSent { get; set; }

    /// <summary>Alerts beyond Notify:MaxAlertsPerMessage, counted only.</summary>
    public int More { get; set; }

    /// <summary>True once the contact's hourly budget (Notify:MaxPerHour) held the message back: it collects until the budget allows one more.</summary>
    public bool Held { get; set; }

    /// <summary>Alerts that came while the message was held back.</summary>
    public int HeldBack { get; set; }

    /// <summary>Alerts in the message (each line's count, and those beyond the limit).</summary>
    public int Total => Items.Sum(i => i.Count) + More;

    public List<NotificationItem> Items { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static NotificationMessage FromJson(string json) => JsonSerializer.Deserialize<NotificationMessage>(json, Json)!;

    public NotificationRecord ToRecord() => new(Id, Contact, State, CreatedAt, ToJson());
}
