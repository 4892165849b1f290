using EmissionMonitor.Alerts.Rules;
using EmissionMonitor.Ingestion;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Journaling;

namespace EmissionMonitor.Alerts;

/// <summary>
/// The alert desk: it takes each group commit's live frames into a per-outlet queue (served in turn,
/// the overflow on disk), hands each frame to every rule family (<see cref="IAlertRule"/>, in the
/// order registered) and gives them the clock's turn every few seconds; the rules raise and clear
/// alerts through it. It owns the book (one open alert per kind, outlet and pollutant; the hourly
/// budget), and every state change is stored, published as JSON to <c>emission/alerts/{severity}</c>,
/// given to in-process subscribers and logged. Operators acknowledge and clear alerts through it,
/// and other services set conditions they measure (clock drift, overdue orders).
/// </summary>
public sealed class AlertService(
    AlertBook book, IRecordStore store, Journal journal, Func<StationRegistry> registry, IEnumerable<IAlertRule> rules, AlertOptions options,
    TimeZoneInfo timeZone, IMessagePublisher publisher, TimeProvider clock, ILogger<AlertService> logger,
    IOverflow<(IntakeResult Item, StoredOutcome Outcome)>? backlog = null) : BackgroundService, IAlertDesk
{
    private readonly FairQueue<(IntakeResult Item, StoredOutcome Outcome)> _committed = new(options.MaxBacklogPerOutlet, backlog);
    private readonly IReadOnlyList<IAlertRule> _rules = rules.ToList();
    private readonly AlertLog _log = new(options, book, clock, logger);
    private SilentRule? Silent => _rules.OfType<SilentRule>().FirstOrDefault();

    /// <summary>Every state change of an alert, for in-process subscribers (the dashboard's stream).</summary>
    public event Action<Alert>? Changed;

    public DateTimeOffset Now => clock.GetUtcNow();

    public TimeZoneInfo Zone => timeZone;

    public IReadOnlyList<Alert> List(string? state) => book.All(state);

    /// <summary>Committed frames whose evaluation was dropped because their outlet's backlog was full in memory and on disk.</summary>
    public long BacklogDropped => _committed.Dropped;

    /// <summary>Committed frames waiting for the alert rules (in memory and on disk).</summary>
    public int Backlog => _committed.Count;

    /// <summary>When the outlet's last accepted live frame arrived (or the service started), or null.</summary>
    public DateTimeOffset? LastSeen(string mn) => Silent?.LastSeen(mn);

    public async Task<Alert?> RaiseAsync(AlertDraft draft, CancellationToken ct) => await ChangedAsync(book.Raise(draft, clock.GetUtcNow()), ct);

    public async Task<Alert?> ResolveAsync(string kind, string mn, string? pollutant, CancellationToken ct, string? subKind = null) =>
        await ChangedAsync(book.Resolve(kind, mn, pollutant, clock.GetUtcNow(), subKind), ct);

    public async Task<Alert?> UpdateAsync(string kind, string mn, string? pollutant, Func<Alert, Alert> change, CancellationToken ct) =>
        await ChangedAsync(book.Update(kind, mn, pollutant, change), ct);

    /// <summary>
    /// Raises the outlet's alert of <paramref name="kind"/> while <paramref name="on"/>, clears it
    /// otherwise (conditions other services measure, such as a terminal's clock drift).
    /// </summary>
    public async Task SetConditionAsync(string kind, Outlet outlet, bool on, double? value, double? limit, DateTimeOffset start, string message, CancellationToken ct,
        IReadOnlyDictionary<string, string?>? parameters = null)
    {
        if (!on)
        {
            await ResolveAsync(kind, outlet.Mn, null, ct);
            return;
        }

        var all = new Dictionary<string, string?>(StringComparer.Ordinal) { ["outlet"] = outlet.Name };
        foreach (var (key, v) in parameters ?? new Dictionary<string, string?>())
        {
            all[key] = v;
        }

        await RaiseAsync(AlertDraft.For(kind, outlet, registry().FindEnterprise(outlet.EnterpriseId), null, value, limit, start, message) with { Params = all }, ct);
    }

    public async Task<Alert?> AcknowledgeAsync(string id, string by, CancellationToken ct, string? comment = null, string? verdict = null) =>
        await ChangedAsync(book.Acknowledge(id, by, clock.GetUtcNow(), comment, verdict), ct);

    public async Task<Alert?> AssignAsync(string id, string by, string assignee, string? comment, CancellationToken ct) =>
        await ChangedAsync(book.Assign(id, by, assignee, comment, clock.GetUtcNow()), ct);

    public async Task<Alert?> DisposeAsync(string id, string by, string comment, string? verdict, CancellationToken ct) =>
        await ChangedAsync(book.Dispose(id, by, comment, verdict, clock.GetUtcNow()), ct);

    public async Task<Alert?> LinkOrderAsync(string id, string by, string orderId, CancellationToken ct) =>
        await ChangedAsync(book.LinkOrder(id, by, orderId, clock.GetUtcNow()), ct);

    public Alert? Find(string id) => book.Find(id);

    public IEnumerable<Alert> Open(string kind) => book.Open(kind);

    public async Task<Alert?> ClearAsync(string id, string by, string? comment, CancellationToken ct) =>
        await ChangedAsync(book.Clear(id, by, comment, clock.GetUtcNow()), ct);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        book.Load(await store.QueryAlertsAsync(cancellationToken));
        Silent?.Start(clock.GetUtcNow());
        journal.Committed += OnCommitted;
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        journal.Committed -= OnCommitted;
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var tick = TimeSpan.FromSeconds(Math.Clamp(options.SilentAfter.TotalSeconds / 4, 0.25, 30));
        while (!stoppingToken.IsCancellationRequested)
        {
            using var timed = new CancellationTokenSource(tick, clock); // the injected clock's: a test's fake clock ticks when advanced
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timed.Token);
            try
            {
                while (await _committed.WaitAsync(wait.Token))
                {
                    while (_committed.TryTake(256, out var batch))
                    {
                        await EvaluateAsync(batch, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // the tick: time-based checks below
            }

            foreach (var ended in book.EndFloods(clock.GetUtcNow()))
            {
                await ChangedAsync(ended, stoppingToken);
            }

            foreach (var rule in _rules)
            {
                await rule.OnTickAsync(this, stoppingToken);
            }

            _log.LogSummary();
        }
    }

    private void OnCommitted(IReadOnlyList<IntakeResult> items, IReadOnlyList<StoredOutcome> outcomes)
    {
        for (int i = 0; i < items.Count; i++)
        {
            if (items[i].IsAccepted && items[i].Frame.IsLive && items[i].Outlet is { } outlet)
            {
                _committed.Enqueue(outlet.Mn, (items[i], outcomes[i])); // per outlet, served in turn: a flood waits behind itself
            }
        }
    }

    private async Task EvaluateAsync(IReadOnlyList<(IntakeResult Item, StoredOutcome Outcome)> batch, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var current = registry();
        foreach (var (item, outcome) in batch)
        {
            if (item.Outlet is not { } outlet || !item.IsAccepted)
            {
                continue; // a frame back from the backlog on disk that the intake no longer takes (its key was replaced meanwhile)
            }

            if (outlet.Encryption == EncryptionMode.Required && item.Packet is { WasEncrypted: false })
            {
                continue; // a plain frame (a heartbeat, a 1013 carrying only the PW) of an outlet whose encryption is required: not data seen, not an online terminal
            }

            var frame = new CommittedFrame(item, outcome, outlet, current.FindEnterprise(outlet.EnterpriseId), now) { Live = item.IsAboutArrival(timeZone, options.LiveWindow) };
            foreach (var rule in _rules)
            {
                await rule.OnCommittedAsync(frame, this, ct);
            }
        }
    }

    private async Task<Alert?> ChangedAsync(Alert? alert, CancellationToken ct)
    {
        if (alert is null)
        {
            return null;
        }

        await store.SaveAlertAsync(alert, ct);
        await publisher.PublishAsync(Topics.Alerts(alert.Severity), AlertJson.Serialize(alert, timeZone), ct);
        Changed?.Invoke(alert);
        _log.Log(alert);
        return alert;
    }
}
