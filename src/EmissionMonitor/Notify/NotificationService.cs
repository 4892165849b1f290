using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using EmissionMonitor.Alerts;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Polly;
using Polly.Retry;

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

/// <summary>
/// Tells the people responsible (青政〔2017〕53号 §四十一): every raised alert is matched against the
/// contacts (<c>Notify:Contacts</c>; every non-empty filter must match) and collected into the
/// contact's one open message: a critical alert (and a new order, a mark to review, an outage opened
/// or overdue) sends it within <c>Notify:DigestWindow</c>, warnings and information wait for the
/// <c>Notify:WarningDigest</c> (hourly; both per contact too) — whichever comes first takes all. Each
/// outlet, pollutant and kind is one line with its count and worst value; a contact gets at most
/// <c>Notify:MaxPerHour</c> messages an hour (beyond it the message keeps collecting and says how many
/// were held back), each with the dashboard's address (<c>Notify:PublicUrl</c>). In Chinese,
/// naming each outlet (MN and name), pollutant and value — by email over SMTP (MailKit) and/or a
/// webhook (a JSON POST signed with HMAC-SHA256 in <c>X-EmissionMonitor-Signature</c>). Messages live
/// in the store (a durable outbox): a mail server or webhook that is down loses nothing; each is
/// retried (Polly within an attempt, then every Notify:RetryInterval × attempts) until delivered.
/// </summary>
public sealed partial class NotificationService(
    AlertService alerts, NotifyOptions options, IRecordStore store, Func<StationRegistry> registry, TimeZoneInfo zone, TimeProvider clock,
    ILogger<NotificationService> logger) : BackgroundService
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(15) };
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);
    private readonly Channel<Alert> _raised = Channel.CreateBounded<Alert>(new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly Dictionary<string, NotificationMessage> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _unsaved = new(StringComparer.Ordinal); // messages changed since their last write, with that write's time
    private readonly Dictionary<string, DateTimeOffset> _told = new(StringComparer.Ordinal); // alert id → the raise or reopen already collected
    private readonly Dictionary<string, Queue<DateTimeOffset>> _sent = new(StringComparer.Ordinal); // contact → its messages sent in the last hour
    private readonly ResiliencePipeline _retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 2, Delay = TimeSpan.FromMilliseconds(500), BackoffType = DelayBackoffType.Exponential,
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException) })
        .Build();

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Contacts.Count > 0)
        {
            foreach (var record in await store.QueryNotificationRecordsAsync(openOnly: true, int.MaxValue, 0, cancellationToken))
            {
                var message = NotificationMessage.FromJson(record.Json);
                _open[message.Id] = message; // a restart resumes what was collected or not yet delivered
            }

            var hourAgo = clock.GetUtcNow().AddHours(-1);
            foreach (var record in await store.QueryNotificationRecordsAsync(openOnly: false, 1000, 0, cancellationToken))
            {
                if (NotificationMessage.FromJson(record.Json) is { State: NotificationMessage.Sent, SentAt: { } at } sent && at > hourAgo)
                {
                    Sent(sent.Contact).Enqueue(at); // the hourly budget counts across a restart
                }
            }

            alerts.Changed += OnChanged;
        }

        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        alerts.Changed -= OnChanged;
        await base.StopAsync(cancellationToken);
        try
        {
            await SaveChangedAsync(clock.GetUtcNow(), all: true, cancellationToken); // what the last interval collected
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStepFailed(logger, e.Message);
        }
    }

    /// <summary>
    /// Tells the contacts of something that is not an alert of the board, in the form of one (a new
    /// supervision order: kind <c>order</c>); the same filters and digest window apply.
    /// </summary>
    public void Tell(Alert news)
    {
        if (options.Contacts.Count > 0)
        {
            _raised.Writer.TryWrite(news);
        }
    }

    /// <summary>An alert raised or reopened (not a later change of it) is collected once.</summary>
    private void OnChanged(Alert alert)
    {
        if (alert.State == Alert.Active && alert.AcknowledgedAt is null && alert.History is [.., { Action: AlertStep.Raise or AlertStep.Reopen } step])
        {
            lock (_told)
            {
                if (_told.TryGetValue(alert.Id, out var told) && told == step.At)
                {
                    return;
                }

                if (_told.Count > 100_000)
                {
                    _told.Clear(); // at worst a later change of an alert is told again
                }

                _told[alert.Id] = step.At;
            }

            _raised.Writer.TryWrite(alert);
        }
    }

    /// <summary>Critical alerts and what asks for action (a new order, a mark to review, an outage opened or overdue) go within the short window.</summary>
    private static bool Urgent(Alert alert) =>
        alert.Severity == "critical" || alert.Kind is "order" or "mark" or AlertKinds.Silent or AlertKinds.OutageOverdue;

    private Queue<DateTimeOffset> Sent(string contact)
    {
        if (!_sent.TryGetValue(contact, out var sent))
        {
            _sent[contact] = sent = new Queue<DateTimeOffset>();
        }

        return sent;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Contacts.Count == 0)
        {
            return;
        }

        var tick = TimeSpan.FromMilliseconds(Math.Clamp(options.DigestWindow.TotalMilliseconds / 4, 100, 1000));
        while (!stoppingToken.IsCancellationRequested)
        {
            using var timed = new CancellationTokenSource(tick, clock); // the injected clock's: a test's fake clock ticks when advanced
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timed.Token);
            try
            {
                while (await _raised.Reader.WaitToReadAsync(wait.Token))
                {
                    while (_raised.Reader.TryRead(out var alert))
                    {
                        await CollectAsync(alert, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // the tick
            }

            try
            {
                await DeliverDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogStepFailed(logger, e.Message); // the store failed this step: the messages stay where they are
            }
        }
    }

    /// <summary>Adds a raised alert to the open message of every contact it reaches (a new one opens the window).</summary>
    private async Task CollectAsync(Alert alert, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var current = registry();
        var outlet = current.FindOutlet(alert.Mn);
        var enterprise = alert.Enterprise is { } e ? current.FindEnterprise(e) : null;
        var code = alert.Pollutant is { } p ? Hj212.Codes.CodeCatalogue.Find(p) : null;
        var item = new NotificationItem(alert.Id, alert.Kind, alert.Severity, alert.Mn, outlet?.Name, enterprise?.Name, alert.City, alert.Pollutant, code?.Name,
            alert.Value, alert.Limit, alert.RaisedAt, alert.Message, alert.DataFrom);
        foreach (var contact in options.Contacts.Where(c => c.Wants(alert)))
        {
            var due = now + (Urgent(alert) ? contact.DigestWindow ?? options.DigestWindow : contact.WarningDigest ?? options.WarningDigest);
            var message = _open.Values.FirstOrDefault(m => m.Contact == contact.Name && m.State == NotificationMessage.Collecting);
            if (message is null)
            {
                message = new NotificationMessage
                {
                    Id = "ntf-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), Contact = contact.Name!, Email = contact.Email, Webhook = NotifyContact.Shown(contact.Webhook),
                    CreatedAt = now, WindowUntil = due,
                };
                _open[message.Id] = message;
            }
            else if (due < message.WindowUntil && !message.Held)
            {
                message.WindowUntil = due; // a critical alert takes what was waiting for the digest with it
                _unsaved.TryAdd(message.Id, now);
            }

            if (message.Held)
            {
                message.HeldBack++;
            }

            bool opened = message.Items.Count == 0 && message.More == 0;
            int same = message.Items.FindIndex(i => i.SameAs(item));
            if (same >= 0)
            {
                message.Items[same] = message.Items[same].With(item);
                _unsaved.TryAdd(message.Id, now);
            }
            else if (message.Items.Count < options.MaxAlertsPerMessage)
            {
                message.Items.Add(item);
                if (opened)
                {
                    await store.SaveNotificationRecordAsync(message.ToRecord(), ct); // a window's first alert is durable at once
                    _unsaved.Remove(message.Id);
                }
                else
                {
                    _unsaved.TryAdd(message.Id, now);
                }
            }
            else
            {
                message.More++; // a full message only counts: written with the next save, never once per alert
                _unsaved.TryAdd(message.Id, now);
            }
        }
    }

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
                await _retry.ExecuteAsync(async token => await PostAsync(hook, secret, message, subject, text, options.PublicUrl is { Length: > 0 } u ? u.TrimEnd('/') + "/#/alerts?state=open" : null, token), ct);
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
            LogSent(logger, message.Contact, message.Items.Count + message.More);
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
            string order = i.Kind is "order" or "mark" ? "，" + i.Message : string.Empty;
            string count = i.Count > 1 ? $"（共 {i.Count} 次" + (i.Value is not null ? "，取最大值" : string.Empty) + "）" : string.Empty;
            text.Append(CultureInfo.InvariantCulture, $"{at} [{AlertNames.Severity(i.Severity)}] {AlertNames.Kind(i.Kind)}：{i.City} {i.EnterpriseName} {i.OutletName}（MN {i.Mn}）{what}{value}{count}{order}\n");
        }

        if (message.More > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"……另有 {message.More} 条，请登录系统查看。\n");
        }

        if (message.HeldBack > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"（已达每小时 {options.MaxPerHour} 条消息的上限，其间的 {message.HeldBack} 条报警未单独发送，已合并在本消息中。）\n");
        }

        if (options.PublicUrl is { Length: > 0 } url)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n查看与处理：{url.TrimEnd('/')}/#/alerts?state=open\n");
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

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Notification to {Contact} delivered ({Alerts} alerts)")]
    private static partial void LogSent(ILogger logger, string contact, int alerts);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Notification to {Contact} not delivered (attempt {Attempts}): {Error}; it stays in the outbox and is tried again")]
    private static partial void LogNotDelivered(ILogger logger, string contact, int attempts, string error);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Warning, Message = "Notification step failed: {Reason}")]
    private static partial void LogStepFailed(ILogger logger, string reason);
}
