using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Totals;
using EmissionMonitor.Compliance.Validity;
using EmissionMonitor.Intake;

namespace EmissionMonitor.Tests.Compliance;

public sealed class TotalsCalculatorTests
{
    private static readonly TotalsCalculator Totals = new(new ReadingValidity(new ComplianceOptions()));
    private static readonly EmissionMonitor.Registry.Outlet Gas = Some.Registry().FindOutlet("QHXN0010001")!;
    private static readonly EmissionMonitor.Registry.Outlet Water = Some.Registry().FindOutlet("QHXN0020001")!;

    [Fact]
    public void Kg_SumsCouOfEveryRecord_ValidKgOnlyValidHours()
    {
        var hourly = new[]
        {
            new Reading("QHXN0010001", "2061", new DateTime(2025, 7, 1, 0, 0, 0), "a21026", Avg: 20, Cou: 1.5, Flag: "N"),
            new Reading("QHXN0010001", "2061", new DateTime(2025, 7, 1, 1, 0, 0), "a21026", Avg: 20, Cou: 2.5, Flag: "D"),
        };
        var t = Totals.Total(Gas, "a21026", hourly, expectedHours: 5);
        Assert.Equal(new EmissionTotal(4.0, 1.5, 2, 3), t);
    }

    [Fact]
    public void MissingCou_IsDerivedFromConcentrationAndFlow()
    {
        // The field-day water frame of DOMAIN.md 2.2, scaled to an hour: COD 22.22 mg/L, flow 5781.30 L/s.
        var cod = new Reading("QHXN0020001", "2061", new DateTime(2025, 7, 1), "w01018", Avg: 22.22, Flag: "N");
        var flowAvg = new Reading("QHXN0020001", "2061", new DateTime(2025, 7, 1), "w00000", Avg: 5781.30);
        Assert.Equal(22.22 * 5781.30 * 3.6 / 1000, Totals.Total(Water, "w01018", [cod, flowAvg], 1).Kg, 9);
        var flowCou = flowAvg with { Cou = 20812.68 };
        Assert.Equal(22.22 * 20812.68 / 1000, Totals.Total(Water, "w01018", [cod, flowCou], 1).Kg, 9);

        var so2 = new Reading("QHXN0010001", "2061", new DateTime(2025, 7, 1), "a21026", Avg: 1708.59, Flag: "N");
        var gasFlow = new Reading("QHXN0010001", "2061", new DateTime(2025, 7, 1), "a00000", Avg: 347.48);
        Assert.Equal(1708.59 * 347.48 * 3600 * 1e-6, Totals.Total(Gas, "a21026", [so2, gasFlow], 1).Kg, 9);
        Assert.Equal(0, Totals.Total(Gas, "a21026", [so2], 1).Kg); // no flow: nothing can be derived
    }
}
