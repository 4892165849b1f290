using System.Collections.Concurrent;
using EmissionMonitor.Compliance;
using EmissionMonitor.Reports;
using EmissionMonitor.Storage;
using static EmissionMonitor.Alerts.Rules.AlertText;

namespace EmissionMonitor.Alerts.Rules;

/// <summary>
/// <c>silent</c>: an outlet with no accepted frame for <c>Alerts:SilentAfter</c> (counted from the
/// service's start for one never seen), cleared by its next frame; or whose hourly records stopped
/// for <c>Alerts:HourlyMissingAfter</c> while other frames still come (message key
/// <c>alert.silent.hourly</c>), cleared by its next hourly record. It keeps when each outlet was last seen.
/// </summary>
public sealed class SilentRule(AlertOptions options, Func<Registry.StationRegistry> registry) : IAlertRule
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastSeen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastHourly = new(StringComparer.Ordinal);

    /// <summary>When the outlet's last accepted live frame arrived (or the service started), or null.</summary>
    public DateTimeOffset? LastSeen(string mn) => _lastSeen.TryGetValue(mn, out var t) ? t : null;

    /// <summary>Every outlet of the registry counts as seen (and as having sent its hourly record) when the service starts.</summary>
    public void Start(DateTimeOffset now)
    {
        foreach (var outlet in registry().Outlets)
        {
            _lastSeen.TryAdd(outlet.Mn, now);
            _lastHourly.TryAdd(outlet.Mn, now);
        }
    }

    public async ValueTask OnCommittedAsync(CommittedFrame frame, IAlertDesk desk, CancellationToken ct)
    {
        _lastSeen[frame.Outlet.Mn] = frame.Now;
        if (frame.Cn == Hj212.Cns.Hourly)
        {
            _lastHourly[frame.Outlet.Mn] = frame.Now;
        }

        if (!HourlyMissing(frame.Outlet.Mn, frame.Now))
        {
            await desk.ResolveAsync(AlertKinds.Silent, frame.Outlet.Mn, null, ct);
        }
    }

    public async ValueTask OnTickAsync(IAlertDesk desk, CancellationToken ct)
    {
        var now = desk.Now;
        var current = registry();
        foreach (var outlet in current.Outlets)
        {
            var last = _lastSeen.GetOrAdd(outlet.Mn, now);
            bool silent = now - last >= options.SilentAfter;
            if (silent || HourlyMissing(outlet.Mn, now))
            {
                var since = silent ? last : _lastHourly[outlet.Mn];
                string text = desk.LocalText(since, "yyyy-MM-dd HH:mm:ss");
                await desk.RaiseAsync(AlertDraft.For(AlertKinds.Silent, outlet, current.FindEnterprise(outlet.EnterpriseId), null, null, null, since,
                    silent ? $"{outlet.Name}: no accepted frame since {text}" : $"{outlet.Name}: no hourly record (CN 2061) since {text}") with
                {
                    Params = Params(("outlet", outlet.Name), ("since", text)), MessageKey = silent ? null : "alert.silent.hourly",
                }, ct);
            }
        }
    }

    /// <summary>The outlet's hourly records stopped for Alerts:HourlyMissingAfter (off at 0).</summary>
    private bool HourlyMissing(string mn, DateTimeOffset now) =>
        options.HourlyMissingAfter > TimeSpan.Zero && now - _lastHourly.GetOrAdd(mn, now) >= options.HourlyMissingAfter;
}

/// <summary>
/// Once a local day, at <c>Alerts:LowRateAt</c> (02:00): <c>low-rate</c> for each outlet whose
/// previous complete local day's effective rate is below the threshold (cleared when it is not) —
/// judged again for an outlet whenever late data for that day arrives, so a day completed by a
/// back-fill clears it. While back-filled data is arriving (a restart, a terminal catching up) the
/// judging waits until it has been quiet for <c>Alerts:BackfillQuiet</c>, an hour at most, so a day is not
/// judged on what has not come yet; and <c>card</c> for each enterprise whose current quarter so far meets a card
/// condition (keyed to the outlet its first reason names, or its first outlet; cleared when it no
/// longer does; a dismissed card asks nothing more).
/// </summary>
public sealed class DailyRule(ComplianceOptions compliance, Func<ReportService> reports, Func<Registry.StationRegistry> registry, AlertOptions? options = null) : IAlertRule
{
    private static readonly TimeSpan MostPostponed = TimeSpan.FromHours(1);
    private readonly AlertOptions _options = options ?? new AlertOptions();
    private readonly HashSet<string> _late = new(StringComparer.Ordinal);
    private DateOnly _done;
    private DateTimeOffset _lateDue, _backfillAt;
    private DateTimeOffset? _postponedSince;

