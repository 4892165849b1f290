using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using EmissionMonitor.Alerts;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;
using Polly;
using Polly.Retry;

namespace EmissionMonitor.Notify;

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

    /// <summary>Critical alerts and what asks for action (a new order, a mark to review, a report coming due, an outage opened or overdue) go within the short window.</summary>
    private static bool Urgent(Alert alert) =>
        alert.Severity == "critical" || alert.Kind is "order" or "mark" or "deadline" or AlertKinds.Silent or AlertKinds.OutageOverdue;

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

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Notification to {Contact} delivered ({Alerts} alerts)")]
    private static partial void LogSent(ILogger logger, string contact, int alerts);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Notification to {Contact} not delivered (attempt {Attempts}): {Error}; it stays in the outbox and is tried again")]
    private static partial void LogNotDelivered(ILogger logger, string contact, int attempts, string error);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Warning, Message = "Notification step failed: {Reason}")]
    private static partial void LogStepFailed(ILogger logger, string reason);
}
