using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Cards;
using EmissionMonitor.Intake;

namespace EmissionMonitor.Tests.Compliance;

/// <summary>The quarterly yellow/red rule and its conditions on their own (DOMAIN.md section 0).</summary>
public sealed class CardEngineTests
{
    private static readonly CardEngine Engine = new(new CardOptions { YellowRate = 0.20, RectificationQuarters = 1 });

    private static IReadOnlyList<CardReason> Met() => [Engine.ExceedanceReason("a21026", "QHXN0010001", 30, 100)!];

    [Fact]
    public void TheExceedanceRate_IsAReasonAtOrAboveTheYellowRate_AndNothingBelowOrWithoutValidPeriods()
    {
        Assert.NotNull(Engine.ExceedanceReason("a21026", "M1", 20, 100));
        Assert.Null(Engine.ExceedanceReason("a21026", "M1", 19, 100));
        Assert.Null(Engine.ExceedanceReason("a21026", "M1", 0, 0));
    }

    [Fact]
    public void AQuarterMeetingAConditionAgain_WithinTheRectificationPeriod_IsRed_AndAGapResetsIt()
    {
        var cards = Engine.Cards("E1", [("2025Q1", Met()), ("2025Q2", Met()), ("2025Q3", []), ("2025Q4", Met())], []);
        Assert.Equal(["2025Q1:yellow", "2025Q2:red", "2025Q4:yellow"], cards.Select(c => $"{c.Quarter}:{c.Colour}"));
        Assert.Equal(new DateOnly(2025, 6, 30), cards[0].RectifyBy); // the end of the next quarter
    }

    [Fact]
    public void ALiftedOrDismissedCard_DoesNotEscalate()
    {
        var lift = new CardLift("E1", "2025Q1", DateTimeOffset.UnixEpoch, "op", "整改完成");
        Assert.Equal("yellow", Engine.Cards("E1", [("2025Q1", Met()), ("2025Q2", Met())], [lift])[1].Colour);
        var dismissed = new CardDecision("E1", "2025Q1", CardDecision.Dismissed, DateTimeOffset.UnixEpoch, "op", "数据有误", "yellow", []);
        Assert.Equal("yellow", Engine.Cards("E1", [("2025Q1", Met()), ("2025Q2", Met())], [], [dismissed])[1].Colour);
    }

    [Fact]
    public void AConfirmedCard_WhoseConditionsLateDataRemoved_StaysListedUntilLifted()
    {
        var confirmed = new CardDecision("E1", "2025Q1", CardDecision.Confirmed, DateTimeOffset.UnixEpoch, "op", null, "yellow", [Met()[0].ToString()]);
        var card = Assert.Single(Engine.Cards("E1", [("2025Q1", [])], [], [confirmed]));
        Assert.False(card.ConditionsMet);
        Assert.Equal("yellow", card.Colour);
        var lift = new CardLift("E1", "2025Q1", DateTimeOffset.UnixEpoch, "op", null);
        Assert.Empty(Engine.Cards("E1", [("2025Q1", [])], [lift], [confirmed]));
    }

    [Fact]
    public void TheConditions_OfAnEnterprise_ComeFromItsHourlyReadings_PerTotalledPollutantAtEachOutlet()
    {
        var registry = Some.Registry();
        var enterprise = registry.FindEnterprise("QH-XN-001")!;
        var quarter = ReportPeriod.Quarter("2025Q3")!;
        var hours = Enumerable.Range(0, 100).Select(h => new Reading("QHXN0010001", "2061", quarter.From.AddHours(h), "a21026", Avg: h < 25 ? 80 : 10, ZsAvg: h < 25 ? 80 : 10, Flag: "N"));
        var conditions = new CardConditions(new ComplianceOptions(), new CardOptions { YellowRate = 0.20 });
        var reasons = conditions.Reasons(enterprise, quarter, hours.ToLookup(r => r.Mn), Array.Empty<Reading>().ToLookup(r => r.Mn));
        var reason = Assert.Single(reasons);
        Assert.StartsWith("exceedance-rate:a21026:QHXN0010001:", reason.ToString(), StringComparison.Ordinal);
        var fewer = Enumerable.Range(0, 100).Select(h => new Reading("QHXN0010001", "2061", quarter.From.AddHours(h), "a21026", Avg: h < 15 ? 80 : 10, ZsAvg: h < 15 ? 80 : 10, Flag: "N"));
        Assert.Empty(conditions.Reasons(enterprise, quarter, fewer.ToLookup(r => r.Mn), Array.Empty<Reading>().ToLookup(r => r.Mn)));
    }
}
