using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Intake;
using EmissionMonitor.Storage;

namespace EmissionMonitor.IntegrationTests.Storage;

/// <summary>Counting readings, and reading a period a window at a time (the data query's read), on each backend.</summary>
public abstract partial class StoreConformanceTests
{
    /// <summary>Real-time records every 20 minutes over a day and a half (six windows of six hours and more), two pollutants each, one with a third.</summary>
    private static List<IntakeResult> RealTime(out DateTime from, out DateTime to)
    {
        var registry = Some.Registry();
        var intake = new IntakeProcessor(() => registry, new IntakeOptions(), new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone(), TimeProvider.System);
        (from, to) = (new DateTime(2025, 7, 1, 0, 0, 0), new DateTime(2025, 7, 2, 12, 0, 0));
        var list = new List<IntakeResult>();
        for (var at = from; at < to; at = at.AddMinutes(20))
        {
            var b = new Hj212Builder { Qn = at.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "001", St = "31", Cn = "2011", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
                .DataTime(at).Value("a21026", "Rtd", 10m + at.Minute).Value("a21002", "Rtd", 40m);
            if (at.Hour == 7)
            {
                b.Value("a01012", "Rtd", 120m);
            }

            var result = intake.Process(Some.Received(b.Build(), Transport.Import, new DateTimeOffset(at, TimeSpan.FromHours(8))));
            Assert.True(result.IsAccepted, result.Detail);
            list.Add(result);
        }

        return list;
    }

    [Fact]
    public async Task ReadingsCounted_AndReadAWindowAtATime_AreWhatTheQueryGives_InPeriodOrder()
    {
        var frames = RealTime(out var from, out var to);
        await _store.CommitAsync(frames, CancellationToken.None);
        var query = new ReadingQuery("2011", from.AddMinutes(30), to, "QHXN0010001");
        var all = await _store.QueryReadingsAsync(query, CancellationToken.None);
        Assert.Equal((108 - 2) * 2 + 6, all.Count); // from 00:40: 106 records of two pollutants, the six of 07:xx with a third
        Assert.Equal(all.Count, await _store.CountReadingsAsync(query, CancellationToken.None));
        Assert.Equal(6, await _store.CountReadingsAsync(query with { Pollutant = "a01012" }, CancellationToken.None));
        Assert.Equal(0, await _store.CountReadingsAsync(query with { Mn = "QHXN0020001" }, CancellationToken.None));

        var windowed = new List<Reading>();
        await foreach (var r in ReadingWindows.ReadAsync(query, ReadingWindows.Reader(_store, query), CancellationToken.None))
        {
            windowed.Add(r);
        }

        // The same readings, each once, ordered by period and then pollutant, across the windows' edges.
        Assert.Equal(all.OrderBy(r => r.Period).ThenBy(r => r.Pollutant, StringComparer.Ordinal).Select(r => (r.Period, r.Pollutant, r.Rtd)),
            windowed.Select(r => (r.Period, r.Pollutant, r.Rtd)));
        Assert.Equal(all.Count, await ReadingWindows.CountAsync(query, ReadingWindows.Reader(_store, query), CancellationToken.None));
    }
}
