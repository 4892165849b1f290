using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Facilities;
using EmissionMonitor.Hj212;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Reports;

/// <summary>A facility's episode with its enterprise; <see cref="Source"/> <c>power</c> (its power values) or <c>declared</c> (its declared production state, ST=45).</summary>
public sealed record FacilityRow(Enterprise Enterprise, Facility Facility, FacilityEpisode Episode, string Source = FacilityRow.Power)
{
    public const string Power = "power", DeclaredState = "declared";
}

/// <summary>
/// A finding over a span: <c>treatment-off</c> (a treatment facility stopped while a production
/// facility it serves runs), <c>shutdown-contradicted</c> (a production facility runs inside an
/// approved shutdown mark of the enterprise's outlets); the facilities it names with the values seen.
/// </summary>
public sealed record FacilityFinding(Enterprise Enterprise, string Kind, DateTime Start, DateTime End, Facility Facility, FacilityEpisode? FacilityState, Facility? Other,
    FacilityEpisode? OtherState, string? MarkId)
{
    /// <summary>For a shutdown claimed by F flags: the outlet whose hourly records were flagged F.</summary>
    public string? FlaggedMn { get; init; }
}

public sealed partial class ReportService
{
    /// <summary>
    /// The state episodes of every facility of the enterprises asked over [from, to), from the
    /// real-time and minute values of each facility's code sent by its outlets (<see cref="FacilityStates"/>);
    /// with <paramref name="declared"/>, a production facility's declared state (ST=45) too.
    /// </summary>
    public async Task<List<FacilityRow>> FacilityEpisodesAsync(ReportPeriod period, string? enterprise, FacilityOptions facilities, CancellationToken ct, bool declared = true)
    {
        var rows = new List<FacilityRow>();
        foreach (var e in registry.Enterprises.Where(e => e.Facilities.Count > 0 && (enterprise is null || e.Id == enterprise)))
        {
            foreach (var f in e.Facilities)
            {
                rows.AddRange((await EpisodesOfAsync(f, period, facilities, ct)).Select(ep => new FacilityRow(e, f, ep)));
                if (declared && f.DeclaredCode is not null)
                {
                    rows.AddRange((await EpisodesOfAsync(f.Declared(), period, facilities, ct)).Select(ep => new FacilityRow(e, f, ep, FacilityRow.DeclaredState)));
                }
            }
        }

        return rows;
    }

    /// <summary>A facility's episodes from the real-time and minute values of its code sent by its outlets.</summary>
    private async Task<List<FacilityEpisode>> EpisodesOfAsync(Facility f, ReportPeriod period, FacilityOptions facilities, CancellationToken ct)
    {
        var samples = new List<FacilitySample>();
        foreach (var mn in f.Outlets)
        {
            foreach (var cn in new[] { Cns.RealTime, Cns.Minute })
            {
                var readings = await store.QueryReadingsAsync(new ReadingQuery(cn, period.From - facilities.StaleAfter, period.To, mn, f.Code), ct);
                samples.AddRange(readings.Where(r => (r.Rtd ?? r.Avg) is { } v && double.IsFinite(v)).Select(r => new FacilitySample(r.Period, (r.Rtd ?? r.Avg)!.Value)));
            }
        }

        samples.Sort((a, b) => a.At.CompareTo(b.At));
        return FacilityStates.Episodes(f, samples, period.From, period.To, facilities.StaleAfter);
    }

