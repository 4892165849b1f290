using EmissionMonitor.Compliance.Totals;
using EmissionMonitor.Hj212.Codes;

namespace EmissionMonitor.Tests.Compliance;

/// <summary>The substitution rule of DOMAIN.md §0.2 on hand-made hours: each case's fill worked out by hand.</summary>
public sealed class SubstitutionTests
{
    private static readonly TotalsOptions Rule = new() { ShortGapHours = 3, LookbackHours = 4 };

    private static HourSlot V(double c, double v) => new(HourSlotKind.Valid, c, v, c * v * 1e-6);

    private static readonly HourSlot G = new(HourSlotKind.Gap);
    private static readonly HourSlot E = new(HourSlotKind.Exempt);
    private static readonly HourSlot O = new(HourSlotKind.Outside);

    private static double?[] Fill(params HourSlot[] hours) => Substitution.Fill(hours, MediumKind.Gas, Rule, out _);

    [Fact]
    public void AShortGap_TakesTheMeanConcentrationAndFlowOfItsNeighbours_ThenTheFormula()
    {
        var filled = Fill(V(10, 1000), G, G, V(30, 3000));
        double expected = 20 * 2000 * 1e-6; // mean C × mean Q, not the mean of the kg (0.05)
        Assert.Equal([null, expected, expected, null], filled);
    }

    [Fact]
    public void AGapOfExactlyTheShortLimit_IsShort_OneMore_IsLong()
    {
        Assert.Equal(20 * 2000 * 1e-6, Fill(V(10, 1000), G, G, G, V(30, 3000))[1]);
        // Four hours: the highest concentration and flow of the last four valid hours before it.
        var filled = Fill(V(50, 500), V(10, 4000), V(20, 1000), V(30, 3000), V(5, 100), G, G, G, G, V(99, 9999));
        Assert.Equal(30 * 4000 * 1e-6, filled[5]); // the look-back is four valid hours: the first (50) is out of it
    }

    [Fact]
    public void ExemptHoursArePassedOver_AnOutsideHourOrAnotherGapEndsTheSearch()
    {
        Assert.Equal(20 * 2000 * 1e-6, Fill(V(10, 1000), E, G, E, E, V(30, 3000))[2]);
        Assert.Equal(10 * 1000 * 1e-6, Fill(V(10, 1000), G, O, V(30, 3000))[1]); // one side only
        Assert.Equal(10 * 1000 * 1e-6, Fill(V(10, 1000), G, E, G, V(30, 3000))[1]); // the gap beyond the exempt hour is its own
        Assert.Equal([null, null], Fill(E, G)); // nothing to take
    }

    [Fact]
    public void WithoutFlow_TheKgOfTheSourcesIsCombined()
    {
        var noFlow = new HourSlot(HourSlotKind.Valid, 10, null, 2.0);
        var other = new HourSlot(HourSlotKind.Valid, 30, null, 4.0);
        Assert.Equal(3.0, Fill(noFlow, G, other)[1]);
        Assert.Null(Fill(new HourSlot(HourSlotKind.Valid, 10, null, null), G)[1]);
    }

    [Fact]
    public void Water_UsesItsFormula()
    {
        var filled = Substitution.Fill([V(10, 100), G, V(30, 300)], MediumKind.Water, Rule, out _);
        Assert.Equal(20 * 200 / 1000.0, filled[1]);
    }

    [Fact]
    public void ASearchRunningOffTheStart_IsReported()
    {
        Substitution.Fill([G, V(1, 1)], MediumKind.Gas, Rule, out bool offStart);
        Assert.True(offStart);
        Substitution.Fill([V(1, 1), V(1, 1), V(1, 1), V(1, 1), G, V(1, 1)], MediumKind.Gas, Rule, out bool inside);
        Assert.False(inside);
    }

    [Theory]
    [InlineData(25, 100, true)]
    [InlineData(26, 100, false)]
    [InlineData(0, 0, true)]
    public void TheQuarterRule_AllowsAQuarterMissing_NotMore(int gaps, int expected, bool usable)
    {
        var sums = new SubstitutionSums(0, 0, gaps, expected);
        Assert.Equal(usable, sums.MissingShare <= new TotalsOptions().MaxMissingShare);
    }
}
