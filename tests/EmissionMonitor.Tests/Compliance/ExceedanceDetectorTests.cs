using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Exceedance;
using EmissionMonitor.Compliance.Validity;
using EmissionMonitor.Intake;

namespace EmissionMonitor.Tests.Compliance;

public sealed class ExceedanceDetectorTests
{
    private static readonly ComplianceOptions Options = new();
    private static readonly ExceedanceDetector Detector = new(Options, new ReadingValidity(Options));
    private static readonly EmissionMonitor.Registry.Outlet Gas = Some.Registry().FindOutlet("QHXN0010001")!;   // SO2 ≤ 35, reference O2 6 %
    private static readonly EmissionMonitor.Registry.Outlet Water = Some.Registry().FindOutlet("QHXN0020001")!; // COD ≤ 50, pH 6–9
    private static readonly DateTime T0 = new(2025, 7, 1, 20, 0, 0);

    private static Reading So2(int hour, double? avg, double? zs = null, string flag = "N") =>
        new("QHXN0010001", "2061", T0.AddHours(hour), "a21026", Avg: avg, ZsAvg: zs, Flag: flag);

    private static Reading O2(int hour, double o2) => new("QHXN0010001", "2061", T0.AddHours(hour), "a19001", Avg: o2, Flag: "N");

    [Fact]
    public void Gas_UsesZsAvgWhenSent_ElseCorrectsWithO2_ElseAsSent()
    {
        var hourly = new[] { So2(0, 30, zs: 40), So2(1, 30), O2(1, 11), So2(2, 36) };
        var periods = Detector.Assess(Gas, "a21026", hourly, []);
        Assert.Equal([ValueKinds.ZsSent, ValueKinds.ZsComputed, ValueKinds.AsSent], periods.Select(p => p.ValueKind));
        Assert.Equal(40, periods[0].Value);
        Assert.Equal(30 * (21 - 6.0) / (21 - 11.0), periods[1].Value, 12); // 45
        Assert.All(periods, p => Assert.True(p.Exceeds));
    }

    [Fact]
    public void Episode_SpansMidnight_AndEndsAtAMissingOrInvalidHour()
    {
        var hourly = new List<Reading>();
        for (int h = 0; h < 8; h++)
        {
            hourly.Add(h switch
            {
                5 => So2(h, 50, flag: "D"),   // invalid: ends the first episode
                _ => So2(h, h == 2 ? 70 : 40),
            });
        }

        hourly.RemoveAll(r => r.Period == T0.AddHours(7)); // hour 7 missing
        hourly.Add(So2(8, 45));
        var periods = Detector.Assess(Gas, "a21026", hourly, []);
        var episodes = ExceedanceDetector.Episodes(Gas, "a21026", "hour", periods, new DateTime(2025, 8, 1));
        Assert.Equal(3, episodes.Count);
        var first = episodes[0];
        Assert.Equal(T0, first.Start);
        Assert.Equal(T0.AddHours(5), first.End); // 20:00 → 01:00 next day, across midnight
        Assert.Equal(5, first.Periods);
        Assert.Equal(70, first.Peak);
        Assert.Equal(35, first.Limit);
        Assert.Equal(1.0, first.PeakMultiple);
        Assert.False(first.Ongoing);
        Assert.Equal((T0.AddHours(6), 1), (episodes[1].Start, episodes[1].Periods));
        Assert.Equal((T0.AddHours(8), 1), (episodes[2].Start, episodes[2].Periods));
    }

    [Fact]
    public void Episode_ReachingTheLastEndedHour_IsOngoing()
    {
        var periods = Detector.Assess(Gas, "a21026", [So2(0, 50), So2(1, 50)], []);
        var episode = Assert.Single(ExceedanceDetector.Episodes(Gas, "a21026", "hour", periods, T0.AddHours(2).AddMinutes(30)));
        Assert.True(episode.Ongoing);
    }

    [Fact]
    public void Water_UsesDailyRecords_OrHourlyMeansWithEnoughValidHours()
    {
        var day1 = new Reading("QHXN0020001", "2031", new DateTime(2025, 7, 1), "w01018", Avg: 60, Flag: "N");
        var hourly2 = Enumerable.Range(0, 18).Select(h => new Reading("QHXN0020001", "2061", new DateTime(2025, 7, 2, h, 0, 0), "w01018", Avg: 55, Flag: "N"));
        var hourly3 = Enumerable.Range(0, 17).Select(h => new Reading("QHXN0020001", "2061", new DateTime(2025, 7, 3, h, 0, 0), "w01018", Avg: 90, Flag: "N"));
        var periods = Detector.Assess(Water, "w01018", hourly2.Concat(hourly3).ToList(), [day1]);
        Assert.Equal([new DateTime(2025, 7, 1), new DateTime(2025, 7, 2)], periods.Select(p => p.Start)); // day 3 has too few valid hours
        Assert.Equal([ValueKinds.AsSent, ValueKinds.HourlyMean], periods.Select(p => p.ValueKind));
        var episode = Assert.Single(ExceedanceDetector.Episodes(Water, "w01018", "day", periods, new DateTime(2025, 8, 1)));
        Assert.Equal(2, episode.Periods);
        Assert.Equal(60, episode.Peak);
        Assert.Equal(new DateTime(2025, 7, 3), episode.End);
    }

    [Fact]
    public void RangeLimit_IsJudgedHourly_AndAMinBoundHasNoMultiple()
    {
        var ph = new[] { 5.5, 5.0, 7.0, 9.5 }.Select((v, h) => new Reading("QHXN0020001", "2061", new DateTime(2025, 7, 1, h, 0, 0), "w01001", Avg: v, Flag: "N")).ToList();
        var periods = Detector.Assess(Water, "w01001", ph, []);
        var episodes = ExceedanceDetector.Episodes(Water, "w01001", ExceedanceDetector.Basis(Water, Water.Limits["w01001"]), periods, new DateTime(2025, 8, 1));
        Assert.Equal(2, episodes.Count);
        Assert.Equal("hour", episodes[0].Basis);
        Assert.Equal((5.0, 6.0, (double?)null, 2), (episodes[0].Peak, episodes[0].Limit, episodes[0].PeakMultiple, episodes[0].Periods));
        Assert.Equal((9.5, 9.0), (episodes[1].Peak, episodes[1].Limit));
        Assert.Equal((9.5 - 9) / 9, episodes[1].PeakMultiple);
    }

    [Fact]
    public void ValueAtTheLimit_DoesNotExceed()
    {
        var periods = Detector.Assess(Gas, "a21026", [So2(0, 35), So2(1, 35.000001)], []);
        Assert.Equal([false, true], periods.Select(p => p.Exceeds));
    }
}