    /// <summary>
    /// The findings of [from, to) from the episodes: each span of at least Facilities:MinMinutes where a
    /// treatment facility is stopped while a production facility it serves runs, and each span as long
    /// where a production facility runs inside a shutdown mark (approved, or pending: the review
    /// queue shows it) of one of the enterprise's outlets, or inside hours its outlets' records flag F.
    /// </summary>
    public async Task<List<FacilityFinding>> FacilityFindingsAsync(ReportPeriod period, string? enterprise, FacilityOptions facilities, CancellationToken ct)
    {
        var episodes = (await FacilityEpisodesAsync(period, enterprise, facilities, ct, declared: false)).ToLookup(r => (r.Enterprise.Id, r.Facility.Id)); // findings read the power only
        var minimum = TimeSpan.FromMinutes(facilities.MinMinutes);
        var findings = new List<FacilityFinding>();
        foreach (var e in registry.Enterprises.Where(e => e.Facilities.Count > 0 && (enterprise is null || e.Id == enterprise)))
        {
            List<FacilityEpisode> Of(Facility f) => episodes[(e.Id, f.Id)].Select(r => r.Episode).ToList();
            FacilityEpisode? During(Facility f, DateTime start, DateTime end) => Of(f).Where(x => x.Start < end && x.End > start).MaxBy(x => x.Samples);
            foreach (var treatment in e.Facilities.Where(f => f.Kind == Facility.Treatment))
            {
                foreach (var production in e.Facilities.Where(p => treatment.Serves.Contains(p.Id)))
                {
                    foreach (var (start, end) in FacilityStates.Together(Of(production), FacilityStates.Running, Of(treatment), FacilityStates.Stopped, minimum))
                    {
                        findings.Add(new FacilityFinding(e, FacilityStates.TreatmentOff, start, end, treatment, During(treatment, start, end), production, During(production, start, end), null));
                    }
                }
            }

            var shutdowns = new List<Compliance.Marks.Mark>();
            foreach (var outlet in e.Outlets)
            {
                shutdowns.AddRange((await store.QueryMarksAsync(period.From, period.To, outlet.Mn, ct))
                    .Where(m => m.Kind == Compliance.Marks.Mark.Shutdown && m.State is Compliance.Marks.Mark.Approved or Compliance.Marks.Mark.Pending)); // a claim under review is checked too
            }

            // A shutdown claimed by the data: hours the outlet's records flag F (stopped) while production runs.
            foreach (var outlet in e.Outlets)
            {
                foreach (var (production, run, start, end) in RunningDuring(e, Of, await StoppedHoursAsync(outlet.Mn, period, ct), minimum))
                {
                    findings.Add(new FacilityFinding(e, FacilityStates.ShutdownContradicted, start, end, production, run, null, null, null) { FlaggedMn = outlet.Mn });
                }
            }

            // A shutdown claimed by a mark while production runs.
            foreach (var mark in shutdowns.DistinctBy(m => m.Id))
            {
                foreach (var (production, run, start, end) in RunningDuring(e, Of, [(mark.From, mark.To)], minimum))
                {
                    findings.Add(new FacilityFinding(e, FacilityStates.ShutdownContradicted, start, end, production, run, null, null, mark.Id));
                }
            }
        }

        return findings.OrderBy(f => f.Enterprise.City, StringComparer.Ordinal).ThenBy(f => f.Enterprise.Id, StringComparer.Ordinal).ThenBy(f => f.Start).ToList();
    }

    /// <summary>The spans of whole hours an outlet's records flag F (stopped) in the period, consecutive hours as one span.</summary>
    private async Task<List<(DateTime Start, DateTime End)>> StoppedHoursAsync(string mn, ReportPeriod period, CancellationToken ct)
    {
        var flagged = new List<(DateTime Start, DateTime End)>();
        foreach (var day in (await store.QueryDayFactsAsync(period.From.Date, Compliance.Summaries.LocalSpans.CeilDay(period.To), mn, ct)).GroupBy(f => f.Day).OrderBy(g => g.Key))
        {
            for (int h = 0; h < Compliance.Summaries.DayFact.HoursPerDay; h++)
            {
                if (day.Any(f => f.Flags[h] == "F"))
                {
                    var hour = day.Key.AddHours(h);
                    if (flagged.Count > 0 && flagged[^1].End == hour)
                    {
                        flagged[^1] = (flagged[^1].Start, hour.AddHours(1)); // the span goes on
                    }
                    else
                    {
                        flagged.Add((hour, hour.AddHours(1)));
                    }
                }
            }
        }

        return flagged;
    }

    /// <summary>Where the enterprise's production facilities ran within the spans claimed stopped: each running episode's overlap with each span, at least <paramref name="minimum"/> long.</summary>
    private static IEnumerable<(Facility Production, FacilityEpisode Run, DateTime Start, DateTime End)> RunningDuring(Registry.Enterprise e, Func<Facility, List<FacilityEpisode>> episodesOf,
        IReadOnlyList<(DateTime From, DateTime To)> stopped, TimeSpan minimum)
    {
        foreach (var production in e.Facilities.Where(f => f.Kind == Facility.Production))
        {
            foreach (var run in episodesOf(production).Where(x => x.State == FacilityStates.Running))
            {
                foreach (var (from, to) in stopped.Where(f => f.From < run.End && f.To > run.Start))
                {
                    var (start, end) = (run.Start > from ? run.Start : from, run.End < to ? run.End : to);
                    if (end - start >= minimum)
                    {
                        yield return (production, run, start, end);
                    }
                }
            }
        }
    }
}
