using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Compliance.Rates;
using EmissionMonitor.Intake;

namespace EmissionMonitor.Tests.Compliance;

public sealed class RateCalculatorTests
{
    private static readonly RateCalculator Calculator = new(new ComplianceOptions());
    private static readonly EmissionMonitor.Registry.Outlet Gas = Some.Registry().FindOutlet("QHXN0010001")!;
    private static readonly ReportPeriod Day = new(new DateTime(2025, 7, 1), new DateTime(2025, 7, 2));
    private static readonly DateTime Later = new(2025, 8, 1);

    private static Reading Hour(int h, double? avg = 20, string? flag = "N", string? invalid = null) =>
        new("QHXN0010001", "2061", new DateTime(2025, 7, 1, h, 0, 0), "a21026", Avg: avg, Flag: flag, Invalid: invalid);

    private static RateCounts Count(IEnumerable<Reading> readings, IReadOnlyList<Mark>? marks = null, DateTime? now = null) =>
        RateCounts.Of(Calculator.Hours(Gas, "a21026", Day, now ?? Later, readings, marks ?? []));

    [Fact]
    public void MarkKinds_HaveTheDefaultsOfDomainSection0()
    {
        // Hours 10–12 flagged M, C and D; hours 14–15 missing. Each kind covers 10:00–16:00.
        var readings = Enumerable.Range(0, 24).Where(h => h is not (14 or 15)).Select(h => h switch
        {
            10 => Hour(h, flag: "M"),
            11 => Hour(h, flag: "C"),
            12 => Hour(h, flag: "D"),
            _ => Hour(h),
        }).ToList();
        RateCounts With(string kind) =>
            Count(readings, [new Mark("QHXN0010001", kind, new DateTime(2025, 7, 1, 10, 0, 0), new DateTime(2025, 7, 1, 16, 0, 0))]);

        Assert.Equal(new RateCounts(24, 22, 0, 19), Count(readings));
        Assert.Equal(new RateCounts(18, 18, 0, 18), With(Mark.Shutdown));      // exempt: the six hours leave the expected count
        Assert.Equal(new RateCounts(18, 18, 0, 18), With(Mark.ForceMajeure));
        Assert.Equal(new RateCounts(18, 18, 0, 18), With(Mark.Communication)); // 通讯中断 exempts the hours
        Assert.Equal(new RateCounts(24, 22, 1, 19), With(Mark.Maintenance));   // excuses M
        Assert.Equal(new RateCounts(24, 22, 1, 19), With(Mark.Calibration));   // excuses C
        Assert.Equal(new RateCounts(24, 22, 1, 19), With(Mark.Fault));         // 故障 excuses D
        Assert.Equal(19.0 / 21, With(Mark.Fault).ValidityRate);
    }

    [Fact]
    public void MarkEffects_AreConfiguration_AndExemptWinsWhereMarksOverlap()
    {
        var options = new ComplianceOptions();
        options.MarkEffects[Mark.Fault] = new MarkEffect { Effect = MarkEffect.Excuse, Flags = ["D", "M"] };
        options.MarkEffects[Mark.Maintenance] = new MarkEffect { Effect = MarkEffect.NoEffect };
        var calculator = new RateCalculator(options);
        var readings = Enumerable.Range(0, 24).Select(h => h switch { 10 => Hour(h, flag: "M"), 12 => Hour(h, flag: "D"), _ => Hour(h) }).ToList();
        RateCounts With(params Mark[] marks) => RateCounts.Of(calculator.Hours(Gas, "a21026", Day, Later, readings, marks));
        var span = (From: new DateTime(2025, 7, 1, 10, 0, 0), To: new DateTime(2025, 7, 1, 13, 0, 0));

        Assert.Equal(new RateCounts(24, 24, 2, 22), With(new Mark("QHXN0010001", Mark.Fault, span.From, span.To)));
        Assert.Equal(new RateCounts(24, 24, 0, 22), With(new Mark("QHXN0010001", Mark.Maintenance, span.From, span.To)));
        // A shutdown over the fault mark: the hours are exempt, not excused.
        var both = With(new Mark("QHXN0010001", Mark.Fault, span.From, span.To), new Mark("QHXN0010001", Mark.Shutdown, span.From, span.To));
        Assert.Equal(new RateCounts(21, 21, 0, 21), both);
        Assert.Equal(HourState.Exempt, calculator.Hours(Gas, "a21026", Day, Later, readings,
            [new Mark("QHXN0010001", Mark.Fault, span.From, span.To), new Mark("QHXN0010001", Mark.Shutdown, span.From, span.To)]).Single(h => h.Hour == span.From).State);
    }