    public ValueTask OnCommittedAsync(CommittedFrame frame, IAlertDesk desk, CancellationToken ct)
    {
        if (!frame.Live && frame.IsNewReadings)
        {
            _backfillAt = frame.Now;
        }

        if (_done != default && frame.IsNewReadings && frame.Cn is Hj212.Cns.Hourly or Hj212.Cns.Daily && frame.Item.Readings.Count > 0
            && DateOnly.FromDateTime(frame.Item.Readings[0].Period) == _done.AddDays(-1))
        {
            _late.Add(frame.Outlet.Mn); // the judged day got data late: judged again on the next tick
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask OnTickAsync(IAlertDesk desk, CancellationToken ct)
    {
        var local = TimeZoneInfo.ConvertTime(desk.Now, desk.Zone).DateTime;
        var today = DateOnly.FromDateTime(local);
        if (today != _done && local.TimeOfDay >= _options.LowRateAt && desk.Now - _backfillAt < _options.BackfillQuiet
            && desk.Now - (_postponedSince ??= desk.Now) < MostPostponed)
        {
            return; // back-filled data is still arriving: the day is judged once it is in
        }

        if (today == _done || local.TimeOfDay < _options.LowRateAt)
        {
            if (_late.Count > 0 && desk.Now >= _lateDue)
            {
                _lateDue = desk.Now + TimeSpan.FromSeconds(30); // late data comes in bursts: judged again at most twice a minute
                var outlets = _late.ToHashSet(StringComparer.Ordinal);
                _late.Clear();
                var day = _done.ToDateTime(TimeOnly.MinValue);
                await JudgeRatesAsync(desk, new ReportPeriod(day.AddDays(-1), day), outlets, ct);
            }

            return;
        }

        _done = today;
        _postponedSince = null;
        _late.Clear();
        var yesterday = new ReportPeriod(local.Date.AddDays(-1), local.Date);
        await JudgeRatesAsync(desk, yesterday, null, ct);
        await CheckCardsAsync(desk, reports(), registry(), local, ct);
    }

    private async Task JudgeRatesAsync(IAlertDesk desk, ReportPeriod yesterday, HashSet<string>? only, CancellationToken ct)
    {
        var current = registry();
        var report = reports();
        foreach (var rate in await report.RatesAsync(new ReportRequest("rates", yesterday, By: "outlet"), ct))
        {
            string mn = rate.Scope.Mn!;
            if (only is not null && !only.Contains(mn))
            {
                continue;
            }

            var e = current.FindEnterprise(rate.Scope.Enterprise);
            double? effective = rate.Counts.EffectiveRate;
            if (rate.BelowThreshold)
            {
                await desk.RaiseAsync(new AlertDraft(AlertKinds.LowRate, mn, e?.Id, e?.City, null, effective, compliance.RateThreshold, desk.Local(yesterday.From),
                    $"{mn}: effective transmission rate {(effective ?? 0) * 100:0.0}% on {yesterday.From:yyyy-MM-dd} below {compliance.RateThreshold * 100:0}%")
                {
                    DataTo = desk.Local(yesterday.To),
                    Params = Params(("outlet", current.FindOutlet(mn)?.Name ?? mn), ("rate", N(Math.Round((effective ?? 0) * 100, 1))),
                        ("day", yesterday.From.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), ("threshold", N(Math.Round(compliance.RateThreshold * 100)))),
                }, ct);
            }
            else
            {
                await desk.ResolveAsync(AlertKinds.LowRate, mn, null, ct);
            }
        }
    }

    private static async Task CheckCardsAsync(IAlertDesk desk, ReportService report, Registry.StationRegistry current, DateTime local, CancellationToken ct)
    {
        var quarter = ReportPeriod.QuarterOf(local);
        var cards = await report.CardsAsync(new ReportRequest("cards", new ReportPeriod(quarter.From, local)), ct);
        var carded = cards.ToDictionary(r => r.Scope.Enterprise!, r => r.Card, StringComparer.Ordinal);
        foreach (var enterprise in current.Enterprises.Where(e => e.Outlets.Count > 0))
        {
            if (carded.TryGetValue(enterprise.Id, out var card) && card.DecisionState != Compliance.Cards.CardDecision.Dismissed)
            {
                string mn = enterprise.Outlets.Select(o => o.Mn).FirstOrDefault(m => card.Reasons.Any(r => r.Mn == m)) ?? enterprise.Outlets[0].Mn;
                await desk.RaiseAsync(new AlertDraft(AlertKinds.Card, mn, enterprise.Id, enterprise.City, null, null, null, desk.Local(quarter.From),
                    $"{enterprise.Name}: {card.Colour} card proposed for {card.Quarter} ({string.Join("; ", card.Reasons)})")
                {
                    Params = Params(("enterprise", enterprise.Name), ("colour", card.Colour), ("quarter", card.Quarter)),
                }, ct);
            }
            else
            {
                foreach (var outlet in enterprise.Outlets)
                {
                    await desk.ResolveAsync(AlertKinds.Card, outlet.Mn, null, ct);
                }
            }
        }
    }
}

/// <summary>
/// Every Barometer:CheckInterval, this year's barometer: a city and pollutant whose level changed
/// gets a new <c>barometer</c> alert (yellow or red; the alert's <c>mn</c> names the city), its
/// previous one cleared; back to green clears it.
/// </summary>
public sealed partial class BarometerRule(ComplianceOptions compliance, BarometerOptions barometer, Func<ReportService> reports, ILogger<BarometerRule> logger) : IAlertRule
{
    private readonly Dictionary<(string City, string Pollutant), string> _levels = [];
    private DateTimeOffset _due = DateTimeOffset.MinValue;

    public async ValueTask OnTickAsync(IAlertDesk desk, CancellationToken ct)
    {
        var now = desk.Now;
        if (now < _due || compliance.CityTargets.Count == 0)
        {
            return;
        }

        _due = now + barometer.CheckInterval;
        IReadOnlyList<BarometerResult> rows;
        try
        {
            rows = await reports().BarometerAsync(TimeZoneInfo.ConvertTime(now, desk.Zone).Year, barometer, ct);
        }
        catch (Exception e) when (e is StoreUnavailableException or InvalidOperationException or IOException or Microsoft.Data.Sqlite.SqliteException)
        {
            LogBarometerFailed(logger, e.Message);
            return;
        }

        foreach (var row in rows.Where(r => r.City is not null))
        {
            var key = (row.City!, row.Pollutant);
            string before = _levels.GetValueOrDefault(key, "green");
            _levels[key] = row.Level;
            if (before == row.Level)
            {
                continue;
            }

            await desk.ResolveAsync(AlertKinds.Barometer, row.City!, row.Pollutant, ct);
            if (row.Level != "green")
            {
                await desk.RaiseAsync(new AlertDraft(AlertKinds.Barometer, row.City!, null, row.City, row.Pollutant, row.Progress, row.Level == "red" ? barometer.RedAt : barometer.YellowAt, now,
                    $"{row.City} {row.Pollutant}: {row.Level} — {row.YtdKg / 1000:F1} t of {row.AllocationKg / 1000:F1} t, {row.Progress * 100:F0}% of the pace expected to date")
                {
                    Params = Params(("city", row.City), ("pollutant", row.Pollutant), ("level", row.Level), ("ytdT", N(Math.Round(row.YtdKg / 1000, 1))),
                        ("allocationT", N(Math.Round(row.AllocationKg / 1000, 1))), ("progress", N(Math.Round((row.Progress ?? 0) * 100)))),
                }, ct);
            }
        }
    }

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "The barometer could not be computed: {Reason}")]
    private static partial void LogBarometerFailed(ILogger logger, string reason);
}
