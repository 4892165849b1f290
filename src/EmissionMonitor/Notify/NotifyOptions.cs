using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Notify;

/// <summary>The mail server notifications go through (configuration <c>Notify:Smtp</c>).</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    [Range(1, 65535, ErrorMessage = "Notify:Smtp:Port must be between 1 and 65535")]
    public int Port { get; set; } = 25;

    /// <summary>TLS: on connect for port 465, else STARTTLS (required, not opportunistic). Default false.</summary>
    public bool UseTls { get; set; }

    public string? User { get; set; }

    public string? Password { get; set; }

    public string? From { get; set; }
}

/// <summary>
/// A person responsible (configuration <c>Notify:Contacts:{i}</c>): an email address and/or a
/// webhook (SMS gateways, WeCom/DingTalk robots), and which alerts reach them — every non-empty
/// filter must match.
/// </summary>
public sealed class NotifyContact
{
    public string? Name { get; set; }

    public string? Email { get; set; }

    public string? Webhook { get; set; }

    /// <summary>The webhook's HMAC-SHA256 key; Notify:WebhookSecret when not set.</summary>
    public string? Secret { get; set; }

    public List<string> Cities { get; set; } = [];

    public List<string> Enterprises { get; set; } = [];

    public List<string> Kinds { get; set; } = [];

    /// <summary>This contact's window for critical alerts (Notify:DigestWindow when not set).</summary>
    public TimeSpan? DigestWindow { get; set; }

    /// <summary>This contact's digest of warnings and information (Notify:WarningDigest when not set).</summary>
    public TimeSpan? WarningDigest { get; set; }

    /// <summary><c>info</c> (default), <c>warning</c> or <c>critical</c>.</summary>
    public string MinSeverity { get; set; } = "info";

    /// <summary>
    /// A webhook address as it may be shown and kept: scheme, host and path, without the query
    /// string or user information (robots' <c>access_token</c>s ride there).
    /// </summary>
    public static string? Shown(string? webhook) =>
        webhook is null ? null
        : Uri.TryCreate(webhook, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Path).Replace(uri.UserInfo + "@", string.Empty, StringComparison.Ordinal)
        : "(not a URL)";

    /// <summary>True when every non-empty filter matches the alert.</summary>
    public bool Wants(Alerts.Alert alert) =>
        (Cities.Count == 0 || (alert.City is { } c && Cities.Contains(c)))
        && (Enterprises.Count == 0 || (alert.Enterprise is { } e && Enterprises.Contains(e)))
        && (Kinds.Count == 0 || Kinds.Contains(alert.Kind))
        && NotifyOptions.Rank(alert.Severity) >= NotifyOptions.Rank(MinSeverity);
}

/// <summary>Notifications to the people responsible (configuration section <c>Notify</c>).</summary>
public sealed class NotifyOptions : IValidatableObject
{
    public const string Section = "Notify";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The first alert for a person opens a window this long; everything for them within it goes in one message. Default 5 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Notify:DigestWindow must be between 0 and 1 day")]
    public TimeSpan DigestWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Warnings and information wait this long in a contact's digest (a critical alert sends it sooner). Default 1 h.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Notify:WarningDigest must be between 0 and 1 day")]
    public TimeSpan WarningDigest { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Messages one contact gets in a rolling hour at most; beyond it the next one collects and says how many were held back. Default 12; 0: no limit.</summary>
    [Range(0, 10_000, ErrorMessage = "Notify:MaxPerHour must be between 0 and 10000")]
    public int MaxPerHour { get; set; } = 12;

    /// <summary>The dashboard's address as people reach it (https://…); every message links to its alerts.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>The link every message carries: the dashboard's open alerts, or null without <see cref="PublicUrl"/>.</summary>
    public string? AlertsLink => PublicUrl is { Length: > 0 } url ? url.TrimEnd('/') + "/#/alerts?state=open" : null;

    /// <summary>How long a collecting message's new alerts may wait before the message is written again (its first alert is written at once). Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Notify:SaveInterval must be between 0 and 1 hour")]
    public TimeSpan SaveInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The HMAC-SHA256 key of webhook signatures for contacts without their own.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>A message that could not be delivered is tried again after this, times its attempts (at most ten times this). Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00", ErrorMessage = "Notify:RetryInterval must be between 0.1 s and 1 hour")]
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Alerts one message names at most (the rest are counted). Default 200.</summary>
    [Range(1, 10_000, ErrorMessage = "Notify:MaxAlertsPerMessage must be between 1 and 10000")]
    public int MaxAlertsPerMessage { get; set; } = 200;

    public List<NotifyContact> Contacts { get; set; } = [];

    public static int Rank(string severity) => severity switch { "critical" => 2, "warning" => 1, _ => 0 };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (int i = 0; i < Contacts.Count; i++)
        {
            var c = Contacts[i];
            string key = $"Notify:Contacts:{i}";
            if (string.IsNullOrWhiteSpace(c.Name))
            {
                yield return new ValidationResult($"{key}:Name is required");
            }

            if (string.IsNullOrWhiteSpace(c.Email) && string.IsNullOrWhiteSpace(c.Webhook))
            {
                yield return new ValidationResult($"{key}: needs an Email or a Webhook");
            }

            if (c.Email is { Length: > 0 } email && !MimeKit.MailboxAddress.TryParse(email, out _))
            {
                yield return new ValidationResult($"{key}:Email '{email}' is not an email address");
            }

            if (c.Webhook is { Length: > 0 } hook && (!Uri.TryCreate(hook, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            {
                yield return new ValidationResult($"{key}:Webhook must be an http or https address");
            }

            if (c.DigestWindow is { } w && (w < TimeSpan.Zero || w > TimeSpan.FromDays(1)))
            {
                yield return new ValidationResult($"{key}:DigestWindow must be between 0 and 1 day");
            }

            if (c.WarningDigest is { } d && (d < TimeSpan.Zero || d > TimeSpan.FromDays(1)))
            {
                yield return new ValidationResult($"{key}:WarningDigest must be between 0 and 1 day");
            }

            if (c.MinSeverity is not ("info" or "warning" or "critical"))
            {
                yield return new ValidationResult($"{key}:MinSeverity must be info, warning or critical");
            }

            if (c.Email is { Length: > 0 } && (string.IsNullOrWhiteSpace(Smtp.Host) || string.IsNullOrWhiteSpace(Smtp.From)))
            {
                yield return new ValidationResult($"{key}:Email needs Notify:Smtp:Host and Notify:Smtp:From");
            }

            if (c.Webhook is { Length: > 0 } && string.IsNullOrEmpty(c.Secret ?? WebhookSecret))
            {
                yield return new ValidationResult($"{key}:Webhook needs a Secret (or Notify:WebhookSecret) to sign with");
            }
        }

        if (PublicUrl is { Length: > 0 } url && (!Uri.TryCreate(url, UriKind.Absolute, out var publicUri) || publicUri.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult($"Notify:PublicUrl must be an http or https address, not '{url}'");
        }

        if (Smtp.Port is < 1 or > 65535)
        {
            yield return new ValidationResult("Notify:Smtp:Port must be between 1 and 65535");
        }

        if (Smtp.From is { Length: > 0 } from && !MimeKit.MailboxAddress.TryParse(from, out _))
        {
            yield return new ValidationResult($"Notify:Smtp:From '{from}' is not an email address");
        }
    }
}
