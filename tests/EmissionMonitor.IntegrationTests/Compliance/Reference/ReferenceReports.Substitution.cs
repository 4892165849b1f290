using EmissionMonitor.Storage;
using EmissionMonitor.Compliance.Summaries;
using EmissionMonitor.Compliance.Totals;
using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;

namespace EmissionMonitor.IntegrationTests.Compliance.Reference;

public sealed partial class ReferenceReports
{
    /// <summary>The substitution rule the reference applies (the service's default unless a test sets one).</summary>
    public TotalsOptions Totals { get; init; } = new();

    /// <summary>
    /// Substitution written out again from the raw readings, hour by hour, without the service's
    /// facts or its <see cref="Substitution"/>: every hour from the look-back start is classified
    /// (outside operation or not ended, exempt by flag or mark, valid, gap), each run of gap hours
    /// is filled by the rule of DOMAIN.md §0.2; <see cref="Filled.Sum"/> gives the sums of a window.
    /// The hours run from the look-back before <paramref name="sumFrom"/> to a short gap past <paramref name="sumTo"/>.
    /// </summary>
    private async Task<Filled> FilledAsync(Outlet outlet, string pollutant, DateTime sumFrom, DateTime sumTo, CancellationToken ct)
    {
        // A reference serves one state of the store: the same hours are filled once (cards ask for the same quarters again and again).
        if (!_filled.TryGetValue((outlet, pollutant, sumFrom, sumTo), out var filled))
        {
            _filled[(outlet, pollutant, sumFrom, sumTo)] = filled = await FillAsync(outlet, pollutant, sumFrom, sumTo, ct);
        }

        return filled;
    }

    private readonly Dictionary<(Outlet, string, DateTime, DateTime), Filled> _filled = [];

    private async Task<Filled> FillAsync(Outlet outlet, string pollutant, DateTime sumFrom, DateTime sumTo, CancellationToken ct)
    {
        var now = LocalSpans.FloorHour(NowLocal);
        var to = LocalSpans.Min(LocalSpans.CeilHour(sumTo), now);
        var first = LocalSpans.CeilHour(sumFrom);
        if (to <= first)
        {
            return new Filled(first, now, [], [], []);
        }

        var end = Totals.Substitutes ? LocalSpans.Min(to.AddHours(Totals.ShortGapHours + 1), now) : to;
        var start = first.AddHours(-Totals.LookbackSpanHours);
        // Whole days: a manual hour without a flow takes the mean of its day's valid hours'.
        var readings = (await EmissionMonitor.Reports.ReportService.HourlyReadingsAsync(store, options, start.Date, LocalSpans.CeilDay(end), outlet.Mn, ct)).ToLookup(x => x.Period);
        var stands = await ManualOfAsync(outlet.Mn, pollutant, ct);
        var marks = (await records.QueryMarksAsync(start, end, outlet.Mn, ct)).Where(m => m.IsActive && options.EffectOf(m.Kind).Exempts).ToList();
        var (activeFrom, activeTo) = LocalSpans.Active(outlet);
        if (outlet.ActiveFrom is null && Totals.InOperationFromFirstRecord)
        {
            activeFrom = await FirstRecordDayAsync(outlet, ct) ?? DateTime.MaxValue; // in operation from its first record's day
        }

        string flowCode = outlet.Kind == MediumKind.Gas ? CodeCatalogue.GasFlow : CodeCatalogue.WaterFlow;
        int n = (int)(end - start).TotalHours;
        var kind = new char[n]; // o outside, e exempt, v valid, g gap, m manual (an approved sample, no valid automatic value)
        var c = new double?[n];
        var v = new double?[n];
        var k = new double?[n];
        var replaced = new double?[n];
        var exemptHour = new bool[n];
        double? Volume(DateTime hour) => readings[hour].FirstOrDefault(x => x.Pollutant == flowCode) is { } flow
            ? flow.Cou ?? (flow.Avg is { } q ? q * 3600 * (outlet.FlowUnit switch { "L/s" => 0.001, "m3/h" => 1.0 / 3600, _ => 1.0 }) : null)
            : null;
        double? DayVolume(DateTime day)
        {
            var volumes = Enumerable.Range(0, 24).Select(h => day.AddHours(h))
                .Where(h => readings[h].FirstOrDefault(x => x.Pollutant == pollutant) is { } r && _rates.Validity.IsValid(r))
                .Select(Volume).Where(x => x is not null).Select(x => x!.Value).ToList();
            return volumes.Count == 0 ? null : volumes.Average();
        }

        for (int i = 0; i < n; i++)
        {
            var hour = start.AddHours(i);
            var reading = readings[hour].FirstOrDefault(x => x.Pollutant == pollutant);
            var flow = readings[hour].FirstOrDefault(x => x.Pollutant == flowCode);
            bool exempt = (reading is not null && _rates.Validity.IsExemptFlag(reading)) || marks.Any(m => m.From <= hour && hour.AddHours(1) <= m.To);
            if (hour < activeFrom || hour >= activeTo || hour >= now)
            {
                kind[i] = 'o';
            }
            else if (!(reading is not null && _rates.Validity.IsValid(reading)) && stands(hour) is { } sample)
            {
                kind[i] = 'm';
                exemptHour[i] = exempt;
                double? own = reading is null ? null : Volume(hour);
                (c[i], v[i]) = (sample.Value, sample.Flow ?? own ?? DayVolume(hour.Date));
                k[i] = v[i] is { } mv ? (outlet.Kind == MediumKind.Water ? sample.Value * mv / 1000 : sample.Value * mv * 1e-6) : null;
                replaced[i] = reading?.Cou ?? (reading?.Avg is { } ra && own is { } ov ? (outlet.Kind == MediumKind.Water ? ra * ov / 1000 : ra * ov * 1e-6) : null);
            }
            else if ((reading is not null && _rates.Validity.IsExemptFlag(reading)) || marks.Any(m => m.From <= hour && hour.AddHours(1) <= m.To))
            {
                kind[i] = 'e';
            }
            else
            {
                kind[i] = reading is not null && _rates.Validity.IsValid(reading) ? 'v' : 'g';
                double? volume = flow?.Cou ?? (flow?.Avg is { } q ? q * 3600 * (outlet.FlowUnit switch { "L/s" => 0.001, "m3/h" => 1.0 / 3600, _ => 1.0 }) : null);
                (c[i], v[i]) = (reading?.Avg, volume);
                k[i] = reading?.Cou ?? (reading?.Avg is { } a && volume is { } vol ? (outlet.Kind == MediumKind.Water ? a * vol / 1000 : a * vol * 1e-6) : null);
            }
        }

        double? Kg(List<int> sources, bool max)
        {
            if (sources.Count == 0)
            {
                return null;
            }

            double Pick(IEnumerable<double> xs) => max ? xs.Max() : xs.Average();
            if (sources.All(i => c[i] is not null && v[i] is not null))
            {
                double cc = Pick(sources.Select(i => c[i]!.Value)), vv = Pick(sources.Select(i => v[i]!.Value));
                return outlet.Kind == MediumKind.Water ? cc * vv / 1000 : cc * vv * 1e-6;
            }

            return sources.All(i => k[i] is not null) ? Pick(sources.Select(i => k[i]!.Value)) : null;
        }

        var fill = new double?[n];
        for (int i = 0; Totals.Substitutes && i < n; i++)
        {
            if (kind[i] != 'g' || (i > 0 && kind[i - 1] == 'g'))
            {
                continue;
            }

            int j = i;
            while (j < n && kind[j] == 'g')
            {
                j++;
            }

            double? value = null;
            if (j - i <= Totals.ShortGapHours)
            {
                var sides = new List<int>();
                int b = i - 1;
                while (b >= 0 && kind[b] == 'e')
                {
                    b--;
                }

                if (b >= 0 && kind[b] is 'v' or 'm')
                {
                    sides.Add(b);
                }

                int a = j;
                while (a < n && kind[a] == 'e')
                {
                    a++;
                }

                if (a < n && kind[a] is 'v' or 'm')
                {
                    sides.Add(a);
                }

                value = Kg(sides, max: false);
            }

            value ??= Kg(Enumerable.Range(0, i).Reverse().Where(x => kind[x] is 'v' or 'm').Take(Totals.LookbackHours).ToList(), max: true);
            for (int h = i; h < j; h++)
            {
                fill[h] = value;
            }
        }

        return new Filled(start, now, kind, k, fill, replaced, exemptHour);
    }

