using System.Globalization;
using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Exceedance;
using EmissionMonitor.Compliance.Rates;
using EmissionMonitor.Hj212;
using static EmissionMonitor.Alerts.Rules.AlertText;

namespace EmissionMonitor.Alerts.Rules;

/// <summary>
/// Back-filled data (older than <c>Alerts:LiveWindow</c>, or RF=1) raises no live alert: it updates
/// every figure as always, and the outlet's one <c>backfill</c> alert (info) — how many periods
/// arrived, from when to when, and how many exceedance episodes they hold — written again at most
/// every few seconds while more arrives, and cleared once none has come for <c>Alerts:BackfillQuiet</c>.
/// Nothing is hidden: the episodes are in the reports, the count is on the board.
/// </summary>
public sealed class BackfillRule(ComplianceOptions compliance, AlertOptions options) : IAlertRule
{
    /// <summary>How often an open backfill alert is written again while data keeps coming.</summary>
    private static readonly TimeSpan UpdateEvery = TimeSpan.FromSeconds(5);

    private readonly RateCalculator _rates = new(compliance);
    private readonly Dictionary<string, Backfill> _open = new(StringComparer.Ordinal);

    private sealed class Backfill(Registry.Outlet outlet, Registry.Enterprise? enterprise)
    {
        public Registry.Outlet Outlet { get; } = outlet;

        public Registry.Enterprise? Enterprise { get; } = enterprise;

        public HashSet<(string Cn, DateTime Period)> Periods { get; } = [];

        public DateTime From { get; set; } = DateTime.MaxValue;

        public DateTime To { get; set; } = DateTime.MinValue;

        public int Episodes { get; set; }

        /// <summary>Per pollutant, the end of the last exceeding period seen (an episode continues when the next one starts there).</summary>
        public Dictionary<string, DateTime> ExceedingUntil { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset LastAt { get; set; }

        public DateTimeOffset WrittenAt { get; set; }

        public bool Raised { get; set; }

        public bool Dirty { get; set; }
    }

    /// <summary>The outlets with back-fill in progress (tests).</summary>
    public int Open => _open.Count;

    public async ValueTask OnCommittedAsync(CommittedFrame frame, IAlertDesk desk, CancellationToken ct)
    {
        if (frame.Live || !frame.IsNewReadings || frame.Item.Readings.Count == 0)
        {
            return;
        }

        var outlet = frame.Outlet;
        if (!_open.TryGetValue(outlet.Mn, out var b))
        {
            _open[outlet.Mn] = b = new Backfill(outlet, frame.Enterprise);
        }

        var readings = frame.Item.Readings;
        var period = readings[0].Period;
        b.Periods.Add((frame.Cn ?? string.Empty, period));
        b.From = period < b.From ? period : b.From;
        b.To = period > b.To ? period : b.To;
        b.LastAt = frame.Now;
        b.Dirty = true;
        if (frame.Cn is Cns.Hourly or Cns.Daily)
        {
            var detector = new ExceedanceDetector(compliance, _rates.Validity);
            foreach (var pollutant in outlet.Limits.Keys)
            {
                foreach (var p in detector.Assess(outlet, pollutant, frame.Cn == Cns.Hourly ? readings : [], frame.Cn == Cns.Daily ? readings : []).Where(p => p.Exceeds))
                {
                    var end = p.Start.AddHours(frame.Cn == Cns.Daily ? 24 : 1);
                    if (!b.ExceedingUntil.TryGetValue(pollutant, out var until) || until != p.Start)
                    {
                        b.Episodes++; // a new run of exceeding periods
                    }

                    b.ExceedingUntil[pollutant] = end;
                }
            }
        }

        if (!b.Raised)
        {
            b.Raised = true;
            b.WrittenAt = frame.Now;
            b.Dirty = false;
            await desk.RaiseAsync(Draft(b, desk), ct);
        }
    }

    public async ValueTask OnTickAsync(IAlertDesk desk, CancellationToken ct)
    {
        var now = desk.Now;
        foreach (var (mn, b) in _open.ToList())
        {
            if (now - b.LastAt >= options.BackfillQuiet)
            {
                _open.Remove(mn);
                await desk.UpdateAsync(AlertKinds.Backfill, mn, null, a => Write(a, b, desk), ct);
                await desk.ResolveAsync(AlertKinds.Backfill, mn, null, ct);
            }
            else if (b.Dirty && now - b.WrittenAt >= UpdateEvery)
            {
                b.Dirty = false;
                b.WrittenAt = now;
                await desk.UpdateAsync(AlertKinds.Backfill, mn, null, a => Write(a, b, desk), ct);
            }
        }
    }

    private static AlertDraft Draft(Backfill b, IAlertDesk desk)
    {
        var (message, parameters) = Text(b);
        return AlertDraft.For(AlertKinds.Backfill, b.Outlet, b.Enterprise, null, b.Periods.Count, b.Episodes, desk.Local(b.From), message) with { Params = parameters, DataTo = desk.Local(b.To) };
    }

    private static Alert Write(Alert alert, Backfill b, IAlertDesk desk)
    {
        var (message, parameters) = Text(b);
        return alert with { Value = b.Periods.Count, Limit = b.Episodes, Message = message, Params = parameters, DataFrom = desk.Local(b.From), DataTo = desk.Local(b.To) };
    }

    private static (string Message, Dictionary<string, string?> Params) Text(Backfill b)
    {
        string from = b.From.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), to = b.To.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return ($"{b.Outlet.Name}: back-filled data, {b.Periods.Count} periods from {from} to {to}, {b.Episodes} exceedance episode(s)",
            Params(("outlet", b.Outlet.Name), ("periods", b.Periods.Count.ToString(CultureInfo.InvariantCulture)), ("from", from), ("to", to),
                ("episodes", b.Episodes.ToString(CultureInfo.InvariantCulture))));
    }
}
