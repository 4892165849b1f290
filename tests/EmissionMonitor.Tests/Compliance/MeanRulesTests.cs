using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Means;
using EmissionMonitor.Compliance.Summaries;

namespace EmissionMonitor.Tests.Compliance;

/// <summary>The validity counts of HJ 75/76 Appendix B for longer means, on hand-made day facts.</summary>
public sealed class MeanRulesTests
{
    private static readonly MeanRules Rules = new(new ComplianceOptions());

    /// <summary>A day whose first <paramref name="validHours"/> hours are valid with value <paramref name="value"/>.</summary>
    private static DayFact Day(DateTime day, int validHours, double value) =>
        new("MN", "a21026", day) { ValidMask = (1 << validHours) - 1, ValueSum = validHours * value };

    private static Dictionary<DateTime, DayFact> Days(DateTime from, int count, Func<int, int> validHours, Func<int, double> value) =>
        Enumerable.Range(0, count).ToDictionary(i => from.AddDays(i), i => Day(from.AddDays(i), validHours(i), value(i)));

    [Fact]
    public void ADay_NeedsTwentyValidHours()
    {
        var days = new Dictionary<DateTime, DayFact> { [new(2025, 7, 1)] = Day(new(2025, 7, 1), 20, 30), [new(2025, 7, 2)] = Day(new(2025, 7, 2), 19, 30) };
        var means = Rules.Means("day", new(2025, 7, 1), new(2025, 7, 4), days);
        Assert.Equal([30.0, null, null], means.Select(m => m.Value));
        Assert.Equal([20, 19, 0], means.Select(m => m.ValidCount));
        Assert.All(means, m => Assert.Equal(20, m.RequiredCount));
    }

    [Fact]
    public void AMonth_NeedsTwentyFiveValidDays_FebruaryTwentyThree_AndAveragesTheDailyMeans()
    {
        var july = Days(new(2025, 7, 1), 31, i => i < 25 ? 24 : 10, i => i);
        var month = Assert.Single(Rules.Means("month", new(2025, 7, 1), new(2025, 8, 1), july));
        Assert.Equal(Enumerable.Range(0, 25).Average(), month.Value);
        Assert.Equal((25, 25), (month.ValidCount, month.RequiredCount));

        var short1 = Days(new(2025, 7, 1), 31, i => i < 24 ? 24 : 10, i => i);
        Assert.Null(Assert.Single(Rules.Means("month", new(2025, 7, 1), new(2025, 8, 1), short1)).Value);

        var february = Days(new(2025, 2, 1), 28, i => i < 23 ? 24 : 0, _ => 7);
        var feb = Assert.Single(Rules.Means("month", new(2025, 2, 1), new(2025, 3, 1), february));
        Assert.Equal((7.0, 23, 23), (feb.Value, feb.ValidCount, feb.RequiredCount));
    }

    [Fact]
    public void APeriodHoldingPartOfAMonth_NeedsEachOfItsDays()
    {
        var days = Days(new(2025, 7, 1), 10, i => 24, _ => 5);
        var part = Assert.Single(Rules.Means("month", new(2025, 7, 1), new(2025, 7, 11), days));
        Assert.Equal((5.0, 10, 10), (part.Value, part.ValidCount, part.RequiredCount));
        days[new(2025, 7, 3)] = Day(new(2025, 7, 3), 3, 5);
        Assert.Null(Assert.Single(Rules.Means("month", new(2025, 7, 1), new(2025, 7, 11), days)).Value);
    }

    [Fact]
    public void AQuarter_IsTheMeanOfItsMonths_WhenEveryMonthIsValid()
    {
        var days = Days(new(2025, 7, 1), 92, _ => 24, i => i < 31 ? 10 : i < 62 ? 20 : 30);
        var quarter = Assert.Single(Rules.Means("quarter", new(2025, 7, 1), new(2025, 10, 1), days));
        Assert.Equal((20.0, 3, 3), (quarter.Value, quarter.ValidCount, quarter.RequiredCount));
        Assert.Equal(92 * 24, quarter.ValidHours);
        foreach (int i in Enumerable.Range(40, 10))
        {
            days[new DateTime(2025, 7, 1).AddDays(i)] = Day(new DateTime(2025, 7, 1).AddDays(i), 0, 0);
        }

        var broken = Assert.Single(Rules.Means("quarter", new(2025, 7, 1), new(2025, 10, 1), days));
        Assert.Null(broken.Value); // August has 21 valid days: not a valid month, so not a valid quarter
        Assert.Equal((2, 3), (broken.ValidCount, broken.RequiredCount));
        Assert.Equal("2025Q3", EmissionMonitor.Reports.ReportService.UnitName(broken));
    }
}
