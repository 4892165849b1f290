using EmissionMonitor.Compliance.Anomalies;
using EmissionMonitor.Intake;

namespace EmissionMonitor.Tests.Compliance;

/// <summary>The anomaly rules on their own, fed records as the alert desk feeds them (in arrival order).</summary>
public sealed class AnomalyDetectorTests
{
    private static readonly EmissionMonitor.Registry.Outlet Gas = Some.Registry().FindOutlet("QHXN0010001")!;
    private static readonly DateTime Start = new(2025, 7, 1, 0, 0, 0);

    private static Reading Hourly(DateTime hour, string pollutant, double avg) => new("QHXN0010001", "2061", hour, pollutant, Avg: avg, Flag: "N");

    private static AnomalyFinding Finding(List<AnomalyFinding> findings, string subKind, string pollutant = "a21026") =>
        findings.Single(f => f.SubKind == subKind && f.Pollutant == pollutant);

    [Fact]
    public void AConstantHourlyValue_IsAnAnomalyAfterConstantHours_FromTheRunsStart_AndEndsWhenTheValueMoves()
    {
        var detector = new AnomalyDetector(new AnomalyOptions { ConstantHours = 4 });
        var states = new List<bool>();
        for (int h = 0; h < 5; h++)
        {
            states.Add(Finding(detector.Observe(Gas, "2061", Start.AddHours(h), [Hourly(Start.AddHours(h), "a21026", 12.5)]), AnomalyKinds.Constant).Active);
        }

        Assert.Equal([false, false, false, true, true], states);
        var moved = detector.Observe(Gas, "2061", Start.AddHours(5), [Hourly(Start.AddHours(5), "a21026", 13)]);
        Assert.False(Finding(moved, AnomalyKinds.Constant).Active);
        Assert.Equal(Start.AddHours(5), Finding(moved, AnomalyKinds.Constant).Start); // a new run
    }

    [Fact]
    public void AGapInTheHours_BreaksTheRun()
    {
        var detector = new AnomalyDetector(new AnomalyOptions { ConstantHours = 3 });
        detector.Observe(Gas, "2061", Start, [Hourly(Start, "a21026", 7)]);
        detector.Observe(Gas, "2061", Start.AddHours(1), [Hourly(Start.AddHours(1), "a21026", 7)]);
        var afterGap = detector.Observe(Gas, "2061", Start.AddHours(5), [Hourly(Start.AddHours(5), "a21026", 7)]);
        Assert.False(Finding(afterGap, AnomalyKinds.Constant).Active);
    }

    [Fact]
    public void NegativeValues_AreAnomalies_AtOnce_AndPerPollutant()
    {
        var detector = new AnomalyDetector(new AnomalyOptions());
        var findings = detector.Observe(Gas, "2061", Start, [Hourly(Start, "a21026", -1), Hourly(Start, "a21002", 20)]);
        Assert.True(Finding(findings, AnomalyKinds.Negative).Active);
        Assert.False(Finding(findings, AnomalyKinds.Negative, "a21002").Active);
    }

    [Fact]
    public void PollutantsWithoutALimit_OrSwitchedOff_OrInvalid_AreNotJudged_AndOtherCnsAreIgnored()
    {
        var options = new AnomalyOptions();
        options.Pollutants["a21002"] = new PollutantAnomalyOptions { Enabled = false };
        var detector = new AnomalyDetector(options);
        var findings = detector.Observe(Gas, "2061", Start,
            [Hourly(Start, "a21002", -5), Hourly(Start, "a01012", -5), Hourly(Start, "a21026", -5) with { Invalid = "not finite" }]);
        Assert.Empty(findings);
        Assert.Empty(detector.Observe(Gas, "2031", Start, [Hourly(Start, "a21026", -5)]));
    }

    [Fact]
    public void ARealTimeValue_IsConstantOnlyAfterItsMinutes()
    {
        var detector = new AnomalyDetector(new AnomalyOptions { ConstantRealTimeMinutes = 30 });
        Reading At(int minute) => new("QHXN0010001", "2011", Start.AddMinutes(minute), "a21026", Rtd: 9.9, Flag: "N");
        bool Active(int minute) => Finding(detector.Observe(Gas, "2011", Start.AddMinutes(minute), [At(minute)]), AnomalyKinds.Constant).Active;
        Assert.Equal([false, false, false, true], new[] { 0, 10, 29, 30 }.Select(Active).ToList());
    }
}