    [Fact]
    public void MarkEffects_BadConfiguration_NamesTheKey()
    {
        var options = new ComplianceOptions();
        options.MarkEffects["holiday"] = new MarkEffect { Effect = MarkEffect.Exempt };
        options.MarkEffects[Mark.Fault] = new MarkEffect { Effect = MarkEffect.Excuse };
        options.MarkEffects[Mark.Shutdown] = new MarkEffect { Effect = "skip" };
        var problems = options.MarkEffectProblems().ToList();
        Assert.Contains(problems, p => p.StartsWith("Compliance:MarkEffects:holiday:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Compliance:MarkEffects:fault:Flags:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Compliance:MarkEffects:shutdown:Effect:", StringComparison.Ordinal));
    }

    [Fact]
    public void FullDay_AllValid_IsOne()
    {
        var c = Count(Enumerable.Range(0, 24).Select(h => Hour(h)));
        Assert.Equal(new RateCounts(24, 24, 0, 24), c);
        Assert.Equal(1.0, c.EffectiveRate);
        Assert.False(c.BelowThreshold(0.9));
    }

    [Fact]
    public void OneMissingHour_Is23Of24_AndBelowThresholdComparesUnrounded()
    {
        var c = Count(Enumerable.Range(0, 23).Select(h => Hour(h)));
        Assert.Equal(new RateCounts(24, 23, 0, 23), c);
        Assert.Equal(23.0 / 24, c.TransmissionRate);
        Assert.Equal(1.0, c.ValidityRate);
        Assert.Equal(23.0 / 24, c.EffectiveRate);
        Assert.True(c.BelowThreshold(23.0 / 24 + 1e-12));
        Assert.False(c.BelowThreshold(23.0 / 24));
    }

    [Fact]
    public void FlagF_ExemptsTheHour_OtherFlagsMakeItInvalid_MissingFlagCountsAsN()
    {
        var readings = Enumerable.Range(0, 24).Select(h => h switch
        {
            0 => Hour(h, flag: "F"),
            1 => Hour(h, flag: "D"),
            2 => Hour(h, flag: null),
            3 => Hour(h, invalid: "Avg out-of-range"),
            4 => Hour(h, avg: null),
            _ => Hour(h),
        });
        var c = Count(readings);
        Assert.Equal(new RateCounts(23, 23, 0, 20), c);
        Assert.Equal(20.0 / 23, c.ValidityRate);
    }

    [Fact]
    public void Marks_ShutdownExempts_MaintenanceExcusesOnlyM()
    {
        var readings = Enumerable.Range(0, 24).Where(h => h is not (5 or 6)).Select(h => h switch
        {
            10 => Hour(h, flag: "M"),
            11 => Hour(h, flag: "C"),
            12 => Hour(h, flag: "D"),
            _ => Hour(h),
        });
        var marks = new[]
        {
            new Mark("QHXN0010001", Mark.Shutdown, new DateTime(2025, 7, 1, 5, 0, 0), new DateTime(2025, 7, 1, 7, 0, 0)),
            new Mark("QHXN0010001", Mark.Maintenance, new DateTime(2025, 7, 1, 10, 0, 0), new DateTime(2025, 7, 1, 13, 0, 0)),
            new Mark("OTHER", Mark.Shutdown, new DateTime(2025, 7, 1), new DateTime(2025, 7, 2)),
        };
        var c = Count(readings, marks);
        // DOMAIN.md §0: maintenance excuses M only (C is calibration's, D fault's); C and D stay invalid.
        Assert.Equal(new RateCounts(22, 22, 1, 19), c);
        Assert.Equal(19.0 / 21, c.ValidityRate);
        Assert.Equal(1.0 * 19.0 / 21, c.EffectiveRate);
    }

