using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Hj212.Replies;

namespace EmissionMonitor.Hj212.Tests;

public sealed class EncodingTests
{
    private static Hj212Packet RoundTrip(Hj212Packet m)
    {
        var result = Hj212Decoder.Decode(Hj212Encoder.Encode(m));
        Assert.True(result.IsOk, result.Detail);
        return result.Packet!;
    }

    [Fact]
    public void Builder_AppendixAExample_ReproducesTheStandardsFrame()
    {
        var m = new Hj212Builder { Qn = "20160801085857223", St = "32", Cn = "1062", Pw = "100000", Mn = "010000A8900016F000169DC0", Flag = 5 }
            .Param("RtdInterval", "30").Build();
        Assert.Equal("##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80\r\n", m.ToString());
    }

    [Fact]
    public void Builder_HourlyRecord_ReproducesTheStandardsC17Frame()
    {
        var m = new Hj212Builder { Qn = "20160801090000001", St = "32", Cn = "2061", Pw = "123456", Mn = "010000A8900016F000169DC0", Flag = 5 }
            .DataTime(new DateTime(2016, 8, 1, 8, 0, 0))
            .Value("w00000", "Cou", 63.0m).Value("w00000", "Min", 16.4m).Value("w00000", "Avg", 17.5m).Value("w00000", "Max", 20.1m).Value("w00000", "Flag", "N")
            .Value("w01001", "Min", 7.1m).Value("w01001", "Avg", 7.5m).Value("w01001", "Max", 7.8m).Value("w01001", "Flag", "N")
            .Value("w01018", "Cou", 63.0m).Value("w01018", "Min", 40.1m).Value("w01018", "Avg", 40.1m).Value("w01018", "Max", 40.1m).Value("w01018", "Flag", "N")
            .Build();
        Assert.EndsWith("w01018-Flag=N&&B7C1\r\n", m.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("##0325", m.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeOfEncode_EqualsTheNormalisedModel()
    {
        var random = new Random(9);
        for (int i = 0; i < 200; i++)
        {
            var b = new Hj212Builder
            {
                Qn = random.Next(2) == 0 ? null : Hj212Time.FormatQn(new DateTime(2025, 7, 1).AddMilliseconds(random.Next())),
                St = random.Next(2) == 0 ? "31" : "32",
                Cn = new[] { "2011", "2051", "2061", "2031" }[random.Next(4)],
                Pw = "123456",
                Mn = $"QHXN{random.Next(100000):D7}",
                Flag = random.Next(3) == 0 ? null : random.Next(0, 12),
            };
            b.DataTime(new DateTime(2025, 7, 1).AddHours(random.Next(2000)));
            foreach (var code in new[] { "a21026", "a21002", "w01018" }.Take(random.Next(1, 4)))
            {
                b.Value(code, "Avg", Math.Round((decimal)(random.NextDouble() * 200 - 20), random.Next(0, 4)));
                b.Value(code, "Flag", "NFMD"[random.Next(4)].ToString());
            }

            var m = b.Build();
            Assert.Equal(m, RoundTrip(m));
        }
    }

    [Fact]
    public void DataReply_ToTheC50SubPacket_IsTheStandardsReply()
    {
        var part = Hj212Decoder.Decode("##0260QN=20160801085857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=7;PNUM=2;PNO=1;CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N&&D941\r\n"u8).Packet!;
        Assert.Equal("##0087QN=20160801085857534;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&5B40\r\n", Hj212Replies.ReplyFor(part)!.ToString());
    }

    [Fact]
    public void Replies_9011_9012_9013_MatchDomainExamples()
    {
        var request = new Hj212Builder { Qn = "20160801085857223", St = "32", Cn = "2061", Pw = "123456", Mn = "010000A8900016F000169DC0", Flag = 5 }.Build();
        Assert.Equal("##0094QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&QnRtn=1&&1B00\r\n", Hj212Replies.RequestReply(request, 1).ToString());
        Assert.Equal("##0095QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&ExeRtn=1&&6240\r\n", Hj212Replies.ExecutionReply(request, 1).ToString());
        Assert.Equal("##0087QN=20160801085857223;ST=91;CN=9013;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&2A80\r\n", Hj212Replies.NotificationReply(request).ToString());
    }

    [Fact]
    public void ReplyFor_2005FrameAskingForReply_HasFlag0AndItsQn()
    {
        string sample = TestData.Samples("samples-valid.tsv").Select(s => s.Frame).Single(f => f.Contains("CN=2072", StringComparison.Ordinal));
        var frame = Hj212Decoder.Decode(System.Text.Encoding.ASCII.GetBytes(sample));
        Assert.True(frame.IsOk, frame.Detail);
        var reply = Hj212Replies.ReplyFor(frame.Packet!)!;
        Assert.Equal("9014", reply.Cn);
        Assert.Equal(0, reply.Flag);
        Assert.Equal("20160823235559979", reply.Qn);
        Assert.True(Hj212Decoder.Decode(Hj212Encoder.Encode(reply)).IsOk);
    }

    [Fact]
    public void ReplyFor_UploadWithoutTheABit_IsNull()
    {
        var frame = new Hj212Builder { Qn = "1", St = "32", Cn = "2011", Pw = "1", Mn = "M", Flag = 4 }.Build();
        Assert.Null(Hj212Replies.ReplyFor(frame));
        var notification = new Hj212Builder { St = "91", Cn = "1013", Pw = "1", Mn = "M" }.Build();
        Assert.Equal("9013", Hj212Replies.ReplyFor(notification)!.Cn); // a 2005 notification has no Flag
        Assert.Equal("9013", Hj212Replies.ReplyFor(new Hj212Builder { Qn = "1", St = "31", Cn = "1013", Pw = "1", Mn = "M", Flag = 5 }.Build())!.Cn);
        Assert.Null(Hj212Replies.ReplyFor(new Hj212Builder { Qn = "1", St = "31", Cn = "1013", Pw = "1", Mn = "M", Flag = 4 }.Build())); // the Flag asks none
    }

    [Fact]
    public void HistoryRequest_CarriesBeginAndEndTime()
    {
        var request = Hj212Replies.HistoryRequest(new HistoryRequest("M1", "123456", "32", "2061",
            new DateTime(2025, 7, 1, 8, 0, 0), new DateTime(2025, 7, 1, 12, 0, 0), new DateTime(2025, 7, 2, 9, 0, 0, 5)));
        var decoded = Hj212Decoder.Decode(Hj212Encoder.Encode(request)).Packet!;
        Assert.Equal("20250701080000", decoded.Param("BeginTime"));
        Assert.Equal("20250701120000", decoded.Param("EndTime"));
        Assert.Equal(5, decoded.Flag);
        Assert.Equal("20250702090000005", decoded.Qn);
    }
}
