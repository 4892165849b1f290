using EmissionMonitor.Compliance.Totals;
using System.Globalization;
using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Cards;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Compliance.Summaries;
using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Intake;
using EmissionMonitor.IntegrationTests.Compliance.Reference;
using EmissionMonitor.Registry;
using EmissionMonitor.Reports;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace EmissionMonitor.IntegrationTests.Compliance;

/// <summary>
/// Property-based: random histories — gaps, every flag, values either side of the limits, O2 and
/// flow sent or not, split records (O2 after the pollutant), resends with other values, daily
/// records, data arriving late and out of order in random batches, marks of every kind, manual
/// samples of every state, a registry
/// edit (new limits and reference O2) before and after the rebuild — go into a real SQLite store
/// that keeps its summaries at each commit; every report kind, grouping and period shape (whole
/// days, cut hours, up to a "now" inside the data) read from the summaries must equal the reference
/// recomputation from the raw readings (<see cref="ReferenceReports"/>).
/// </summary>
public sealed class SummaryPropertyTests
{
    private static readonly DateTime Start = new(2025, 6, 26);
    private const int Days = 12;
    private static readonly TimeZoneInfo Zone = new ComplianceOptions().ResolveTimeZone();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public async Task MaintainedFigures_EqualARecomputationFromTheReadings(int seed)
    {
        await using var store = new SqliteStore(Some.TempDirectory());
        await RunAsync(store, seed, settle: null);
    }

    /// <summary>
    /// The same on the InfluxDB backend, whose summaries live on the server: compared while the
    /// forwarded days are still marked (reports compute those outlets from the readings) and again
    /// once the summarizer has rebuilt them from the server's readings.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task MaintainedFigures_OnInfluxDb_EqualARecomputationFromTheReadings(int seed)
    {
        await using var influx = await InfluxFixture.StartAsync();
        await using var store = new EmissionMonitor.Storage.Influx.InfluxStore(
            new EmissionMonitor.Storage.Influx.InfluxOptions { Url = influx.Url, Bucket = "emission", WriteApi = "v1" }, Some.TempDirectory(), Zone,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<EmissionMonitor.Storage.Influx.InfluxStore>.Instance);
        await RunAsync(store, seed, settle: async stage =>
        {
            Assert.True(await store.FlushAsync(TimeSpan.FromSeconds(60), CancellationToken.None));
            Assert.NotEmpty(await store.UnsettledAsync(Start, Start.AddDays(Days), CancellationToken.None));
            return true;
        });
    }

    /// <summary>
    /// One history into <paramref name="store"/>. <paramref name="settle"/> (a store whose facts lag
    /// its commits) runs after each commit phase: the figures are compared before and after the
    /// store settles its facts.
    /// </summary>
    private static async Task RunAsync(IStore store, int seed, Func<string, Task<bool>>? settle)
    {
        var rng = new Random(seed);
        var registry = Registry(limitScale: 1.0, referenceO2: 6.0);
        var options = new ComplianceOptions { WaterDailyMinHours = 12 };
        if (seed % 3 == 0)
        {
            // Configured mark effects instead of the defaults: maintenance excuses M and C, fault nothing, calibration exempts.
            options.MarkEffects["maintenance"] = new MarkEffect { Effect = MarkEffect.Excuse, Flags = ["M", "C"] };
            options.MarkEffects["fault"] = new MarkEffect { Effect = MarkEffect.NoEffect };
            options.MarkEffects["calibration"] = new MarkEffect { Effect = MarkEffect.Exempt };
        }

        var cards = new CardOptions { Basis = seed % 2 == 0 ? "day" : "exceedance", GasDailyMinHours = 12, MonitoringUnusable = seed % 3 != 1 };
        var rules = new FactRules(options, cards);
        await store.InitializeAsync(CancellationToken.None);
        store.MaintainFacts(new FactMaintenance(rules, mn => registry.FindOutlet(mn)));
        await FactRefresh.RunAsync(store, rules, registry, CancellationToken.None);

        var frames = History(rng).OrderBy(_ => rng.Next()).ToList(); // late and out of order
        var (early, late) = (frames.Take(frames.Count * 3 / 4).ToList(), frames.Skip(frames.Count * 3 / 4).ToList());
        await CommitAsync(store, registry, early, rng);
        foreach (var mark in Marks(rng))
        {
            await store.AddMarkAsync(mark, CancellationToken.None);
        }

        foreach (var sample in ManualSamples(rng))
        {
            await store.SaveAsync(DocumentRecords.ManualData, sample, CancellationToken.None);
        }

        if (settle is not null && await settle("after the first data"))
        {
            await CompareAsync(store, registry, options, cards, rng, "after the first data, not settled");
            await FactRefresh.RunAsync(store, rules, registry, CancellationToken.None);
            Assert.Empty(await store.UnsettledAsync(Start, Start.AddDays(Days), CancellationToken.None));
        }

        await CompareAsync(store, registry, options, cards, rng, "after the first data");

        // A registry edit: other limits and reference O2. Until the rebuild, reports compute the stale outlets from their readings.
        registry = Registry(limitScale: 0.8, referenceO2: 9.0);
        Assert.NotEmpty(await FactRefresh.StaleAsync(store, rules, registry, CancellationToken.None));
        await CompareAsync(store, registry, options, cards, rng, "with stale outlets");
        await CommitAsync(store, registry, late, rng);
        if (settle is not null)
        {
            await settle("late data");
        }

        var (outlets, _) = await FactRefresh.RunAsync(store, rules, registry, CancellationToken.None);
        Assert.Equal(2, outlets);
        Assert.Empty(await FactRefresh.StaleAsync(store, rules, registry, CancellationToken.None));
        await CompareAsync(store, registry, options, cards, rng, "after the rebuild");
    }