    [Fact]
    public void HoursNotYetEnded_AreNotExpected()
    {
        var c = Count(Enumerable.Range(0, 10).Select(h => Hour(h)), now: new DateTime(2025, 7, 1, 10, 30, 0));
        Assert.Equal(new RateCounts(10, 10, 0, 10), c);
        var none = Count([], now: new DateTime(2025, 6, 30));
        Assert.False(none.Assessed);
        Assert.Null(none.TransmissionRate);
        Assert.Null(none.EffectiveRate);
    }

    [Fact]
    public void AllReceivedExcused_HasNoValidityRate_AndTheTransmissionRateAsEffectiveRate()
    {
        var c = new RateCounts(3, 2, 2, 0);
        Assert.Equal(2.0 / 3, c.TransmissionRate);
        Assert.Null(c.ValidityRate);
        Assert.Equal(2.0 / 3, c.EffectiveRate);
        Assert.True(c.BelowThreshold(0.9));
        Assert.False(new RateCounts(10, 10, 10, 0).BelowThreshold(0.9));
    }

    [Fact]
    public void AnOutletThatSentNothing_IsTheWorstCase_NeverABlank()
    {
        var c = Count([]);
        Assert.Equal(new RateCounts(24, 0, 0, 0), c);
        Assert.Equal(0.0, c.TransmissionRate);
        Assert.Null(c.ValidityRate);
        Assert.Equal(0.0, c.EffectiveRate);
        Assert.True(c.BelowThreshold(0.9));
    }

    [Fact]
    public void LateBackfilledHour_CountsWhenItArrives()
    {
        var before = Count(Enumerable.Range(0, 24).Where(h => h != 7).Select(h => Hour(h)));
        var after = Count(Enumerable.Range(0, 24).Select(h => Hour(h)));
        Assert.Equal(23, before.Received);
        Assert.Equal(24, after.Received);
    }

    [Fact]
    public void RollUp_SumsCountsAndRecomputesRates()
    {
        var a = new RateCounts(24, 24, 0, 24);
        var b = new RateCounts(24, 12, 0, 12);
        var sum = a + b;
        Assert.Equal(new RateCounts(48, 36, 0, 36), sum);
        Assert.Equal(0.75, sum.EffectiveRate);
    }

    [Fact]
    public void Quarter_IsLocalCalendarQuarter_WithoutDst()
    {
        var q3 = ReportPeriod.Quarter("2025Q3")!;
        Assert.Equal(new DateTime(2025, 7, 1), q3.From);
        Assert.Equal(new DateTime(2025, 10, 1), q3.To);
        Assert.Equal(92 * 24, q3.Hours().Count()); // Asia/Shanghai has no DST: every day has 24 hours
        Assert.Null(ReportPeriod.Quarter("2025Q5"));
        Assert.Equal("2025Q4", ReportPeriod.QuarterName(new DateTime(2025, 10, 1)));
        Assert.Equal(ReportPeriod.Quarter("2025Q3"), ReportPeriod.QuarterOf(new DateTime(2025, 9, 30, 23, 59, 59)));
        var shanghai = new ComplianceOptions().ResolveTimeZone();
        Assert.Equal(TimeSpan.FromHours(8), shanghai.GetUtcOffset(new DateTime(2025, 7, 1)));
        Assert.Equal(TimeSpan.FromHours(8), shanghai.GetUtcOffset(new DateTime(2025, 1, 1)));
    }

    [Fact]
    public void ActiveFrom_LeavesEarlierHoursOut()
    {
        var outlet = Gas with { ActiveFrom = new DateOnly(2025, 7, 2) };
        var two = new ReportPeriod(new DateTime(2025, 7, 1), new DateTime(2025, 7, 3));
        var hours = Calculator.Hours(outlet, "a21026", two, Later, [], []);
        Assert.Equal(24, hours.Count);
        Assert.All(hours, h => Assert.Equal(new DateTime(2025, 7, 2), h.Hour.Date));
    }
}
