using Microsoft.Extensions.Configuration;
using EmissionMonitor.Compliance.Tax;
using EmissionMonitor.Hj212.Codes;

namespace EmissionMonitor.Tests.Compliance;

/// <summary>The environmental-tax rules on their own (DOMAIN.md §0.3), each figure written out by hand.</summary>
public sealed class TaxCalculatorTests
{
    private static TaxMeasure Gas(string code, double kg, double? concentration = 10, double? limit = 35, int exceeding = 0, bool usable = true) =>
        new("MN1", code, MediumKind.Gas, kg, concentration, limit, exceeding, usable);

    private static TaxMeasure Water(string code, double kg, double? concentration = 10, double? limit = 50, int exceeding = 0) =>
        new("MN2", code, MediumKind.Water, kg, concentration, limit, exceeding, true);

    private static TaxLine Of(List<TaxLine> lines, string code) => lines.Single(l => l.Measure.Pollutant == code);

    [Theory]
    [InlineData(17.49, 0.5, "below-50")] // 0.4997 of the limit
    [InlineData(5, 0.5, "below-50")]
    [InlineData(17.5, 0.75, "below-70")] // exactly half is not below half
    [InlineData(24.49, 0.75, "below-70")]
    [InlineData(24.5, 1.0, "none")] // exactly 70 % is not 30 % below
    [InlineData(40, 1.0, "none")]
    public void TheReduction_FollowsTheMonthsConcentrationAgainstTheLimit(double concentration, double reduction, string reason)
    {
        var line = Of(new TaxCalculator(new TaxOptions()).Outlet([Gas("a21026", 95, concentration)]), "a21026");
        Assert.Equal((reduction, reason), (line.Reduction, line.ReductionReason));
        Assert.Equal(100, line.Equivalents, 9); // 95 kg ÷ 0.95 kg
        Assert.Equal(Math.Round(100 * 1.2 * reduction, 2), line.TaxYuan);
        Assert.Equal(concentration / 35, line.Ratio!.Value, 12);
    }

    [Fact]
    public void OneExceedingPeriod_OrMonitoringThatCannotStand_VoidsTheReduction()
    {
        var calculator = new TaxCalculator(new TaxOptions());
        var exceeding = Of(calculator.Outlet([Gas("a21026", 95, 5, exceeding: 1)]), "a21026");
        Assert.Equal((1.0, "exceeding", 120.0), (exceeding.Reduction, exceeding.ReductionReason, exceeding.TaxYuan));
        var unusable = Of(calculator.Outlet([Gas("a21026", 95, 5, usable: false)]), "a21026");
        Assert.Equal((1.0, "monitoring-unusable"), (unusable.Reduction, unusable.ReductionReason));
        var noLimit = Of(calculator.Outlet([Gas("a21026", 95, 5, limit: null)]), "a21026");
        Assert.Equal((1.0, "no-limit", (double?)null), (noLimit.Reduction, noLimit.ReductionReason, noLimit.Ratio));
        var noData = Of(calculator.Outlet([Gas("a21026", 95, concentration: null)]), "a21026");
        Assert.Equal((1.0, "no-valid-data"), (noData.Reduction, noData.ReductionReason));
    }

    [Fact]
    public void AnAirOutlet_IsTaxedOnItsThreeLargestByEquivalents()
    {
        // Equivalents: SO2 95/0.95 = 100, NOx 190/0.95 = 200, 烟尘 436/2.18 = 200 (tie: the lower code first), CO 16.7/16.7 = 1.
        var lines = new TaxCalculator(new TaxOptions()).Outlet([Gas("a21026", 95), Gas("a21002", 190), Gas("a34013", 436), Gas("a21005", 16.7)]);
        Assert.Equal(["a21026", "a21002", "a34013", "a21005"], lines.Select(l => l.Measure.Pollutant)); // in the order given
        Assert.Equal([true, true, true, false], lines.Select(l => l.Taxed));
        Assert.Equal("not-among-largest", Of(lines, "a21005").TaxedReason);
        Assert.Equal(0, Of(lines, "a21005").TaxYuan);

        var two = new TaxCalculator(new TaxOptions { AirItems = 2 }).Outlet([Gas("a21026", 95), Gas("a21002", 190), Gas("a34013", 436)]);
        Assert.Equal([false, true, true], two.Select(l => l.Taxed)); // a21002 and a34013 tie at 200, both above SO2's 100
    }

