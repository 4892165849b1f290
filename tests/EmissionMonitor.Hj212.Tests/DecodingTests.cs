using System.Text;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Hj212.Encoders;

namespace EmissionMonitor.Hj212.Tests;

public sealed class DecodingTests
{
    private static Hj212Packet Decode(string segment)
    {
        var result = Hj212Decoder.Decode(Encoding.UTF8.GetBytes(Frame(segment)));
        Assert.True(result.IsOk, $"{result.Error}: {result.Detail}");
        return result.Packet!;
    }

    internal static string Frame(string segment)
    {
        var bytes = Encoding.UTF8.GetBytes(segment);
        return $"##{bytes.Length:D4}{segment}{Crc.Hj212Crc.Compute(bytes):X4}\r\n";
    }

    [Fact]
    public void Decode_2017Frame_ReadsHeaderFlagBitsAndValues()
    {
        var p = Decode("QN=20160801090000001;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Avg=17.5,w00000-Flag=N;w01018-Avg=-40.1,w01018-Flag=N&&");
        Assert.Equal(Hj212Version.V2017, p.Version);
        Assert.Equal("20160801090000001", p.Qn);
        Assert.Equal("2061", p.Cn);
        Assert.Equal(5, p.Flag);
        Assert.True(p.NeedsReply);
        Assert.False(p.IsSplit);
        Assert.Equal(new DateTime(2016, 8, 1, 8, 0, 0), p.DataTime);
        Assert.Equal(-40.1m, p.Find("w01018", "Avg")!.Number);
        Assert.Equal("N", p.Find("w01018", "Flag")!.Text);
        Assert.Null(p.Find("w01018", "Flag")!.Number);
    }

    [Fact]
    public void Decode_2005FrameWithoutFlag_TranslatesCodesAndKeepsMilliseconds()
    {
        var p = Decode("ST=32;CN=2011;PW=123456;MN=LD130133000015;CP=&&DataTime=20160824003817000;B01-Rtd=36.91;011-Rtd=231.0,011-Flag=N;060-Rtd=1.803,060-Flag=N&&");
        Assert.Equal(Hj212Version.V2005, p.Version);
        Assert.Null(p.Flag);
        Assert.True(p.DataTimeHasMilliseconds);
        Assert.Equal(231.0m, p.Find("w01018", "Rtd")!.Number);
        Assert.Equal("011", p.Find("w01018", "Rtd")!.SentCode);
        Assert.NotNull(p.Find("w00000", "Rtd"));
        Assert.NotNull(p.Find("w21003", "Flag"));
    }

    [Fact]
    public void Decode_NoFlagWith2017Codes_Is2017()
    {
        var p = Decode("QN=20191112091100598;ST=31;CN=2051;PW=123456;MN=A1;PNO=0002;PNUM=0002;CP=&&DataTime=20191112091000;a21026-Avg=1.0&&");
        Assert.Equal(Hj212Version.V2017, p.Version);
        Assert.Equal(2, p.Pnum);
        Assert.Equal(2, p.Pno);
        Assert.True(p.IsSplit);
    }

    [Theory]
    [InlineData(0, Hj212Version.V2005)]
    [InlineData(1, Hj212Version.V2005)]
    [InlineData(4, Hj212Version.V2017)]
    [InlineData(7, Hj212Version.V2017)]
    [InlineData(8, Hj212Version.V2025)]
    [InlineData(9, Hj212Version.V2025)]
    public void Decode_FlagVersionBits(int flag, Hj212Version version) =>
        Assert.Equal(version, Decode($"QN=1;ST=32;CN=2011;PW=1;MN=M;Flag={flag};CP=&&a21026-Rtd=1&&").Version);

