using System.Globalization;

namespace EmissionMonitor.Compliance.Manual;

/// <summary>One hour an approved manual sample stands for: its value, its flow (m³/h) where measured, and the sample.</summary>
public readonly record struct ManualHour(double Value, double? Flow, string SampleId);

/// <summary>
/// The hours approved manual samples stand for, per outlet and pollutant (DOMAIN.md §0.2): a sample
/// covers its own hour and the following ones up to its <see cref="ManualSample.CoverTo"/>, cut at the
/// next sample's hour; samples of the same hour stand together with the mean of their values (and of
/// the flows measured). Automatic monitoring comes first: the consumers use a manual hour only where
/// the hour has no valid automatic value — for the rate it is received and excused, for exceedance a
/// period judged with source <c>manual</c>, for totals a measured hour before substitution.
/// </summary>
public sealed class ManualHours
{
    private readonly Dictionary<(string Mn, string Pollutant), SortedDictionary<DateTime, ManualHour>> _hours = [];

    private ManualHours(string stamp) => Stamp = stamp;

    /// <summary>None: no sample stands for any hour.</summary>
    public static ManualHours None { get; } = new(string.Empty);

    /// <summary>What the hours were made of (the approved samples' ids and decision times): a cache key part.</summary>
    public string Stamp { get; }

    public bool Any => _hours.Count > 0;

    /// <summary>The hours of the approved samples among <paramref name="samples"/>.</summary>
    public static ManualHours Of(IEnumerable<ManualSample> samples)
    {
        var approved = samples.Where(s => s.IsActive).OrderBy(s => s.Mn, StringComparer.Ordinal).ThenBy(s => s.Pollutant, StringComparer.Ordinal)
            .ThenBy(s => s.CoverFrom).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
        if (approved.Count == 0)
        {
            return None;
        }

        var stamp = string.Join(';', approved.Select(s => s.Id + "@" + s.DecidedAt?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
        var hours = new ManualHours(stamp);
        foreach (var outlet in approved.GroupBy(s => (s.Mn, s.Pollutant)))
        {
            var byHour = outlet.GroupBy(s => s.CoverFrom).OrderBy(g => g.Key).ToList();
            var covered = new SortedDictionary<DateTime, ManualHour>();
            for (int i = 0; i < byHour.Count; i++)
            {
                var group = byHour[i];
                var end = group.Max(s => s.CoverTo);
                if (i + 1 < byHour.Count && byHour[i + 1].Key < end)
                {
                    end = byHour[i + 1].Key;
                }

                var flows = group.Where(s => s.Flow is not null).Select(s => s.Flow!.Value).ToList();
                var hour = new ManualHour(group.Average(s => s.Value), flows.Count == 0 ? null : flows.Average(), group.First().Id);
                for (var h = group.Key; h < end; h = h.AddHours(1))
                {
                    covered[h] = hour;
                }
            }

            hours._hours[outlet.Key] = covered;
        }

        return hours;
    }

    /// <summary>The hours of an outlet's pollutant, in time order (empty when none).</summary>
    public IReadOnlyDictionary<DateTime, ManualHour> Of(string mn, string pollutant) =>
        _hours.TryGetValue((mn, pollutant), out var hours) ? hours : Empty;

    /// <summary>The mask of the local hours 0–23 of <paramref name="day"/> a sample stands for.</summary>
    public int Mask(string mn, string pollutant, DateTime day)
    {
        if (!_hours.TryGetValue((mn, pollutant), out var hours))
        {
            return 0;
        }

        int mask = 0;
        for (int h = 0; h < 24; h++)
        {
            mask |= hours.ContainsKey(day.AddHours(h)) ? 1 << h : 0;
        }

        return mask;
    }

    /// <summary>The spans [from, to) of an outlet's covered hours (any pollutant), one per covered hour run.</summary>
    public IEnumerable<(DateTime From, DateTime To)> Spans(string mn)
    {
        foreach (var ((m, _), hours) in _hours)
        {
            if (m != mn)
            {
                continue;
            }

            DateTime? start = null, last = null;
            foreach (var h in hours.Keys)
            {
                if (last is { } l && h != l.AddHours(1))
                {
                    yield return (start!.Value, l.AddHours(1));
                    start = null;
                }

                start ??= h;
                last = h;
            }

            if (start is { } s)
            {
                yield return (s, last!.Value.AddHours(1));
            }
        }
    }

    /// <summary>The outlets with covered hours.</summary>
    public IEnumerable<string> Outlets => _hours.Keys.Select(k => k.Mn).Distinct(StringComparer.Ordinal);

    private static readonly IReadOnlyDictionary<DateTime, ManualHour> Empty = new Dictionary<DateTime, ManualHour>();
}
