using EmissionMonitor.Storage;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EmissionMonitor.Alerts;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace EmissionMonitor.Notify;

/// <summary>Writing and delivering messages: the outbox saves, the windows that end, the text in Chinese, mail over SMTP, the signed webhook.</summary>
public sealed partial class NotificationService
{
    /// <summary>
    /// Writes the collecting messages changed at least <see cref="NotifyOptions.SaveInterval"/> ago:
    /// a burst of alerts costs a message's write per interval, not one per alert.
    /// </summary>
    private async Task SaveChangedAsync(DateTimeOffset now, bool all, CancellationToken ct)
    {
        foreach (var (id, since) in _unsaved.ToList())
        {
            if (!all && now - since < options.SaveInterval)
            {
                continue;
            }

            _unsaved.Remove(id);
            if (_open.TryGetValue(id, out var message))
            {
                await store.SaveNotificationRecordAsync(message.ToRecord(), ct);
            }
        }
    }

    /// <summary>Closes the windows that ended and delivers every message due.</summary>
    private async Task DeliverDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await SaveChangedAsync(now, all: false, ct);
        foreach (var message in _open.Values.ToList())
        {
            if (message.State == NotificationMessage.Collecting && message.WindowUntil <= now)
            {
                var sent = Sent(message.Contact);
                while (sent.Count > 0 && sent.Peek() <= now.AddHours(-1))
                {
                    sent.Dequeue();
                }

                if (options.MaxPerHour > 0 && sent.Count >= options.MaxPerHour)
                {
                    message.WindowUntil = sent.Peek().AddHours(1); // the contact's budget is spent: collect until the oldest send is an hour old
                    message.HeldBack = message.Held ? message.HeldBack : message.Total; // what it holds so far was held back, and whatever comes meanwhile
                    message.Held = true;
                    _unsaved.TryAdd(message.Id, now);
                    continue;
                }

                message.State = NotificationMessage.Pending;
                message.NextAttemptAt = now;
                sent.Enqueue(now);
            }

            if (message.State != NotificationMessage.Pending || message.NextAttemptAt > now)
            {
                continue;
            }

            await DeliverAsync(message, ct);
            await store.SaveNotificationRecordAsync(message.ToRecord(), ct);
            _unsaved.Remove(message.Id);
            if (message.State == NotificationMessage.Sent)
            {
                _open.Remove(message.Id);
            }
        }
    }

    private async Task DeliverAsync(NotificationMessage message, CancellationToken ct)
    {
        var contact = options.Contacts.FirstOrDefault(c => c.Name == message.Contact);
        message.Attempts++;
        var (subject, text) = Compose(message);
        var errors = new List<string>();
        if (message.Email is { Length: > 0 } && !message.EmailSent)
        {
            try
            {
                await _retry.ExecuteAsync(async token => await SendMailAsync(message, subject, text, token), ct);
                message.EmailSent = true;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                errors.Add("email: " + e.Message);
            }
        }

        if (message.Webhook is { Length: > 0 } && !message.WebhookSent)
        {
            string? hook = contact?.Webhook; // the configured address, with its query string: never kept in the outbox
            try
            {
                if (hook is null)
                {
                    throw new InvalidOperationException($"contact {message.Contact} has no webhook configured any more");
                }

                string secret = contact?.Secret ?? options.WebhookSecret ?? string.Empty;
                await _retry.ExecuteAsync(async token => await PostAsync(hook, secret, message, subject, text, options.AlertsLink, token), ct);
                message.WebhookSent = true;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                errors.Add("webhook: " + e.Message);
            }
        }

        if (errors.Count == 0)
        {
            message.State = NotificationMessage.Sent;
            message.SentAt = clock.GetUtcNow();
            message.LastError = null;
            LogSent(logger, message.Contact, message.Total); // each line counts its alerts
            return;
        }

        message.LastError = string.Join("; ", errors);
        message.NextAttemptAt = clock.GetUtcNow() + (options.RetryInterval * Math.Min(message.Attempts, 10));
        LogNotDelivered(logger, message.Contact, message.Attempts, message.LastError);
    }

    /// <summary>The message in Chinese: a subject, and a line per alert naming the outlet (name and MN), the pollutant and the value.</summary>
    public (string Subject, string Text) Compose(NotificationMessage message)
    {
        int n = message.Total;
        var first = message.Items.FirstOrDefault();
        string subject = $"【污染源自动监控】{n} 条报警" + (first is null ? string.Empty : $"：{first.City} {first.EnterpriseName ?? first.Mn}{(n > 1 ? " 等" : string.Empty)}");
        var text = new StringBuilder($"{message.Contact}，您好：\n\n以下 {n} 条报警需要关注：\n\n");
        foreach (var i in message.Items)
        {
            // The time of the data first (an hour of a back-fill is not "now"), and when it was raised if that differs.
            string at = TimeZoneInfo.ConvertTime(i.DataFrom ?? i.RaisedAt, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
                + (i.DataFrom is { } data && (i.RaisedAt - data).Duration() > TimeSpan.FromHours(2)
                    ? "（报警于 " + TimeZoneInfo.ConvertTime(i.RaisedAt, zone).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture) + "）" : string.Empty);
            string what = i.Pollutant is null ? string.Empty : $" {i.PollutantName ?? i.Pollutant}（{i.Pollutant}）";
            string value = i.Value is { } v ? $" 数值 {v.ToString("0.###", CultureInfo.InvariantCulture)}" + (i.Limit is { } l ? $"，限值 {l.ToString("0.###", CultureInfo.InvariantCulture)}" : string.Empty) : string.Empty;
            string order = i.Kind is "order" or "mark" or "deadline" ? "，" + i.Message : string.Empty;
            string outlet = string.IsNullOrEmpty(i.Mn) ? string.Empty : $" {i.OutletName}（MN {i.Mn}）"; // a report's deadline is the enterprise's
            string count = i.Count > 1 ? $"（共 {i.Count} 次" + (i.Value is not null ? "，取最大值" : string.Empty) + "）" : string.Empty;
            text.Append(CultureInfo.InvariantCulture, $"{at} [{AlertNames.Severity(i.Severity)}] {AlertNames.Kind(i.Kind)}：{i.City} {i.EnterpriseName}{outlet}{what}{value}{count}{order}\n");
        }

        if (message.More > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"……另有 {message.More} 条，请登录系统查看。\n");
        }

        if (message.HeldBack > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"（已达每小时 {options.MaxPerHour} 条消息的上限，其间的 {message.HeldBack} 条报警未单独发送，已合并在本消息中。）\n");
        }

        if (options.AlertsLink is { } link)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n查看与处理：{link}\n");
        }

        text.Append("\n此邮件由污染源自动监控系统自动发送。\n");
        return (subject, text.ToString());
    }

    private async Task SendMailAsync(NotificationMessage message, string subject, string text, CancellationToken ct)
    {
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(options.Smtp.From!));
        mail.To.Add(new MailboxAddress(message.Contact, message.Email!));
        mail.Subject = subject;
        mail.Body = new TextPart("plain") { Text = text };
        using var client = new SmtpClient { Timeout = 15_000 };
        var security = !options.Smtp.UseTls ? SecureSocketOptions.None : options.Smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
        await client.ConnectAsync(options.Smtp.Host!, options.Smtp.Port, security, ct);
        if (!string.IsNullOrEmpty(options.Smtp.User))
        {
            await client.AuthenticateAsync(options.Smtp.User, options.Smtp.Password ?? string.Empty, ct);
        }

        await client.SendAsync(mail, ct);
        await client.DisconnectAsync(true, ct);
    }

    /// <summary>The webhook's JSON body, signed: <c>X-EmissionMonitor-Signature: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>.</summary>
    private static async Task PostAsync(string hook, string secret, NotificationMessage message, string subject, string text, string? url, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { id = message.Id, contact = message.Contact, subject, text, alerts = message.Items, more = message.More, heldBack = message.HeldBack, url }, WebJson);
        using var request = new HttpRequestMessage(HttpMethod.Post, hook) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("X-EmissionMonitor-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        using var response = await Http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the webhook answered {(int)response.StatusCode}");
        }
    }
}
