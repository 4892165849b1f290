using EmissionMonitor.Hj212;
using EmissionMonitor.Hj212.Packets;
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
    public void RepeatedItems_FirstOccurrenceWins_WhateverTheSuffixCase_AndUnknownSuffixesAreIgnored()
    {
        var packet = Some.Hourly(at: new DateTime(2025, 7, 1, 8, 0, 0)).Value("a21026", "Avg", "abc").Value("a21026", "avg", "5").Value("a21026", "Max", 9m)
            .Value("a21026", "Max", 10m).Value("a21026", "ZsMin", 3m).Value("a21026", "flag", "D").Value("a21026", "Flag", "N").Value("a34013", "ZsMin", 1m).Build();
        var result = Processor().Process(Some.Received(packet));
        Assert.True(result.IsAccepted, result.Detail);
        var so2 = Assert.Single(result.Readings); // a34013 has no value this reading keeps
        Assert.Equal(new Reading("QHXN0010001", "2061", new DateTime(2025, 7, 1, 8, 0, 0), "a21026", Max: 9, Flag: "D"), so2);
    }

    [Fact]
    public void FieldDay_ReadingsEqualAnIndependentComputationFromTheDecodedValues()
    {
        var chunks = EmissionMonitor.Hj212.Framing.Hj212Framer.Split(EmissionMonitor.TestSupport.TestData.FieldDay()).Where(c => c.IsFrame).Take(40_000).ToList();
        var packets = chunks.Select(c => Hj212Decoder.DecodeFrame(c.Bytes.Span, c.Scan).Packet).OfType<EmissionMonitor.Hj212.Packets.Hj212Packet>().ToList();
        var outlets = string.Join(",", packets.Select(p => p.Mn).Where(m => !string.IsNullOrEmpty(m)).Distinct()
            .Select(mn => $"{{\"mn\":\"{mn}\",\"password\":\"123456\",\"kind\":\"gas\"}}"));
        var (registry, _) = EmissionMonitor.Registry.RegistryLoader.Parse("{\"enterprises\":[{\"id\":\"F\",\"name\":\"f\",\"city\":\"c\",\"outlets\":[" + outlets + "]}]}", "field day");
        var intake = new IntakeProcessor(() => registry!, new IntakeOptions(), Shanghai, _clock);
        int compared = 0;
        foreach (var chunk in chunks)
        {
            var result = intake.Process(new ReceivedFrame(chunk.Bytes, Transport.Import, "test", _clock.GetUtcNow()), chunk.Scan);
            if (result.Kind != FrameKind.Reading)
            {
                continue;
            }

            Assert.Equal(Expected(result.Packet!, result.Readings.Count > 0 ? result.Readings[0].Period : default), result.Readings);
            compared += result.Readings.Count;
        }

        Assert.True(compared > 50_000, $"compared {compared} readings");

        // Per code in order of first appearance among the packet's values (first occurrence of each
        // code-suffix), the kept suffixes; readings with neither a value nor a flag are dropped.
        static List<Reading> Expected(EmissionMonitor.Hj212.Packets.Hj212Packet packet, DateTime period)
        {
            var ranges = new PhysicalRanges(new IntakeOptions().Ranges);
            var list = new List<Reading>();
            foreach (var code in packet.Values.Select(v => v.Code).Distinct())
            {
                var r = new Reading(packet.Mn!, packet.Cn!, period, code);
                foreach (var v in packet.Values.Where(v => v.Code == code))
                {
                    if (v.Suffix == "Flag")
                    {
                        r = r with { Flag = v.Text };
                        continue;
                    }

                    if (v.Number is not { } n || v.Suffix is not ("Rtd" or "Avg" or "Min" or "Max" or "Cou" or "ZsRtd" or "ZsAvg"))
                    {
                        continue;
                    }

                    double d = (double)n;
                    r = v.Suffix switch
                    {
                        "Rtd" => r with { Rtd = d }, "Avg" => r with { Avg = d }, "Min" => r with { Min = d }, "Max" => r with { Max = d },
                        "Cou" => r with { Cou = d }, "ZsRtd" => r with { ZsRtd = d }, _ => r with { ZsAvg = d },
                    };
                    if (r.Invalid is null && ranges.Check(code, v.Suffix, d) is { } invalid)
                    {
                        r = r with { Invalid = v.Suffix + " " + invalid };
                    }
                }

                if ((r.Rtd ?? r.Avg ?? r.Min ?? r.Max ?? r.Cou ?? r.ZsRtd ?? r.ZsAvg) is not null || r.Flag is not null)
                {
                    list.Add(r);
                }
            }

            return list;
        }
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
