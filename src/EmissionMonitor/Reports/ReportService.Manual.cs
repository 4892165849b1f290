using EmissionMonitor.Compliance.Manual;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Reports;

public sealed partial class ReportService
{
    /// <summary>The hours the approved manual samples stand for (of one outlet, or all): read from the store's manual-data records (a few per outage).</summary>
    private async Task<ManualHours> ManualHoursAsync(string? mn, CancellationToken ct) =>
        ManualHours.Of(await store.QueryAsync(DocumentRecords.ManualData, mn, ct));

    /// <summary>
    /// The periods approved manual samples judge for exceedance among <paramref name="group"/>'s outlets
    /// in [from, to), by outlet and pollutant: an hour (hourly basis) or a day (water daily basis)
    /// without a valid automatic value, compared with the limit — only those crossing a bound (as the
    /// stored exceeding hours), since any other period ends an episode.
    /// </summary>
    private async Task<Dictionary<(string Mn, string Pollutant), List<Compliance.Exceedance.AssessedPeriod>>> ManualPeriodsAsync(ReportRequest r,
        IEnumerable<Registry.Outlet> group, FactSource facts, DateTime from, DateTime to, CancellationToken ct)
    {
        var result = new Dictionary<(string, string), List<Compliance.Exceedance.AssessedPeriod>>();
        if (!facts.Manual.Any)
        {
            return result;
        }

        var withManual = facts.Manual.Outlets.ToHashSet(StringComparer.Ordinal);
        foreach (var outlet in group.Where(o => withManual.Contains(o.Mn)))
        {
            var byPollutant = Assessed(outlet, r).Select(p => (Pollutant: p, Hours: facts.Manual.Of(outlet.Mn, p).Where(h => h.Key >= from && h.Key < to).ToList()))
                .Where(x => x.Hours.Count > 0).ToList();
            if (byPollutant.Count == 0)
            {
                continue;
            }

            // The outlet's day facts of the days its samples stand in, read once for all its pollutants.
            var outletFacts = (await facts.DaysAsync(byPollutant.Min(x => x.Hours[0].Key).Date, byPollutant.Max(x => x.Hours[^1].Key).Date.AddDays(1), outlet.Mn, ct))
                .ToDictionary(f => (f.Pollutant, f.Day));
            foreach (var (pollutant, hours) in byPollutant)
            {
                var periods = ManualPeriods(outlet, pollutant, hours, outletFacts);
                periods.RemoveAll(p => !p.Exceeds);
                if (periods.Count > 0)
                {
                    result[(outlet.Mn, pollutant)] = periods;
                }
            }
        }

        return result;
    }

    /// <summary>
    /// The periods an outlet's manual samples of a pollutant stand in, compared with its limit: each sampled hour without a valid
    /// automatic value (hourly basis), or each sampled day without its automatic mean, by the mean of its samples (water daily basis).
    /// </summary>
    private List<Compliance.Exceedance.AssessedPeriod> ManualPeriods(Registry.Outlet outlet, string pollutant, List<KeyValuePair<DateTime, ManualHour>> hours,
        Dictionary<(string Pollutant, DateTime Day), Compliance.Summaries.DayFact> outletFacts)
    {
        var limit = outlet.Limits[pollutant];
        var periods = new List<Compliance.Exceedance.AssessedPeriod>();
        if (Compliance.Exceedance.ExceedanceDetector.Basis(outlet, limit) == "hour")
        {
            foreach (var (hour, sample) in hours)
            {
                if (outletFacts.GetValueOrDefault((pollutant, hour.Date)) is { } fact && (fact.ValidMask & (1 << hour.Hour)) != 0)
                {
                    continue; // a valid automatic value comes first
                }

                periods.Add(Compliance.Exceedance.ExceedanceDetector.Compare(hour, hour.AddHours(1), (sample.Value, Compliance.Exceedance.ValueKinds.Manual), limit));
            }

            return periods;
        }

        foreach (var day in hours.GroupBy(h => h.Key.Date))
        {
            if (outletFacts.GetValueOrDefault((pollutant, day.Key))?.WaterDayValue(options.WaterDailyMinHours) is not null)
            {
                continue; // the day has its automatic mean
            }

            periods.Add(Compliance.Exceedance.ExceedanceDetector.Compare(day.Key, day.Key.AddDays(1), (day.Average(h => h.Value.Value), Compliance.Exceedance.ValueKinds.Manual), limit));
        }

        return periods;
    }

    /// <summary>
    /// The table of <c>report manual</c> and <c>GET /api/manual-data</c>: a row per sample of the
    /// report's outlets sampled in its period (with <paramref name="state"/>, only those in it), oldest
    /// first, with how many hours it stands for now — from one read of the records.
    /// </summary>
    public async Task<ReportTable> ManualTableAsync(ReportRequest r, string? state, CancellationToken ct)
    {
        var all = await store.QueryAsync(DocumentRecords.ManualData, r.Mn, ct);
        var outlets = Outlets(r).Select(o => o.Mn).ToHashSet(StringComparer.Ordinal);
        var samples = all.Where(s => outlets.Contains(s.Mn) && s.SampledAt >= r.Period.From && s.SampledAt < r.Period.To)
            .Where(s => r.Pollutant is null || s.Pollutant == r.Pollutant)
            .Where(s => state is null || s.State == state)
            .OrderBy(s => s.SampledAt).ThenBy(s => s.Mn, StringComparer.Ordinal).ThenBy(s => s.Id, StringComparer.Ordinal)
            .ToList();
        var hours = samples.Count == 0 ? ManualHours.None : ManualHours.Of(all);
        var rows = samples.Select(s =>
        {
            var outlet = registry.FindOutlet(s.Mn)!;
            return (Key(outlet, s.Pollutant, "pollutant"), s, hours.Of(s.Mn, s.Pollutant).Count(h => h.Value.SampleId == s.Id));
        }).ToList();
        return ReportTables.Manual(rows, timeZone);
    }
}