    private static async Task CommitAsync(IStore store, StationRegistry registry, List<string> frames, Random rng)
    {
        var intake = new IntakeProcessor(() => registry, new IntakeOptions(), Zone, TimeProvider.System);
        for (int i = 0; i < frames.Count;)
        {
            int n = Math.Min(frames.Count - i, 1 + rng.Next(40));
            var batch = frames.Skip(i).Take(n).Select(f => intake.Process(Some.Received(f, Transport.Import))).ToList();
            Assert.All(batch, b => Assert.True(b.IsAccepted, b.Detail));
            await store.CommitAsync(batch, CancellationToken.None);
            i += n;
        }
    }

    private static async Task CompareAsync(IStore store, StationRegistry registry, ComplianceOptions options, CardOptions cards, Random rng, string stage)
    {
        var nows = new[] { Start.AddDays(Days + 30), Start.AddDays(6).AddHours(13).AddMinutes(40) };
        foreach (var nowLocal in nows)
        {
            var clock = new FakeTimeProvider(new DateTimeOffset(nowLocal, TimeSpan.FromHours(8)));
            var cache = new ExceedanceCache();
            // Short gaps and look-backs shorter than the defaults on some histories, so that both substitution rules meet gaps of every length.
            var totals = rng.Next(2) == 0 ? new TotalsOptions() : new TotalsOptions { ShortGapHours = 1 + rng.Next(4), LookbackHours = 1 + rng.Next(30) };
            totals.InOperationFromFirstRecord = rng.Next(2) == 0; // the water outlet has no activeFrom: in operation from its first record's day, or all along
            var service = new ReportService(store, registry, options, cards, Zone, clock, cache: cache, totals: totals);
            var reference = new ReferenceReports(store, store, registry, options, Zone, clock) { CardOptions = cards, Totals = totals };
            var periods = new List<ReportPeriod>
            {
                new(new DateTime(2025, 7, 1), new DateTime(2025, 10, 1)),
                new(Start, Start.AddDays(Days)),
                new(Start.AddDays(2).AddHours(5).AddMinutes(30), Start.AddDays(7).AddHours(17)),
                new(Start.AddDays(3).AddHours(2), Start.AddDays(3).AddHours(20)),
                Ordered(Start.AddDays(rng.Next(Days)).AddHours(rng.Next(24)), Start.AddDays(Days - rng.Next(3)).AddHours(rng.Next(24))),
            };
            // The tax pre-check of each month the histories touch, with item counts and rates drawn: from the summaries as from the readings.
            var tax = new EmissionMonitor.Compliance.Tax.TaxOptions { AirItems = 1 + rng.Next(3), WaterItems = 1 + rng.Next(2), AirRate = 1.2 + rng.Next(10), WaterRate = 1.4 };
            foreach (var month in new[] { new DateTime(2025, 6, 1), new DateTime(2025, 7, 1) })
            {
                foreach (var (by, mn) in new (string?, string?)[] { (null, null), ("enterprise", null), ("province", null), (null, "QHXN0010001") })
                {
                    var request = new ReportRequest("tax", new ReportPeriod(month, month.AddMonths(1)), Mn: mn, By: by);
                    AssertSame(await reference.TaxAsync(request, tax, CancellationToken.None),
                        ReportTables.Tax(await service.TaxAsync(request, tax, CancellationToken.None), by, month.ToString("yyyy-MM", CultureInfo.InvariantCulture)),
                        $"tax {stage}, now {nowLocal:s}, {month:yyyy-MM}, by {by}, mn {mn}");
                }
            }

            foreach (var period in periods)
            {
                foreach (var by in new string?[] { null, "pollutant", "enterprise", "city", "province" })
                {
                    foreach (var mn in new string?[] { null, "QHXN0010001" })
                    {
                        string context = $"{stage}, now {nowLocal:s}, {period.From:s}..{period.To:s}, by {by}, mn {mn}";
                        foreach (var kind in new[] { "rates", "totals", "exceedances", "cards" })
                        {
                            var request = new ReportRequest(kind, period, Mn: mn, By: by);
                            var expected = await reference.BuildAsync(request, CancellationToken.None);
                            AssertSame(expected, await service.BuildAsync(request, CancellationToken.None), $"{kind} {context}");
                            if (kind == "exceedances" && by is null) // episodes are an outlet's whatever the grouping
                            {
                                // The trend (the overview's 30 days) from the summaries' counts equals one from the readings.
                                Assert.Equal(await reference.TrendAsync(request, CancellationToken.None), await service.TrendAsync(request, CancellationToken.None));

                                // Streamed (report exceedances) in tables of a few outlets each, made on two threads: the same rows in the same order.
                                var streamed = new List<object?[]>();
                                IReadOnlyList<string> columns = [];
                                await foreach (var table in service.StreamExceedanceTablesAsync(request, 1 + rng.Next(3), t => t, 2, CancellationToken.None))
                                {
                                    columns = table.Columns;
                                    streamed.AddRange(table.Rows);
                                }

                                AssertSame(expected, new ReportTable(columns, streamed), $"streamed {kind} {context}");

                                // Pages as the API asks — counted by the store (or streamed and kept while facts are computed),
                                // then from the episode cache: the same rows and total, wherever a page starts and ends.
                                for (int pass = 0; pass < 2; pass++)
                                {
                                    if (pass == 0)
                                    {
                                        cache.Clear();
                                    }
                                    else
                                    {
                                        await service.ExceedancesAsync(request, CancellationToken.None); // kept for the pages
                                    }

                                    foreach (var (offset, limit) in new[] { (3, 5), (0, 1), (rng.Next(expected.Rows.Count + 2), 1 + rng.Next(12)), (expected.Rows.Count, 3) })
                                    {
                                        var (total, page) = await service.ExceedancePageAsync(request, offset, limit, CancellationToken.None);
                                        Assert.True(expected.Rows.Count == total, $"page {offset}+{limit} pass {pass} {kind} {context}: {expected.Rows.Count} episodes, counted {total}");
                                        AssertSame(expected with { Rows = expected.Rows.Skip(offset).Take(limit).ToList() }, ReportTables.Exceedances(page, Zone),
                                            $"page {offset}+{limit} pass {pass} {kind} {context}");
                                    }

                                    if (pass == 0 && store.KeepsFacts)
                                    {
                                        // The store's own count equals the one made from the hours and days it gives.
                                        IReadOnlyCollection<string>? mns = mn is null ? null : [mn];
                                        var own = await store.CountEpisodesAsync(period.From, period.To, mns, CancellationToken.None);
                                        var made = EmissionMonitor.Compliance.Exceedance.EpisodeCounts.Of(
                                            await store.QueryExceedHoursAsync(EmissionMonitor.Compliance.Exceedance.EpisodeCounts.FirstHour(period.From), LocalSpans.CeilHour(period.To), mns, CancellationToken.None),
                                            await store.QueryExceedingDaysAsync(EmissionMonitor.Compliance.Exceedance.EpisodeCounts.FirstDay(period.From), LocalSpans.CeilDay(period.To), mns, CancellationToken.None),
                                            period.From);
                                        Assert.Equal(made.Hourly.OrderBy(c => c.Key), own.Hourly.OrderBy(c => c.Key));
                                        Assert.Equal(made.Daily.OrderBy(c => c.Key), own.Daily.OrderBy(c => c.Key));

                                        // The store's exceeding hours counted per day equal the hours it gives, grouped.
                                        var counted = (await store.CountExceedHoursByDayAsync(period.From, period.To, mns, CancellationToken.None))
                                            .Select(c => (c.Mn, c.Pollutant, c.Day, c.Hours)).Order().ToList();
                                        var grouped = (await store.QueryExceedHoursAsync(period.From, period.To, mns, CancellationToken.None))
                                            .GroupBy(e => (e.Mn, e.Pollutant, e.Hour.Date)).Select(g => (g.Key.Mn, g.Key.Pollutant, g.Key.Date, g.Count())).Order().ToList();
                                        Assert.Equal(grouped, counted);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>A random period as a request can make one: from before to (the parser refuses others).</summary>
    private static ReportPeriod Ordered(DateTime a, DateTime b) => a < b ? new(a, b) : a > b ? new(b, a) : new(a, a.AddHours(1));

    private static void AssertSame(ReportTable expected, ReportTable actual, string context)
    {
        Assert.Equal(expected.Columns, actual.Columns);
        Assert.True(expected.Rows.Count == actual.Rows.Count, $"{context}: {expected.Rows.Count} rows expected, {actual.Rows.Count} read from the summaries");
        for (int i = 0; i < expected.Rows.Count; i++)
        {
            for (int c = 0; c < expected.Columns.Count; c++)
            {
                object? e = expected.Rows[i][c], a = actual.Rows[i][c];
                string where = $"{context}: row {i} column {expected.Columns[c]}: expected {Text(e)}, got {Text(a)}";
                if (e is double de && a is double da)
                {
                    Assert.True(Math.Abs(de - da) <= 1e-9 * Math.Max(1, Math.Abs(de)), where);
                }
                else
                {
                    Assert.True(Text(e) == Text(a), where);
                }
            }
        }
    }

    private static string Text(object? v) => v switch
    {
        null => "null",
        IEnumerable<string> list => string.Join("; ", list),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    /// <summary>Hourly records of a gas and a water outlet, some split in two, some sent twice; daily water records.</summary>
    private static IEnumerable<string> History(Random rng)
    {
        string[] flags = ["N", "N", "N", "N", "N", "N", "F", "M", "C", "D", "T", ""];
        for (int h = 0; h < Days * 24; h++)
        {
            var hour = Start.AddHours(h);
            foreach (var (mn, pw, gas) in new[] { ("QHXN0010001", "123456", true), ("QHXN0020001", "654321", false) })
            {
                if (rng.NextDouble() < 0.08)
                {
                    if (rng.NextDouble() < 0.6)
                    {
                        foreach (string minute in Minutes(rng, mn, pw, gas, hour))
                        {
                            yield return minute; // no hourly record, minute records: the hour is derived from them
                        }
                    }

                    continue; // a gap
                }

                if (rng.NextDouble() < 0.03)
                {
                    foreach (string minute in Minutes(rng, mn, pw, gas, hour))
                    {
                        yield return minute; // minutes beside the hourly record: the real record wins
                    }
                }

                var parts = new List<Hj212Builder> { Some.Hourly(mn, pw, hour) };
                bool split = rng.NextDouble() < 0.1;
                if (split)
                {
                    parts.Add(Some.Hourly(mn, pw, hour));
                }

                string[] codes = gas ? ["a21026", "a21002", "a34013"] : ["w01018", "w21003", "w01001"];
                double[] limits = gas ? [35, 50, 10] : [50, 5, 9];
                for (int i = 0; i < codes.Length; i++)
                {
                    if (rng.NextDouble() < 0.05)
                    {
                        continue; // this pollutant missing from the record
                    }

                    var b = parts[0];
                    decimal value = (decimal)Math.Round(limits[i] * (0.3 + rng.NextDouble() * 1.1), 3);
                    b.Value(codes[i], "Avg", codes[i] == "w01001" ? (decimal)Math.Round(5.5 + rng.NextDouble() * 4, 2) : value);
                    if (gas && rng.NextDouble() < 0.3)
                    {
                        b.Value(codes[i], "ZsAvg", value * 1.1m);
                    }

                    if (rng.NextDouble() < 0.6)
                    {
                        b.Value(codes[i], "Cou", (decimal)Math.Round(rng.NextDouble() * 3, 4));
                    }

                    string flag = flags[rng.Next(flags.Length)];
                    if (flag.Length > 0)
                    {
                        b.Value(codes[i], "Flag", flag);
                    }
                }

                var context = parts[^1]; // with a split, O2 and flow come in the second part
                if (rng.NextDouble() < 0.8)
                {
                    context.Value(gas ? "a00000" : "w00000", "Avg", (decimal)Math.Round(10 + rng.NextDouble() * 20, 2));
                }

                if (gas && rng.NextDouble() < 0.7)
                {
                    context.Value("a19001", "Avg", (decimal)Math.Round(3 + rng.NextDouble() * 12, 2)).Value("a19001", "Flag", rng.NextDouble() < 0.9 ? "N" : "D");
                }

                foreach (var part in parts)
                {
                    string frame = part.Build().ToString();
                    yield return frame;
                    if (rng.NextDouble() < 0.05)
                    {
                        yield return frame; // a resend
                    }
                }

                if (rng.NextDouble() < 0.03)
                {
                    // a resend with other values: the first one stays
                    yield return Some.Hourly(mn, pw, hour).Value(codes[0], "Avg", 999m).Value(codes[0], "Flag", "N").Build().ToString();
                }
            }

            if (h % 24 == 0 && rng.NextDouble() < 0.6)
            {
                var day = new Hj212Builder { Qn = "20250701090000001", St = "32", Cn = "2031", Pw = "654321", Mn = "QHXN0020001", Flag = 4 }.DataTime(hour);
                day.Value("w01018", "Avg", (decimal)Math.Round(50 * (0.6 + rng.NextDouble() * 0.8), 2)).Value("w01018", "Flag", rng.NextDouble() < 0.85 ? "N" : "D");
                yield return day.Build().ToString();
            }
        }
    }

    /// <summary>Minute records (CN=2051) of one hour: 40 to 60 of them, mostly valid, so that some hours reach 45 valid minutes and some do not.</summary>
    private static IEnumerable<string> Minutes(Random rng, string mn, string pw, bool gas, DateTime hour)
    {
        string[] codes = gas ? ["a21026", "a21002", "a34013"] : ["w01018", "w21003", "w01001"];
        int count = 40 + rng.Next(21);
        bool stopped = rng.NextDouble() < 0.1; // most minutes F: the hour is exempt
        foreach (int minute in Enumerable.Range(0, 60).OrderBy(_ => rng.Next()).Take(count).Order())
        {
            var b = new Hj212Builder { Qn = "20250701090000001", St = gas ? "31" : "32", Cn = "2051", Pw = pw, Mn = mn, Flag = 4 }.DataTime(hour.AddMinutes(minute));
            foreach (string code in codes)
            {
                b.Value(code, "Avg", (decimal)Math.Round(code == "w01001" ? 6 + rng.NextDouble() * 3 : 5 + rng.NextDouble() * 40, 3));
                if (rng.NextDouble() < 0.5)
                {
                    b.Value(code, "Cou", (decimal)Math.Round(rng.NextDouble() * 0.05, 5));
                }

                b.Value(code, "Flag", stopped ? "F" : rng.NextDouble() < 0.93 ? "N" : "D");
            }

            b.Value(gas ? "a00000" : "w00000", "Avg", (decimal)Math.Round(10 + rng.NextDouble() * 20, 2));
            if (gas)
            {
                b.Value("a19001", "Avg", (decimal)Math.Round(3 + rng.NextDouble() * 12, 2)).Value("a19001", "Flag", "N");
            }

            yield return b.Build().ToString();
        }
    }

    private static IEnumerable<Mark> Marks(Random rng)
    {
        string[] states = [Mark.Approved, Mark.Approved, Mark.Pending, Mark.Rejected, Mark.RevokedState];
        int count = rng.Next(1, 7);
        for (int i = 0; i < count; i++)
        {
            var from = Start.AddHours(rng.Next(Days * 24));
            // Every kind, overlapping often; pending, rejected and revoked marks must change nothing.
            var mark = new Mark(rng.Next(2) == 0 ? "QHXN0010001" : "QHXN0020001", Mark.Kinds[rng.Next(Mark.Kinds.Count)], from, from.AddHours(1 + rng.Next(60)), "property test")
            {
                Id = $"mk-{i}",
            };
            string state = states[rng.Next(states.Length)];
            yield return state == Mark.RevokedState
                ? mark with { Rev = 1, Revoked = new Revocation(DateTimeOffset.UnixEpoch, "operator", null) }
                : mark with { Decision = state };
        }
    }

    /// <summary>
    /// Manual samples of every state (only approved ones count), some of one hour together, covering
    /// 1–8 hours each, with and without a flow, values either side of the limits (pH too).
    /// </summary>
    private static IEnumerable<EmissionMonitor.Compliance.Manual.ManualSample> ManualSamples(Random rng)
    {
        string[] states = [.. Enumerable.Repeat(EmissionMonitor.Compliance.Manual.ManualSample.Approved, 4), .. EmissionMonitor.Compliance.Manual.ManualSample.States];
        (string Mn, string Code, double Limit)[] targets =
            [("QHXN0010001", "a21026", 35), ("QHXN0010001", "a21002", 50), ("QHXN0010001", "a34013", 10), ("QHXN0020001", "w01018", 50), ("QHXN0020001", "w21003", 5), ("QHXN0020001", "w01001", 7.5)];
        int count = rng.Next(2, 12);
        var hour = Start.AddHours(rng.Next(Days * 24));
        for (int i = 0; i < count; i++)
        {
            var (mn, code, limit) = targets[rng.Next(targets.Length)];
            hour = rng.Next(4) == 0 ? hour : Start.AddHours(rng.Next(Days * 24)); // now and then a second sample of the same hour
            yield return new EmissionMonitor.Compliance.Manual.ManualSample
            {
                Id = $"md-{i}", Mn = mn, Pollutant = code, SampledAt = hour.AddMinutes(rng.Next(60)), Value = Math.Round(limit * (0.3 + (1.3 * rng.NextDouble())), 2),
                Unit = mn == "QHXN0010001" ? "mg/m3" : "mg/L", Flow = rng.Next(3) == 0 ? null : (double)(mn == "QHXN0010001" ? 1000 + rng.Next(50_000) : 10 + rng.Next(500)),
                Enterprise = mn == "QHXN0010001" ? "QH-XN-001" : "QH-XN-002", MarkId = "mk-0", CoverFrom = hour, CoverTo = hour.AddHours(1 + rng.Next(8)), By = "property test",
                State = states[rng.Next(states.Length)], DecidedAt = DateTimeOffset.UnixEpoch.AddSeconds(i),
            };
        }
    }

    private static StationRegistry Registry(double limitScale, double referenceO2)
    {
        string L(double v) => (v * limitScale).ToString("R", CultureInfo.InvariantCulture);
        string json = $$"""
            { "enterprises": [ {
                "id": "QH-XN-001", "name": "西宁某热电有限公司", "city": "西宁市", "industry": "thermal-power",
                "permits": { "a21026": 0.02, "a21002": 1500.0 },
                "outlets": [ {
                  "mn": "QHXN0010001", "password": "123456", "kind": "gas", "name": "1号锅炉排口",
                  "referenceO2": {{referenceO2.ToString("R", CultureInfo.InvariantCulture)}}, "flowUnit": "m3/s", "activeFrom": "2025-06-28",
                  "limits": { "a21026": {{L(35)}}, "a21002": {{L(50)}}, "a34013": {{L(10)}} } } ] },
              { "id": "QH-XN-002", "name": "西宁某污水处理厂", "city": "海东市", "industry": "wastewater",
                "permits": { "w01018": 0.05, "w21003": 50.0 },
                "outlets": [ { "mn": "QHXN0020001", "password": "654321", "kind": "water", "name": "总排口", "activeTo": "2025-07-05",
                  "flowUnit": "L/s", "limits": { "w01018": {{L(50)}}, "w21003": {{L(5)}}, "w01001": { "min": 6, "max": 9 } } } ] } ] }
            """;
        var (registry, problems) = RegistryLoader.Parse(json, "property test");
        Assert.Empty(problems);
        return registry!;
    }
}