    [Fact]
    public void Decode_TolerantTokenizer_AcceptsTheStandardsOwnTypos()
    {
        // C.19: "Flag=5CP=&&"; C.22: a comma in the header; lower-case suffixes; a stray Flag=N.
        var p = Decode("QN=20160801085857534,ST=32;CN=2011;PW=123456;MN=M1;Flag=5CP=&&DataTime=20160801085857;w01018-rtd=2.2,w01018-flag=N;Flag=N&&");
        Assert.Equal("32", p.St);
        Assert.Equal(5, p.Flag);
        Assert.Equal(2.2m, p.Find("w01018", "Rtd")!.Number);
        Assert.Equal("N", p.Find("w01018", "Flag")!.Text);
        Assert.Equal("N", p.Param("Flag"));
    }

    [Fact]
    public void Decode_QnInsideCp_IsUsedFor2005Replies()
    {
        var p = Decode("ST=91;CN=9011;PW=123456;MN=LD130107000188;Flag=0;CP=&&QN=20160824000504006;QnRtn=1&&");
        Assert.Equal("20160824000504006", p.Qn);
        Assert.Equal("1", p.Param("QnRtn"));
    }

    [Fact]
    public void Decode_DuplicateItem_FirstWinsAndTheDifferingOneIsAConflict()
    {
        var p = Decode("QN=1;ST=32;CN=2011;PW=1;MN=M;Flag=4;CP=&&w01018-Rtd=1.0;w01018-Rtd=1.0;w01018-Rtd=2.0&&");
        Assert.Equal(1.0m, p.Find("w01018", "Rtd")!.Number);
        var conflict = Assert.Single(p.Conflicts);
        Assert.Equal("2.0", conflict.Text);
    }

    [Theory]
    [InlineData("2016082400381")]
    [InlineData("201608240038170")]
    [InlineData("20161324003817")]
    [InlineData("2016082400381x")]
    public void Decode_UnusableDataTime_KeepsTheFrameWithoutATime(string dataTime)
    {
        var p = Decode($"ST=32;CN=2011;PW=1;MN=M;CP=&&DataTime={dataTime};011-Rtd=1&&");
        Assert.Null(p.DataTime);
        Assert.Equal(dataTime, p.DataTimeText);
    }

    [Theory]
    [InlineData("ST=32;CN=2011;PW=1;MN=M;DataTime=20160101000000", "no CP")]
    [InlineData("ST=32;CN=2011;PW=1;MN=M;CP=&&DataTime=20160101000000", "not closed")]
    [InlineData("ST=32;CN=2011;PW=1;MN=M;Flag=x;CP=&&&&", "Flag")]
    [InlineData("ST=32;CN=2011;PW=1;MN=M;PNUM=2;PNO=a;CP=&&&&", "PNO")]
    [InlineData("ST=32;CN=2011;PW=1;MN=M;MN=N;CP=&&&&", "twice")]
    [InlineData("ST=32;CN2011;PW=1;MN=M;CP=&&&&", "no '='")]
    public void Decode_UnusableHeaderOrCp_IsBadField(string segment, string detail)
    {
        var result = Hj212Decoder.Decode(Encoding.UTF8.GetBytes(Frame(segment)));
        Assert.Equal(Hj212Errors.BadField, result.Error);
        Assert.Contains(detail, result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_ChineseInfo_LengthInBytesOrCharacters()
    {
        string segment = "QN=1;ST=32;CN=3020;PW=1;MN=M;Flag=4;CP=&&i11001-Info=//设备正常//&&";
        var inBytes = Hj212Decoder.Decode(Encoding.UTF8.GetBytes(Frame(segment)));
        Assert.True(inBytes.IsOk);
        Assert.Equal("//设备正常//", inBytes.Packet!.Find("i11001", "Info")!.Text);

        var crc = Crc.Hj212Crc.Compute(Encoding.UTF8.GetBytes(segment));
        var inChars = Encoding.UTF8.GetBytes($"##{segment.Length:D4}{segment}{crc:X4}\r\n");
        var result = Hj212Decoder.Decode(inChars);
        Assert.True(result.IsOk, result.Detail);
        Assert.True(result.Packet!.LengthCountsCharacters);
        Assert.Equal(inChars, Hj212Encoder.Encode(result.Packet));
    }
}
