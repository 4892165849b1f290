using EmissionMonitor.Compliance.Anomalies;
using EmissionMonitor.Hj212;
using EmissionMonitor.Storage;
using static EmissionMonitor.Alerts.Rules.AlertText;

namespace EmissionMonitor.Alerts.Rules;

/// <summary>
/// The data-anomaly rules (<c>Anomalies:*</c>) on real-time and hourly records: an <c>anomaly</c>
/// alert per outlet, pollutant and sub-kind while one holds (its id includes the sub-kind), cleared
/// when it ends; each is kept as an episode (a document) with its start and end.
/// </summary>
public sealed class AnomalyRule(IRecordStore store, AnomalyOptions? options = null) : IAlertRule
{
    private readonly AnomalyDetector _anomalies = new(options ?? new AnomalyOptions());
    private readonly Dictionary<string, AnomalyEpisode> _episodes = new(StringComparer.Ordinal);

    public async ValueTask OnCommittedAsync(CommittedFrame frame, IAlertDesk desk, CancellationToken ct)
    {
        var readings = frame.Item.Readings;
        if (!frame.IsNewReadings || !frame.Live || frame.Cn is not (Cns.RealTime or Cns.Hourly) || readings.Count == 0)
        {
            return;
        }

        var (outlet, enterprise, cn) = (frame.Outlet, frame.Enterprise, frame.Cn);
        var period = readings[0].Period;
        foreach (var f in _anomalies.Observe(outlet, cn, period, readings))
        {
            if (!f.Active)
            {
                if (await desk.ResolveAsync(AlertKinds.Anomaly, outlet.Mn, f.Pollutant, ct, f.SubKind) is { } ended)
                {
                    await EndEpisodeAsync(ended, period, ct);
                }

                continue;
            }

            string value = f.Value?.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) ?? "?";
            string basis = cn == Cns.RealTime ? "realtime" : "hourly";
            var raised = await desk.RaiseAsync(AlertDraft.For(AlertKinds.Anomaly, outlet, enterprise, f.Pollutant, f.Value, f.Bound, desk.Local(f.Start),
                $"{outlet.Name} {f.Pollutant}: {f.SubKind} data since {f.Start:yyyy-MM-dd HH:mm} ({(cn == Cns.RealTime ? "real-time" : "hourly")} value {value})") with
            {
                SubKind = f.SubKind,
                Params = Params(("outlet", outlet.Name), ("pollutant", f.Pollutant), ("value", value), ("since", f.Start.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)),
                    ("basis", basis), ("limit", f.Bound?.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture))),
            }, ct);
            if (raised is not null)
            {
                var episode = new AnomalyEpisode(raised.Id, outlet.Mn, enterprise?.Id, enterprise?.City, f.Pollutant, f.SubKind, basis, f.Start, null, f.Value, raised.RaisedAt);
                _episodes[raised.Id] = episode;
                await store.SaveAsync(DocumentRecords.AnomalyEpisodes, episode, ct);
            }
        }
    }

    /// <summary>The anomaly's episode ends at the record that no longer shows it (an episode from before a restart is read back from the store).</summary>
    private async Task EndEpisodeAsync(Alert ended, DateTime at, CancellationToken ct)
    {
        if (!_episodes.Remove(ended.Id, out var episode))
        {
            var stored = (await store.QueryAsync(DocumentRecords.AnomalyEpisodes, ended.Mn, ct)).FirstOrDefault(e => e.Id == ended.Id);
            if (stored is null)
            {
                return;
            }

            episode = stored;
        }

        await store.SaveAsync(DocumentRecords.AnomalyEpisodes, episode with { End = at }, ct);
    }
}
