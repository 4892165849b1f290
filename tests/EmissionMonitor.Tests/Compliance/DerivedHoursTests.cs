using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Validity;
using EmissionMonitor.Hj212;
using EmissionMonitor.Intake;

namespace EmissionMonitor.Tests.Compliance;

/// <summary>Hours derived from minute records (HJ 75/76 Appendix B), on hand-made minutes.</summary>
public sealed class DerivedHoursTests
{
    private static readonly DateTime Hour = new(2025, 7, 1, 8, 0, 0);
    private static readonly DerivedHours Rule = new(new ComplianceOptions());

    private static IEnumerable<Reading> Minutes(int count, Func<int, string?> flag, string pollutant = "a21026") =>
        Enumerable.Range(0, count).Select(m => new Reading("MN", Cns.Minute, Hour.AddMinutes(m), pollutant, Avg: 10 + m, Min: 5 + m, Max: 20 + m, Cou: 0.5, ZsAvg: 12 + m, Flag: flag(m)));

    [Fact]
    public void FortyFiveValidMinutes_MakeAValidHour_OfTheirMeanSumAndExtremes()
    {
        var derived = Assert.Single(Rule.Complete([], Minutes(50, m => m < 45 ? "N" : "D")));
        Assert.True(derived.Derived);
        Assert.Equal((Cns.Hourly, Hour, "N", null), (derived.Cn, derived.Period, derived.Flag, derived.Invalid));
        Assert.Equal(Enumerable.Range(0, 45).Average(m => 10.0 + m), derived.Avg);
        Assert.Equal(Enumerable.Range(0, 45).Average(m => 12.0 + m), derived.ZsAvg);
        Assert.Equal(45 * 0.5, derived.Cou);
        Assert.Equal((5.0, 64.0), (derived.Min!.Value, derived.Max!.Value));
    }

    [Fact]
    public void FortyFour_AreReceivedButInvalid_TooFewMinutes()
    {
        var derived = Assert.Single(Rule.Complete([], Minutes(50, m => m < 44 ? "N" : "D")));
        Assert.Equal(DerivedHours.TooFewMinutes, derived.Invalid);
        Assert.False(new ReadingValidity(new ComplianceOptions()).IsValid(derived));
    }

    [Fact]
    public void MostMinutesStopped_MakeAnExemptHour()
    {
        var derived = Assert.Single(Rule.Complete([], Minutes(60, m => m < 40 ? "F" : "N")));
        Assert.Equal("F", derived.Flag);
        Assert.Null(derived.Invalid);
    }

    [Fact]
    public void ARealHourlyRecord_Wins_AndTheRuleCanBeOff()
    {
        var real = new Reading("MN", Cns.Hourly, Hour, "a21026", Avg: 99, Flag: "N");
        var completed = Rule.Complete([real], [.. Minutes(60, _ => "N"), .. Minutes(60, _ => "N", "a21002")]);
        Assert.Equal(2, completed.Count);
        Assert.Same(real, completed[0]);
        Assert.Equal(("a21002", true), (completed[1].Pollutant, completed[1].Derived));
        Assert.Empty(new DerivedHours(new ComplianceOptions { DeriveHoursFromMinutes = false }).Complete([], Minutes(60, _ => "N")));
    }
}