    [Fact]
    public void AWaterOutlet_TaxesOnlyTheLargestOfCodBod5AndToc_ThenItsThreeLargest_AndItsFiveLargestFirstClass()
    {
        // Second class: COD 100 eq, BOD5 60/0.5 = 120 eq, TOC 49/0.49 = 100 eq, NH3-N 40/0.8 = 50, SS 160/4 = 40, TP 5/0.25 = 20, petroleum 1/0.1 = 10.
        // First class: Hg 0.0005 kg = 1 eq, Cr 0.4 kg = 10 eq, Cr(VI) 0.02 kg = 1 eq.
        var lines = new TaxCalculator(new TaxOptions()).Outlet(
        [
            Water("w01018", 100), Water("w01017", 60), Water("w01020", 49), Water("w21003", 40), Water("w01012", 160), Water("w21011", 5), Water("w22001", 1),
            Water("w20111", 0.0005), Water("w20116", 0.4), Water("w20117", 0.02),
        ]);
        Assert.Equal("largest", Of(lines, "w01017").TaxedReason); // BOD5 the largest of the three
        Assert.Equal("cod-bod5-toc-largest-only", Of(lines, "w01018").TaxedReason);
        Assert.Equal("cod-bod5-toc-largest-only", Of(lines, "w01020").TaxedReason);
        Assert.True(Of(lines, "w21003").Taxed);
        Assert.True(Of(lines, "w01012").Taxed);
        Assert.Equal("not-among-largest", Of(lines, "w21011").TaxedReason);
        Assert.False(Of(lines, "w22001").Taxed);
        Assert.True(Of(lines, "w20111").Taxed && Of(lines, "w20116").Taxed && Of(lines, "w20117").Taxed); // three first-class of five allowed
        Assert.Equal(1, Of(lines, "w20111").Equivalents, 9);

        var fewer = new TaxCalculator(new TaxOptions { WaterClass1Items = 1, WaterItems = 1 }).Outlet(
            [Water("w01018", 100), Water("w21003", 400), Water("w20111", 0.0005), Water("w20116", 0.4)]);
        Assert.Equal([false, true, false, true], fewer.Select(l => l.Taxed)); // NH3-N 500 eq beats COD 100; Cr 10 eq beats Hg 1
    }

    [Fact]
    public void AnItemWithoutEmissions_IsNotTaxed_AndAPollutantWithoutAnEquivalentValue_IsNotListed()
    {
        var lines = new TaxCalculator(new TaxOptions()).Outlet([Gas("a21026", 0), Gas("a21002", 95), Gas("a24088", 50)]);
        Assert.Equal(["a21026", "a21002"], lines.Select(l => l.Measure.Pollutant));
        Assert.Equal(("no-emissions", false), (Of(lines, "a21026").TaxedReason, Of(lines, "a21026").Taxed));
    }

    [Fact]
    public void TheRates_AreConfiguration_AndWaterUsesTheWaterRate()
    {
        var line = Of(new TaxCalculator(new TaxOptions { WaterRate = 2.8 }).Outlet([Water("w01018", 1000, 40)]), "w01018");
        Assert.Equal((2.8, 1.0), (line.Rate, line.Reduction)); // 40 of 50 is 80 %
        Assert.Equal(2800, line.TaxYuan);
    }

    [Fact]
    public void HeavyMetals_SentAsGramsAreKilogramsForTheTax()
    {
        Assert.Equal(0.0005, TaxCalculator.Kilograms("w20111", 0.5), 12); // Cou of total Hg is in g
        Assert.Equal(3.5, TaxCalculator.Kilograms("w01018", 3.5));
    }

    [Theory]
    [InlineData("Tax:Equivalents:a21026", "0", "Tax:Equivalents:a21026")]
    [InlineData("Tax:Equivalents:bad", "1", "Tax:Equivalents:bad")]
    [InlineData("Tax:AirRate", "-1", "Tax:AirRate")]
    [InlineData("Tax:Reduce50Below", "0.8", "Tax:Reduce50Below")]
    public void ABadTaxSetting_StopsStartUp_NamingItsKey(string key, string value, string named)
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var e = Assert.Throws<EmissionMonitor.ConfigurationException>(() => { EmissionMonitor.Configuration.AppSettings.Bind<TaxOptions>(configuration, TaxOptions.Section); });
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }
}
