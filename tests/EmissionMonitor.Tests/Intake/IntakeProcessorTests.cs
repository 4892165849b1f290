using EmissionMonitor.Hj212.Decoding;
using EmissionMonitor.Intake;
using Microsoft.Extensions.Time.Testing;

namespace EmissionMonitor.Tests.Intake;

public sealed class IntakeProcessorTests
{
    private static readonly TimeZoneInfo Shanghai = new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 7, 1, 9, 5, 0, TimeSpan.FromHours(8)));

    private IntakeProcessor Processor()
    {
        var registry = Some.Registry();
        return new IntakeProcessor(() => registry, new IntakeOptions(), Shanghai, _clock);
    }

    [Fact]
    public void ValidHourlyFrame_GivesOneReadingPerPollutant_FlooredToTheHour()
    {
        var packet = Some.Hourly(at: new DateTime(2025, 7, 1, 8, 0, 30)).Value("a21026", "Avg", 20.5m).Value("a21026", "ZsAvg", 25m).Value("a21026", "Flag", "N")
            .Value("a21002", "Avg", 40m).Build();
        var result = Processor().Process(Some.Received(packet));
        Assert.True(result.IsAccepted, result.Detail);
        Assert.Equal(FrameKind.Reading, result.Kind);
        Assert.Equal(2, result.Readings.Count);
        var so2 = result.Readings[0];
        Assert.Equal(new Reading("QHXN0010001", "2061", new DateTime(2025, 7, 1, 8, 0, 0), "a21026", Avg: 20.5, ZsAvg: 25, Flag: "N"), so2);
        Assert.Null(result.Readings[1].Flag);
    }

    [Fact]
    public void UndecodableFrame_IsRejectedWithTheDecodeError()
    {
        var result = Processor().Process(Some.Received("##0010garbage!!!!\r\n"));
        Assert.Equal(Hj212Errors.LengthMismatch, result.Rejection);
    }

    [Fact]
    public void UnknownMn_WrongPassword_MissingMn()
    {
        Assert.Equal(Reasons.UnknownMn, Processor().Process(Some.Received(Some.Hourly(mn: "NOPE").Build())).Rejection);
        Assert.Equal(Reasons.BadPassword, Processor().Process(Some.Received(Some.Hourly(pw: "000000").Build())).Rejection);
        var noMn = new EmissionMonitor.Hj212.Encoders.Hj212Builder { St = "31", Cn = "2061", Pw = "123456" }.DataTime(new DateTime(2025, 7, 1, 8, 0, 0)).Build();
        Assert.Equal(Reasons.MissingField, Processor().Process(Some.Received(noMn)).Rejection);
    }

    [Fact]
    public void MqttFrameForAnotherOutletsTopic_IsTopicMismatch()
    {
        var packet = Some.Hourly().Value("a21026", "Avg", 1m).Build();
        var ok = Processor().Process(Some.Received(packet, Transport.Mqtt, topicMn: "QHXN0010001", user: "QHXN0010001"));
        Assert.True(ok.IsAccepted);
        var foreign = Processor().Process(Some.Received(packet, Transport.Mqtt, topicMn: "QHXN0020001", user: "QHXN0020001"));
        Assert.Equal(Reasons.TopicMismatch, foreign.Rejection);
        var otherUser = Processor().Process(Some.Received(packet, Transport.Mqtt, topicMn: "QHXN0010001", user: "QHXN0020001"));
        Assert.Equal(Reasons.TopicMismatch, otherUser.Rejection);
    }

    [Fact]
    public void DataTime_MissingBadFutureOld_AreRejectedOnLiveTransportsOnly()
    {
        var noTime = new EmissionMonitor.Hj212.Encoders.Hj212Builder { St = "31", Cn = "2061", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }.Value("a21026", "Avg", 1m).Build();
        Assert.Equal(Reasons.MissingField, Processor().Process(Some.Received(noTime)).Rejection);
        var badTime = new EmissionMonitor.Hj212.Encoders.Hj212Builder { St = "31", Cn = "2061", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }.Param("DataTime", "20251301080000").Build();
        Assert.Equal(Reasons.BadDataTime, Processor().Process(Some.Received(badTime)).Rejection);

        var future = Some.Hourly(at: new DateTime(2025, 7, 1, 9, 20, 0)).Value("a21026", "Avg", 1m).Build();
        Assert.Equal(Reasons.FutureDataTime, Processor().Process(Some.Received(future)).Rejection);
        var nearFuture = Some.Hourly(at: new DateTime(2025, 7, 1, 9, 14, 0)).Value("a21026", "Avg", 1m).Build();
        Assert.True(Processor().Process(Some.Received(nearFuture)).IsAccepted);
        var old = Some.Hourly(at: new DateTime(2024, 5, 1, 8, 0, 0)).Value("a21026", "Avg", 1m).Build();
        Assert.Equal(Reasons.TooOld, Processor().Process(Some.Received(old)).Rejection);
        Assert.True(Processor().Process(Some.Received(old, Transport.Import)).IsAccepted);
    }

    [Fact]
    public void OutOfRangeValue_IsStoredButInvalid_AndTheRestOfTheFrameStands()
    {
        var packet = Some.Hourly().Value("a21026", "Avg", -3m).Value("a21002", "Avg", 40m).Value("a19001", "Avg", 30m).Build();
        var result = Processor().Process(Some.Received(packet));
        Assert.True(result.IsAccepted);
        Assert.Equal("Avg out-of-range", result.Readings.Single(r => r.Pollutant == "a21026").Invalid);
        Assert.Equal(-3, result.Readings.Single(r => r.Pollutant == "a21026").Avg);
        Assert.Null(result.Readings.Single(r => r.Pollutant == "a21002").Invalid);
        Assert.Equal("Avg out-of-range", result.Readings.Single(r => r.Pollutant == "a19001").Invalid);
    }

    [Fact]
    public void HeartbeatsAndStates_AreAcceptedAsEventsAndStates()
    {
        var heartbeat = new EmissionMonitor.Hj212.Encoders.Hj212Builder { St = "91", Cn = "9015", Pw = "123456", Mn = "QHXN0010001" }.Param("CON-RT", "0").Build();
        var e = Processor().Process(Some.Received(heartbeat));
        Assert.Equal(FrameKind.Event, e.Kind);
        Assert.True(e.IsAccepted);
        var state = new EmissionMonitor.Hj212.Encoders.Hj212Builder { St = "31", Cn = "2021", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
            .DataTime(new DateTime(2025, 7, 1, 9, 0, 0)).Value("SB1", "RS", 1m).Build();
        Assert.Equal(FrameKind.State, Processor().Process(Some.Received(state)).Kind);
    }

    [Fact]
    public void DailyRecord_IsFlooredToTheLocalDay()
    {
        var daily = new EmissionMonitor.Hj212.Encoders.Hj212Builder { St = "32", Cn = "2031", Pw = "654321", Mn = "QHXN0020001", Flag = 4 }
            .DataTime(new DateTime(2025, 6, 30, 0, 0, 0)).Value("w01018", "Avg", 30m).Value("w01018", "Flag", "N").Build();
        var result = Processor().Process(Some.Received(daily));
        Assert.Equal(new DateTime(2025, 6, 30), Assert.Single(result.Readings).Period);
    }
}
