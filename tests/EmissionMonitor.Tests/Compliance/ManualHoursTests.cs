using EmissionMonitor.Compliance.Manual;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Compliance.Summaries;

namespace EmissionMonitor.Tests.Compliance;

/// <summary>Which hours approved manual samples stand for, and what they do to a day's rate counts (DOMAIN.md §0.2), worked out by hand.</summary>
public sealed class ManualHoursTests
{
    private static readonly DateTime Day = new(2025, 7, 1);

    private static ManualSample S(string id, int hour, double value, int covers = 6, string state = ManualSample.Approved, double? flow = null, string pollutant = "a21026") => new()
    {
        Id = id, Mn = "M1", Pollutant = pollutant, SampledAt = Day.AddHours(hour).AddMinutes(10), Value = value, Unit = "mg/m3", Flow = flow, Enterprise = "E1",
        MarkId = "mk", CoverFrom = Day.AddHours(hour), CoverTo = Day.AddHours(hour + covers), By = "e", State = state,
    };

    [Fact]
    public void ASample_StandsForItsHourAndTheNext_UpToItsCover_CutAtTheNextSamplesHour()
    {
        var hours = ManualHours.Of([S("a", 8, 40, flow: 30_000), S("b", 11, 30), S("c", 20, 5, covers: 2)]);
        var of = hours.Of("M1", "a21026");
        Assert.Equal([8, 9, 10, 11, 12, 13, 14, 15, 16, 20, 21], of.Keys.Select(h => h.Hour).ToArray());
        Assert.Equal(new ManualHour(40, 30_000, "a"), of[Day.AddHours(10)]);
        Assert.Equal(new ManualHour(30, null, "b"), of[Day.AddHours(11)]);
        Assert.Equal((1 << 8) | (1 << 9) | (1 << 10) | (1 << 11) | (1 << 12) | (1 << 13) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 20) | (1 << 21), hours.Mask("M1", "a21026", Day));
        Assert.Equal([(Day.AddHours(8), Day.AddHours(17)), (Day.AddHours(20), Day.AddHours(22))], hours.Spans("M1").ToArray());
        Assert.Equal(0, hours.Mask("M1", "a21002", Day));
        Assert.Equal(0, hours.Mask("M2", "a21026", Day));
    }

    [Fact]
    public void OnlyApprovedSamplesStand_AndSamplesOfOneHourStandTogetherWithTheirMean()
    {
        var hours = ManualHours.Of([S("a", 8, 40, covers: 2), S("b", 8, 20, covers: 2, flow: 10), S("p", 9, 99, state: ManualSample.Pending),
            S("r", 10, 99, state: ManualSample.Revoked), S("x", 11, 99, state: ManualSample.Rejected)]);
        var of = hours.Of("M1", "a21026");
        Assert.Equal([8, 9], of.Keys.Select(h => h.Hour).ToArray());
        Assert.Equal(30, of[Day.AddHours(9)].Value);
        Assert.Equal(10, of[Day.AddHours(9)].Flow);
        Assert.False(ManualHours.Of([S("p", 9, 99, state: ManualSample.Pending)]).Any);
    }

    [Fact]
    public void AManualHour_IsReceivedAndExcused_UnlessItsAutomaticValueIsValid_AndAnExemptHourStaysExempt()
    {
        // Hours 0–3 sent: 0 valid, 1 invalid (D), 2 valid, 3 flagged F (exempt); 4 and 5 missing. Samples stand for 1–5.
        var fact = new DayFact("M1", "a21026", Day);
        foreach (var (h, flag, valid) in new[] { (0, "N", true), (1, "D", false), (2, "N", true), (3, "F", false) })
        {
            fact.Flags[h] = flag;
            fact.ValidMask |= valid ? 1 << h : 0;
        }

        int hours = 0b111111; // 0–5
        var without = FactCounts.Day(fact, hours, HourCorrections.None, ["F"]);
        Assert.Equal((5, 3, 0, 2), (without.Expected, without.Received, without.Excused, without.Valid));

        int manual = 0b111110; // 1–5
        var with = FactCounts.Day(fact, hours, FactCounts.Corrections(Day, Array.Empty<Mark>(), _ => MarkEffect.None, manual: manual), ["F"]);
        Assert.Equal((5, 5, 3, 2), (with.Expected, with.Received, with.Excused, with.Valid)); // 1, 4 and 5 excused; 2 stays valid; 3 exempt
        Assert.Equal(1.0, with.EffectiveRate);
    }
}
