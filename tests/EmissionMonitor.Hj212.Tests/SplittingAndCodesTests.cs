using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Hj212.Splitting;

namespace EmissionMonitor.Hj212.Tests;

public sealed class SplittingAndCodesTests
{
    private static readonly Hj212Packet Part1 = Hj212Decoder.Decode("##0260QN=20160801085857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=7;PNUM=2;PNO=1;CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N&&D941\r\n"u8).Packet!;
    private static readonly Hj212Packet Part2 = Hj212Decoder.Decode("##0201QN=20160801085857535;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=7;PNUM=2;PNO=2;CP=&&DataTime=20160801080000;w01018-Cou=63.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N&&E2C1\r\n"u8).Packet!;

    [Fact]
    public void Assembler_C50Parts_CompleteInEitherOrder_WithDuplicatesTolerated()
    {
        var now = DateTimeOffset.Parse("2025-07-01T00:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture);
        var assembler = new SplitPacketAssembler(TimeSpan.FromMinutes(5));
        Assert.Equal(SplitStatus.Partial, assembler.Add(Part2, now).Status);
        Assert.Equal(SplitStatus.Duplicate, assembler.Add(Part2, now).Status);
        var done = assembler.Add(Part1, now);
        Assert.Equal(SplitStatus.Completed, done.Status);
        Assert.Equal([Part1, Part2], done.Set!.Parts);
        Assert.True(done.Set.Complete);
        Assert.Equal(0, assembler.PendingCount);
    }

    [Fact]
    public void Assembler_IncompleteSet_IsGivenUpAfterTheTimeout()
    {
        var now = DateTimeOffset.Parse("2025-07-01T00:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture);
        var assembler = new SplitPacketAssembler(TimeSpan.FromMinutes(5));
        assembler.Add(Part1, now);
        Assert.Empty(assembler.Expire(now.AddMinutes(4)));
        var expired = Assert.Single(assembler.Expire(now.AddMinutes(5)));
        Assert.False(expired.Complete);
        Assert.Equal(2, expired.Total);
        Assert.Single(expired.Parts);
        Assert.Equal(0, assembler.PendingCount);
    }

    [Fact]
    public void Assembler_UnsplitPacket_IsNotSplit() =>
        Assert.Equal(SplitStatus.NotSplit, new SplitPacketAssembler(TimeSpan.FromMinutes(1)).Add(
            Hj212Decoder.Decode("##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80\r\n"u8).Packet!,
            DateTimeOffset.UnixEpoch).Status);

    [Theory]
    [InlineData("B01", "w00000")]
    [InlineData("011", "w01018")]
    [InlineData("060", "w21003")]
    [InlineData("001", "w01001")]
    [InlineData("065", "w21001")]
    [InlineData("101", "w21011")]
    [InlineData("B02", "a00000")]
    [InlineData("S01", "a19001")]
    [InlineData("S02", "a01011")]
    [InlineData("S03", "a01012")]
    [InlineData("S05", "a01014")]
    [InlineData("S08", "a01013")]
    [InlineData("01", "a34013")]
    [InlineData("02", "a21026")]
    [InlineData("03", "a21002")]
    [InlineData("04", "a21005")]
    public void Catalogue_Translates2005To2017AndBack(string old, string code)
    {
        Assert.Equal(code, CodeCatalogue.To2017(old));
        Assert.Equal(old, CodeCatalogue.To2005(code));
        Assert.NotNull(CodeCatalogue.Find(code)!.Name);
    }

    [Fact]
    public void Catalogue_UnknownCodesStayAsSent_AndUnitsAreTheStandardsDefaults()
    {
        Assert.Equal("SB1", CodeCatalogue.To2017("SB1"));
        Assert.Equal("L/s", CodeCatalogue.Find("w00000")!.Unit);
        Assert.Equal("m3/s", CodeCatalogue.Find("a00000")!.Unit);
        Assert.Equal("kg", CodeCatalogue.Find("a21026")!.CouUnit);
        Assert.Equal(4, CodeCatalogue.TotalledPollutants.Count);
    }

    [Theory]
    [InlineData("i23005", "数采仪编号")]
    [InlineData("i23008", "数采仪MAC地址2")]
    [InlineData("a01901", "炉膛内焚烧平均温度")]
    [InlineData("d20105", "用电监控量")]
    [InlineData("d30199", "用电监控量")]
    [InlineData("p99101", "生产工况量")]
    [InlineData("p99107", "生产工况量")]
    public void Catalogue_NamesTheHj212v2025Codes(string code, string name)
    {
        var entry = CodeCatalogue.Describe(code)!;
        Assert.Equal((code, name), (entry.Code, entry.Name));
        Assert.False(string.IsNullOrEmpty(entry.EnglishName));
    }

    [Theory]
    [InlineData("x99101")]
    [InlineData("d2010")]
    [InlineData("q1")]
    public void Catalogue_DescribesNoOtherUncataloguedCode(string code) => Assert.Null(CodeCatalogue.Describe(code));
}
