using EmissionMonitor.Hj212;
using System.Collections.Concurrent;
using System.Threading.Channels;
using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Exceedance;
using EmissionMonitor.Compliance.Rates;
using EmissionMonitor.Compliance.Warnings;
using EmissionMonitor.Ingestion;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;
using EmissionMonitor.Reports;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Journaling;

namespace EmissionMonitor.Alerts;

/// <summary>
/// Raises and clears alerts as data arrives (incrementally, after each group commit): real-time
/// values above a limit (<c>warning</c>), valid hourly or water daily means above it
/// (<c>exceedance</c>); outlets with no accepted frame for Alerts:SilentAfter (<c>silent</c>); the
/// previous complete local day's effective rate below the threshold (<c>low-rate</c>). Each state
/// change is stored, published as JSON to <c>emission/alerts/{severity}</c>, given to in-process
/// subscribers and logged. Operators acknowledge and clear alerts through this service.
/// </summary>
public sealed partial class AlertService(
    AlertBook book, IRecordStore store, Journal journal, Func<StationRegistry> registry, ComplianceOptions compliance, Func<ReportService> reports, AlertOptions options,
    TimeZoneInfo timeZone, IMessagePublisher publisher, TimeProvider clock, ILogger<AlertService> logger, Security.KeyRing? keys = null,
    Security.TerminalIdentities? identities = null, BarometerOptions? barometer = null, Compliance.Anomalies.AnomalyOptions? anomalyOptions = null,
    IOverflow<(IntakeResult Item, StoredOutcome Outcome)>? backlog = null) : BackgroundService
{
    private readonly FairQueue<(IntakeResult Item, StoredOutcome Outcome)> _committed = new(options.MaxBacklogPerOutlet, backlog);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastSeen = new(StringComparer.Ordinal);
    private readonly RateCalculator _rates = new(compliance);
    private DateOnly _lowRateDone;
    private readonly Compliance.Anomalies.AnomalyDetector _anomalies = new(anomalyOptions ?? new Compliance.Anomalies.AnomalyOptions());
    private readonly Dictionary<string, Compliance.Anomalies.AnomalyEpisode> _episodes = new(StringComparer.Ordinal);
    private DateTimeOffset _barometerDue = DateTimeOffset.MinValue;
    private readonly Dictionary<(string City, string Pollutant), string> _barometerLevels = [];

    /// <summary>Every state change of an alert, for in-process subscribers (the dashboard's stream).</summary>
    public event Action<Alert>? Changed;

    public IReadOnlyList<Alert> List(string? state) => book.All(state);

    /// <summary>Committed frames whose evaluation was dropped because their outlet's backlog was full in memory and on disk.</summary>
    public long BacklogDropped => _committed.Dropped;

    /// <summary>Committed frames waiting for the alert rules (in memory and on disk).</summary>
    public int Backlog => _committed.Count;

    /// <summary>When the outlet's last accepted live frame arrived (or the service started), or null.</summary>
    public DateTimeOffset? LastSeen(string mn) => _lastSeen.TryGetValue(mn, out var t) ? t : null;

    /// <summary>
    /// Raises the outlet's alert of <paramref name="kind"/> while <paramref name="on"/>, clears it
    /// otherwise (conditions other services measure, such as a terminal's clock drift).
    /// </summary>
    public async Task SetConditionAsync(string kind, Registry.Outlet outlet, bool on, double? value, double? limit, DateTimeOffset start, string message, CancellationToken ct,
        IReadOnlyDictionary<string, string?>? parameters = null)
    {
        var now = clock.GetUtcNow();
        var enterprise = registry().FindEnterprise(outlet.EnterpriseId);
        await ChangedAsync(on
            ? book.Raise(kind, outlet.Mn, enterprise?.Id, enterprise?.City, null, value, limit, start, now, message, null, With(parameters, ("outlet", outlet.Name)))
            : book.Resolve(kind, outlet.Mn, null, now), ct);
    }

    public async Task<Alert?> AcknowledgeAsync(string id, string by, CancellationToken ct, string? comment = null) =>
        await ChangedAsync(book.Acknowledge(id, by, clock.GetUtcNow(), comment), ct);

    public async Task<Alert?> ClearAsync(string id, string by, string? comment, CancellationToken ct) =>
        await ChangedAsync(book.Clear(id, by, comment, clock.GetUtcNow()), ct);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        book.Load(await store.QueryAlertsAsync(cancellationToken));
        var started = clock.GetUtcNow();
        foreach (var outlet in registry().Outlets)
        {
            _lastSeen.TryAdd(outlet.Mn, started);
        }

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
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            wait.CancelAfter(tick);
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

            await CheckSilentAsync(stoppingToken);
            await CheckLowRateAsync(stoppingToken);
            await CheckKeyAgeAsync(stoppingToken);
            await CheckBarometerAsync(stoppingToken);
            LogSummary();
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
        var detector = new ExceedanceDetector(compliance, _rates.Validity);
        foreach (var (item, outcome) in batch)
        {
            if (item.Outlet is not { } outlet || !item.IsAccepted)
            {
                continue; // a frame back from the backlog on disk that the intake no longer takes (its key was replaced meanwhile)
            }

            if (outlet.Encryption == Registry.EncryptionMode.Required && item.Packet is { WasEncrypted: false })
            {
                continue; // a plain frame (a heartbeat, a 1013 carrying only the PW) of an outlet whose encryption is required: not data seen, not an online terminal
            }

            _lastSeen[outlet.Mn] = now;
            await ChangedAsync(book.Resolve(AlertKinds.Silent, outlet.Mn, null, now), ct);
            if (item.Packet is { Cn: StandardCheckCn } check && outcome.Status == StoredOutcome.Accepted)
            {
                await CheckStandardSampleAsync(outlet, check, now, ct);
                continue;
            }

            if (item.Packet is { Cn: Cns.HardwareIdentity } report && identities is not null)
            {
                await CheckIdentityAsync(outlet, report, item.Frame.ReceivedAt, ct);
                continue;
            }

            if (item.Kind != FrameKind.Reading || outcome.Status != StoredOutcome.Accepted)
            {
                continue; // a resend changes nothing
            }

            if (outlet.ProcessLimits is { Count: > 0 } && item.Packet?.Cn is Cns.FurnaceTemperature or Cns.RealTime)
            {
                await CheckProcessLimitsAsync(outlet, item.Readings, now, ct);
            }

            if (item.Packet?.Cn is Cns.RealTime or Cns.Hourly && item.Readings.Count > 0)
            {
                await CheckAnomaliesAsync(outlet, item.Packet.Cn, item.Readings, now, ct);
            }

            var enterprise = registry().FindEnterprise(outlet.EnterpriseId);
            foreach (var (pollutant, limit) in outlet.Limits)
            {
                if (item.Packet?.Cn == Cns.RealTime)
                {
                    var r = item.Readings.FirstOrDefault(x => x.Pollutant == pollutant);
                    if ((r is null ? null : _rates.Validity.RealTimeValue(r)) is { } v)
                    {
                        await ChangedAsync(RealTimeWarning.Crossed(v, limit) is { } b
                            ? book.Raise(AlertKinds.Warning, outlet.Mn, enterprise?.Id, enterprise?.City, pollutant, v, b, Local(r!.Period), now, $"{outlet.Name} {pollutant} real-time {v} beyond limit {b}", null, Params(("outlet", outlet.Name), ("pollutant", pollutant), ("value", N(v)), ("limit", N(b))))
                            : book.Resolve(AlertKinds.Warning, outlet.Mn, pollutant, now), ct);
                    }

                    continue;
                }

                var periods = detector.Assess(outlet, pollutant, item.Packet?.Cn == Cns.Hourly ? item.Readings : [], item.Packet?.Cn == Cns.Daily ? item.Readings : []);
                foreach (var p in periods)
                {
                    await ChangedAsync(p.Exceeds
                        ? book.Raise(AlertKinds.Exceedance, outlet.Mn, enterprise?.Id, enterprise?.City, pollutant, p.Value, p.Bound, Local(p.Start), now,
                            $"{outlet.Name} {pollutant} {p.Value:0.###} ({p.ValueKind}) beyond limit {p.Bound} from {p.Start:yyyy-MM-dd HH:mm}", null,
                            Params(("outlet", outlet.Name), ("pollutant", pollutant), ("value", N(p.Value)), ("valueKind", p.ValueKind), ("limit", p.Bound is { } bound ? N(bound) : null),
                                ("from", p.Start.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture))))
                        : book.Resolve(AlertKinds.Exceedance, outlet.Mn, pollutant, now), ct);
                }
            }
        }
    }

    /// <summary>HJ 212-2025 CN 2062: the result of an automatic standard-sample check.</summary>
    public const string StandardCheckCn = Cns.StandardCheck;

    /// <summary>
    /// HJ 212-2025 CN 1001: records the data logger's identity; a change from the one recorded
    /// raises <c>identity-changed</c> (open until an operator clears it: the swap must be explained).
    /// </summary>
    private async Task CheckIdentityAsync(Registry.Outlet outlet, Hj212.Packets.Hj212Packet report, DateTimeOffset at, CancellationToken ct)
    {
        if (Security.TerminalIdentities.Parse(outlet.Mn, report, at) is not { } reported || await identities!.ObserveAsync(reported, ct) is not { } before)
        {
            return;
        }

        var enterprise = registry().FindEnterprise(outlet.EnterpriseId);
        await ChangedAsync(book.Raise(AlertKinds.IdentityChanged, outlet.Mn, enterprise?.Id, enterprise?.City, null, null, null, at, clock.GetUtcNow(),
            $"{outlet.Name}: data logger hardware changed ({reported.ChangesFrom(before)})", null, Params(("outlet", outlet.Name), ("changes", reported.ChangesFrom(before)))), ct);
    }

    /// <summary>
    /// The data-anomaly rules (<c>Anomalies:*</c>) on a record: an <c>anomaly</c> alert per outlet,
    /// pollutant and sub-kind while one holds (its id includes the sub-kind), cleared when it ends.
    /// </summary>
    private async Task CheckAnomaliesAsync(Registry.Outlet outlet, string cn, IReadOnlyList<Reading> readings, DateTimeOffset now, CancellationToken ct)
    {
        var enterprise = registry().FindEnterprise(outlet.EnterpriseId);
        var period = readings[0].Period;
        foreach (var f in _anomalies.Observe(outlet, cn, period, readings))
        {
            if (!f.Active)
            {
                if (await ChangedAsync(book.Resolve(AlertKinds.Anomaly, outlet.Mn, f.Pollutant, now, f.SubKind), ct) is { } ended)
                {
                    await EndEpisodeAsync(ended, period, ct);
                }

                continue;
            }

            string value = f.Value?.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) ?? "?";
            var raised = await ChangedAsync(book.Raise(AlertKinds.Anomaly, outlet.Mn, enterprise?.Id, enterprise?.City, f.Pollutant, f.Value, f.Bound, Local(f.Start), now,
                $"{outlet.Name} {f.Pollutant}: {f.SubKind} data since {f.Start:yyyy-MM-dd HH:mm} ({(cn == Cns.RealTime ? "real-time" : "hourly")} value {value})", null,
                Params(("outlet", outlet.Name), ("pollutant", f.Pollutant), ("value", value), ("since", f.Start.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)),
                    ("basis", cn == Cns.RealTime ? "realtime" : "hourly"), ("limit", f.Bound?.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture))),
                f.SubKind), ct);
            if (raised is not null)
            {
                var episode = new Compliance.Anomalies.AnomalyEpisode(raised.Id, outlet.Mn, enterprise?.Id, enterprise?.City, f.Pollutant, f.SubKind,
                    cn == Cns.RealTime ? "realtime" : "hourly", f.Start, null, f.Value, raised.RaisedAt);
                _episodes[raised.Id] = episode;
                await store.SaveDocumentAsync(episode.ToRecord(), ct);
            }
        }
    }

    /// <summary>The anomaly's episode ends at the record that no longer shows it (an episode from before a restart is read back from the store).</summary>
    private async Task EndEpisodeAsync(Alert ended, DateTime at, CancellationToken ct)
    {
        if (!_episodes.Remove(ended.Id, out var episode))
        {
            var stored = (await store.QueryDocumentsAsync(Compliance.Anomalies.AnomalyEpisode.Kind, ended.Mn, ct)).FirstOrDefault(d => d.Id == ended.Id);
            if (stored is null)
            {
                return;
            }

            episode = Compliance.Anomalies.AnomalyEpisode.FromJson(stored.Json);
        }

        await store.SaveDocumentAsync((episode with { End = at }).ToRecord(), ct);
    }

    /// <summary>
    /// A <c>warning</c> per process parameter (registry <c>processLimits</c>, e.g. the furnace
    /// temperature <c>a01901</c> of HJ 212-2025's CN 2111 5-minute means, or a real-time value)
    /// beyond its bound; cleared by the next value within it. Process parameters are watched only:
    /// they never enter rates, exceedances or cards.
    /// </summary>
    private async Task CheckProcessLimitsAsync(Registry.Outlet outlet, IReadOnlyList<Reading> readings, DateTimeOffset now, CancellationToken ct)
    {
        var enterprise = registry().FindEnterprise(outlet.EnterpriseId);
        foreach (var r in readings)
        {
            if (r.Invalid is not null || !outlet.ProcessLimits!.TryGetValue(r.Pollutant, out var limit) || (r.Avg ?? r.Rtd) is not { } v || !double.IsFinite(v))
            {
                continue;
            }

            string name = Hj212.Codes.CodeCatalogue.Find(r.Pollutant)?.EnglishName ?? r.Pollutant;
            await ChangedAsync(RealTimeWarning.Crossed(v, limit) is { } bound
                ? book.Raise(AlertKinds.Warning, outlet.Mn, enterprise?.Id, enterprise?.City, r.Pollutant, v, bound, Local(r.Period), now,
                    $"{outlet.Name} {r.Pollutant} ({name}) {v.ToString(System.Globalization.CultureInfo.InvariantCulture)} {(v < bound ? "below" : "above")} process limit {bound.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
                    v < bound ? "alert.process-below" : "alert.process-above", Params(("outlet", outlet.Name), ("pollutant", r.Pollutant), ("value", N(v)), ("limit", N(bound))))
                : book.Resolve(AlertKinds.Warning, outlet.Mn, r.Pollutant, now), ct);
        }
    }

    /// <summary>
    /// A <c>check-failed</c> alert per pollutant whose standard-sample check (CN 2062) reports
    /// <c>-ResultType=0</c>; a later passing check (<c>1</c>) clears it.
    /// </summary>
    private async Task CheckStandardSampleAsync(Registry.Outlet outlet, Hj212.Packets.Hj212Packet check, DateTimeOffset now, CancellationToken ct)
    {
        var enterprise = registry().FindEnterprise(outlet.EnterpriseId);
        foreach (var v in check.Values.Where(v => string.Equals(v.Suffix, "ResultType", StringComparison.OrdinalIgnoreCase)))
        {
            if (v.Number == 0)
            {
                var standard = check.Values.FirstOrDefault(x => x.Code == v.Code && string.Equals(x.Suffix, "StandardValue", StringComparison.OrdinalIgnoreCase))?.Number;
                var measured = check.Values.FirstOrDefault(x => x.Code == v.Code && string.Equals(x.Suffix, "SampleRd", StringComparison.OrdinalIgnoreCase))?.Number;
                var at = check.DataTime is { } t ? Local(t) : now;
                await ChangedAsync(book.Raise(AlertKinds.CheckFailed, outlet.Mn, enterprise?.Id, enterprise?.City, v.Code, (double?)measured, (double?)standard, at, now,
                    $"{outlet.Name} {v.Code}: standard-sample check failed (measured {measured?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}, standard {standard?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"})",
                    null, Params(("outlet", outlet.Name), ("pollutant", v.Code), ("measured", measured?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                        ("standard", standard?.ToString(System.Globalization.CultureInfo.InvariantCulture)))), ct);
            }
            else if (v.Number == 1)
            {
                await ChangedAsync(book.Resolve(AlertKinds.CheckFailed, outlet.Mn, v.Code, now), ct);
            }
        }
    }

    private async Task CheckSilentAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var current = registry();
        foreach (var outlet in current.Outlets)
        {
            var last = _lastSeen.GetOrAdd(outlet.Mn, now);
            if (now - last >= options.SilentAfter)
            {
                var e = current.FindEnterprise(outlet.EnterpriseId);
                await ChangedAsync(book.Raise(AlertKinds.Silent, outlet.Mn, e?.Id, e?.City, null, null, null, last, now,
                    $"{outlet.Name}: no accepted frame since {TimeZoneInfo.ConvertTime(last, timeZone):yyyy-MM-dd HH:mm:ss}", null,
                    Params(("outlet", outlet.Name), ("since", TimeZoneInfo.ConvertTime(last, timeZone).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)))), ct);
            }
        }
    }

    /// <summary>
    /// Every Barometer:CheckInterval, this year's barometer: a city and pollutant whose level changed
    /// gets a new <c>barometer</c> alert (yellow or red; the alert's <c>mn</c> names the city), its
    /// previous one cleared; back to green clears it.
    /// </summary>
    private async Task CheckBarometerAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (barometer is null || now < _barometerDue || compliance.CityTargets.Count == 0)
        {
            return;
        }

        _barometerDue = now + barometer.CheckInterval;
        IReadOnlyList<BarometerResult> rows;
        try
        {
            rows = await reports().BarometerAsync(TimeZoneInfo.ConvertTime(now, timeZone).Year, barometer, ct);
        }
        catch (Exception e) when (e is StoreUnavailableException or InvalidOperationException or IOException or Microsoft.Data.Sqlite.SqliteException)
        {
            LogBarometerFailed(logger, e.Message);
            return;
        }

        foreach (var row in rows.Where(r => r.City is not null))
        {
            var key = (row.City!, row.Pollutant);
            string before = _barometerLevels.GetValueOrDefault(key, "green");
            _barometerLevels[key] = row.Level;
            if (before == row.Level)
            {
                continue;
            }

            await ChangedAsync(book.Resolve(AlertKinds.Barometer, row.City!, row.Pollutant, now), ct);
            if (row.Level != "green")
            {
                await ChangedAsync(book.Raise(AlertKinds.Barometer, row.City!, null, row.City, row.Pollutant, row.Progress, row.Level == "red" ? barometer.RedAt : barometer.YellowAt, now, now,
                    $"{row.City} {row.Pollutant}: {row.Level} — {row.YtdKg / 1000:F1} t of {row.AllocationKg / 1000:F1} t, {row.Progress * 100:F0}% of the pace expected to date", null,
                    Params(("city", row.City), ("pollutant", row.Pollutant), ("level", row.Level), ("ytdT", N(Math.Round(row.YtdKg / 1000, 1))),
                        ("allocationT", N(Math.Round(row.AllocationKg / 1000, 1))), ("progress", N(Math.Round((row.Progress ?? 0) * 100))))), ct);
            }
        }
    }

    /// <summary>A <c>key-age</c> alert per terminal whose current SM4 key is older than Security:KeyMaxAge; cleared by a new key.</summary>
    private async Task CheckKeyAgeAsync(CancellationToken ct)
    {
        if (keys is null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var current = registry();
        foreach (var outlet in current.Outlets)
        {
            if (keys.Info(outlet.Mn) is { TooOld: true } info)
            {
                var e = current.FindEnterprise(outlet.EnterpriseId);
                await ChangedAsync(book.Raise(AlertKinds.KeyAge, outlet.Mn, e?.Id, e?.City, null, info.AgeDays, null, info.CreatedAt, now,
                    $"{outlet.Name}: SM4 key {info.AgeDays:F0} days old (since {TimeZoneInfo.ConvertTime(info.CreatedAt, timeZone):yyyy-MM-dd}); rotate it", null,
                    Params(("outlet", outlet.Name), ("days", N(Math.Round(info.AgeDays))), ("since", TimeZoneInfo.ConvertTime(info.CreatedAt, timeZone).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))), ct);
            }
            else
            {
                await ChangedAsync(book.Resolve(AlertKinds.KeyAge, outlet.Mn, null, now), ct);
            }
        }
    }

    private async Task CheckLowRateAsync(CancellationToken ct)
    {
        var local = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), timeZone).DateTime;
        var today = DateOnly.FromDateTime(local);
        if (today == _lowRateDone)
        {
            return;
        }

        _lowRateDone = today;
        var yesterday = new ReportPeriod(local.Date.AddDays(-1), local.Date);
        var current = registry();
        var report = reports();
        var rates = await report.RatesAsync(new ReportRequest("rates", yesterday, By: "outlet"), ct);
        var now = clock.GetUtcNow();
        foreach (var rate in rates)
        {
            string mn = rate.Scope.Mn!;
            var e = current.FindEnterprise(rate.Scope.Enterprise);
            double? effective = rate.Counts.EffectiveRate;
            await ChangedAsync(rate.BelowThreshold
                ? book.Raise(AlertKinds.LowRate, mn, e?.Id, e?.City, null, effective, compliance.RateThreshold, Local(yesterday.From), now,
                    $"{mn}: effective transmission rate {(effective ?? 0) * 100:0.0}% on {yesterday.From:yyyy-MM-dd} below {compliance.RateThreshold * 100:0}%", null,
                    Params(("outlet", current.FindOutlet(mn)?.Name ?? mn), ("rate", N(Math.Round((effective ?? 0) * 100, 1))), ("day", yesterday.From.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
                        ("threshold", N(Math.Round(compliance.RateThreshold * 100)))))
                : book.Resolve(AlertKinds.LowRate, mn, null, now), ct);
        }

        await CheckCardsAsync(report, current, local, now, ct);
    }

    /// <summary>
    /// A <c>card</c> alert per enterprise whose current quarter so far meets a card condition (keyed
    /// to the outlet its first reason names, or its first outlet); cleared when it no longer does.
    /// </summary>
    private async Task CheckCardsAsync(ReportService report, StationRegistry current, DateTime local, DateTimeOffset now, CancellationToken ct)
    {
        var quarter = ReportPeriod.QuarterOf(local);
        var cards = await report.CardsAsync(new ReportRequest("cards", new ReportPeriod(quarter.From, local)), ct);
        var carded = cards.ToDictionary(r => r.Scope.Enterprise!, r => r.Card, StringComparer.Ordinal);
        foreach (var enterprise in current.Enterprises.Where(e => e.Outlets.Count > 0))
        {
            if (carded.TryGetValue(enterprise.Id, out var card) && card.DecisionState != Compliance.Cards.CardDecision.Dismissed) // a dismissed card asks nothing more
            {
                string mn = enterprise.Outlets.Select(o => o.Mn).FirstOrDefault(m => card.Reasons.Any(r => r.Mn == m)) ?? enterprise.Outlets[0].Mn;
                await ChangedAsync(book.Raise(AlertKinds.Card, mn, enterprise.Id, enterprise.City, null, null, null, Local(quarter.From), now,
                    $"{enterprise.Name}: {card.Colour} card proposed for {card.Quarter} ({string.Join("; ", card.Reasons)})", null,
                    Params(("enterprise", enterprise.Name), ("colour", card.Colour), ("quarter", card.Quarter))), ct);
            }
            else
            {
                foreach (var outlet in enterprise.Outlets)
                {
                    await ChangedAsync(book.Resolve(AlertKinds.Card, outlet.Mn, null, now), ct);
                }
            }
        }
    }

    private DateTimeOffset Local(DateTime t) => new(t, timeZone.GetUtcOffset(t));

    private async Task<Alert?> ChangedAsync(Alert? alert, CancellationToken ct)
    {
        if (alert is null)
        {
            return null;
        }

        await store.SaveAlertAsync(alert, ct);
        await publisher.PublishAsync(Topics.Alerts(alert.Severity), AlertJson.Serialize(alert, timeZone), ct);
        Changed?.Invoke(alert);
        Log(alert);
        return alert;
    }

    private readonly Lock _logLock = new();
    private readonly Dictionary<string, int> _raisedInWindow = new(StringComparer.Ordinal);
    private long _warningsRaised, _warningsCleared, _repeatedRaised, _repeatedClosed;
    private DateTimeOffset _summaryAt = DateTimeOffset.MinValue;

    /// <summary>
    /// WARN is for what needs a person: an alert raised. What comes by the thousand goes to Debug and
    /// is summed up every Alerts:LogSummaryInterval (<see cref="LogSummary"/>): real-time warnings,
    /// and an alert of the same kind, outlet and pollutant raised again within the interval (a
    /// flapping condition, or a terminal replaying hours of history: each is still an alert, on the
    /// board and the topic). Acknowledging and clearing are Information.
    /// </summary>
    private void Log(Alert alert)
    {
        string key = $"{alert.Kind}|{alert.SubKind}|{alert.Mn}|{alert.Pollutant}";
        bool repeated;
        lock (_logLock)
        {
            if (alert.Kind == AlertKinds.Warning)
            {
                if (alert.State == Alert.Active)
                {
                    _warningsRaised++;
                }
                else
                {
                    _warningsCleared++;
                }

                repeated = true;
            }
            else if (alert.State == Alert.Active)
            {
                int n = _raisedInWindow[key] = _raisedInWindow.GetValueOrDefault(key) + 1;
                repeated = n > 1;
                _repeatedRaised += repeated ? 1 : 0;
            }
            else
            {
                repeated = _raisedInWindow.GetValueOrDefault(key) > 1;
                _repeatedClosed += repeated ? 1 : 0;
            }
        }

        if (repeated)
        {
            LogRepeated(logger, alert.Kind, alert.State, alert.Mn, alert.Pollutant ?? "-", alert.Message);
        }
        else if (alert.State == Alert.Active)
        {
            LogChanged(logger, alert.Kind, alert.State, alert.Mn, alert.Pollutant ?? "-", alert.Message);
        }
        else
        {
            LogClosed(logger, alert.Kind, alert.State, alert.Mn, alert.Pollutant ?? "-", alert.Message);
        }
    }

    /// <summary>One line for what went to Debug since the last one, when there was any.</summary>
    private void LogSummary()
    {
        var now = clock.GetUtcNow();
        long raised, cleared, again, closed;
        lock (_logLock)
        {
            if (_summaryAt == DateTimeOffset.MinValue)
            {
                _summaryAt = now;
                return;
            }

            if (now - _summaryAt < options.LogSummaryInterval)
            {
                return;
            }

            (raised, cleared, again, closed) = (_warningsRaised, _warningsCleared, _repeatedRaised, _repeatedClosed);
            _warningsRaised = _warningsCleared = _repeatedRaised = _repeatedClosed = 0;
            _raisedInWindow.Clear();
        }

        double minutes = (now - _summaryAt).TotalMinutes;
        _summaryAt = now;
        if (raised + cleared > 0)
        {
            LogWarningSummary(logger, raised, cleared, book.All().Count(a => a.IsOpen && a.Kind == AlertKinds.Warning), minutes);
        }

        if (again + closed > 0)
        {
            LogRepeatedSummary(logger, again, closed, minutes);
        }
    }

    /// <summary>A message's parameters (text values; numbers in the invariant form).</summary>
    private static Dictionary<string, string?> Params(params (string Key, string? Value)[] items) => items.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static Dictionary<string, string?> With(IReadOnlyDictionary<string, string?>? given, params (string Key, string? Value)[] items)
    {
        var all = Params(items);
        foreach (var (key, value) in given ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return all;
    }

    private static string N(double v) => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Alert {Kind} {State} for {Mn} {Pollutant}: {Message}")]
    private static partial void LogChanged(ILogger logger, string kind, string state, string mn, string pollutant, string message);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Alert {Kind} {State} for {Mn} {Pollutant}: {Message}")]
    private static partial void LogClosed(ILogger logger, string kind, string state, string mn, string pollutant, string message);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Debug, Message = "Alert {Kind} {State} for {Mn} {Pollutant} (again within the summary interval): {Message}")]
    private static partial void LogRepeated(ILogger logger, string kind, string state, string mn, string pollutant, string message);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "Alerts raised again within the last {Minutes:0} min (flapping conditions or replayed history): {Raised} raised, {Closed} acknowledged or cleared")]
    private static partial void LogRepeatedSummary(ILogger logger, long raised, long closed, double minutes);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Real-time warnings: {Raised} raised and {Cleared} cleared in the last {Minutes:0} min; {Open} open")]
    private static partial void LogWarningSummary(ILogger logger, long raised, long cleared, int open, double minutes);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "The barometer could not be computed: {Reason}")]
    private static partial void LogBarometerFailed(ILogger logger, string reason);
}
