using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Cards;
using EmissionMonitor.Compliance.Summaries;
using EmissionMonitor.Intake;

namespace EmissionMonitor.Tests.Compliance;

/// <summary>The day facts the summaries keep, built by the rules from an outlet's hourly readings.</summary>
public sealed class FactRulesTests
{
    private static readonly EmissionMonitor.Registry.Outlet Gas = Some.Registry().FindOutlet("QHXN0010001")!;
    private static readonly DateTime Day = new(2025, 7, 1);

    private static Reading Hour(int hour, double value, string flag = "N") => new("QHXN0010001", "2061", Day.AddHours(hour), "a21026", Avg: value, ZsAvg: value, Flag: flag);

    [Fact]
    public void ADaysFact_CountsReceivedValidAndExceedingHours_AndListsTheExceedingHours()
    {
        var rules = new FactRules(new ComplianceOptions(), new CardOptions());
        var hourly = new[] { Hour(0, 10), Hour(1, 80), Hour(2, 90), Hour(3, 10, flag: "D"), Hour(5, 20) };
        var (days, exceeding) = rules.Compute(Gas, hourly, []);
        var fact = Assert.Single(days, d => d.Pollutant == "a21026");
        Assert.Equal((5, 4), (fact.Received, fact.ValidCount)); // the D-flagged hour is received, not valid
        Assert.Equal(0b110, fact.ExceedMask); // hours 1 and 2 beyond the limit of 35
        Assert.Equal([Day.AddHours(1), Day.AddHours(2)], exceeding.Where(e => e.Pollutant == "a21026").Select(e => e.Hour));
    }

    [Fact]
    public void TheFingerprint_ChangesWithTheRules_NotWithTheReadings()
    {
        var a = new FactRules(new ComplianceOptions(), new CardOptions());
        var b = new FactRules(new ComplianceOptions(), new CardOptions());
        Assert.Equal(a.Fingerprint(Gas), b.Fingerprint(Gas));
        var other = new FactRules(new ComplianceOptions { MissingFlagAs = "F" }, new CardOptions());
        Assert.NotEqual(a.Fingerprint(Gas), other.Fingerprint(Gas));
    }
}