    private readonly Dictionary<string, DateTime?> _firstRecords = new(StringComparer.Ordinal);

    /// <summary>The local day of an outlet's first hourly (or derived) or daily record of a pollutant the facts keep, from the readings.</summary>
    private async Task<DateTime?> FirstRecordDayAsync(Outlet outlet, CancellationToken ct)
    {
        if (!_firstRecords.TryGetValue(outlet.Mn, out var first))
        {
            var all = new DateTime(2000, 1, 1);
            var hourly = await EmissionMonitor.Reports.ReportService.HourlyReadingsAsync(store, options, all, all.AddYears(100), outlet.Mn, ct);
            var daily = await store.QueryReadingsAsync(new EmissionMonitor.Storage.ReadingQuery(EmissionMonitor.Hj212.Cns.Daily, all, all.AddYears(100), outlet.Mn), ct);
            var kept = hourly.Concat(daily).Where(x => FactRules.Kept(outlet, x.Pollutant)).Select(x => x.Period.Date).ToList();
            _firstRecords[outlet.Mn] = first = kept.Count == 0 ? null : kept.Min();
        }

        return first;
    }

    /// <summary>Classified hours from <see cref="Start"/>: o outside, e exempt, v valid, g gap, m manual; each hour's kg (a manual hour's from its sample) and fill; a manual hour's replaced kg and whether it is exempt.</summary>
    private sealed record Filled(DateTime Start, DateTime Now, char[] Kind, double?[] Kg, double?[] Fill, double?[]? Replaced = null, bool[]? ExemptHour = null)
    {
        public SubstitutionSums Sum(DateTime periodFrom, DateTime periodTo)
        {
            double kg = 0, manualKg = 0;
            int filled = 0, gaps = 0, expected = 0, manualHours = 0;
            for (var hour = LocalSpans.CeilHour(periodFrom); hour < LocalSpans.Min(LocalSpans.CeilHour(periodTo), Now); hour = hour.AddHours(1))
            {
                int i = (int)(hour - Start).TotalHours;
                if (i < 0 || i >= Kind.Length)
                {
                    continue;
                }

                expected += Kind[i] is 'v' or 'g' || (Kind[i] == 'm' && !ExemptHour![i]) ? 1 : 0;
                if (Kind[i] == 'm')
                {
                    manualHours++;
                    manualKg += Kg[i] is { } mk ? mk - (Replaced![i] ?? 0) : 0;
                }

                if (Kind[i] == 'g')
                {
                    gaps++;
                    if (Fill[i] is { } f)
                    {
                        kg += f - (Kg[i] ?? 0);
                        filled++;
                    }
                }
            }

            return new SubstitutionSums(kg, filled, gaps, expected, manualKg, manualHours);
        }
    }
}
