using System.Text;
using EmissionMonitor.Hj212.Crc;

namespace EmissionMonitor.Hj212.Tests;

public sealed class CrcTests
{
    private const string AppendixA = "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&";

    [Fact]
    public void Compute_AppendixAExample_Is1C80()
    {
        Assert.Equal(0x1C80, Hj212Crc.Compute(Encoding.ASCII.GetBytes(AppendixA)));
        Assert.Equal("1C80", Hj212Crc.Format(Hj212Crc.Compute(Encoding.ASCII.GetBytes(AppendixA))));
    }

    [Fact]
    public void Compute_Table_EqualsTheStandardsBitLoop_OnRandomData()
    {
        var random = new Random(212);
        for (int i = 0; i < 2000; i++)
        {
            var data = new byte[random.Next(0, 300)];
            random.NextBytes(data);
            Assert.Equal(Hj212Crc.ComputeBitwise(data), Hj212Crc.Compute(data));
        }
    }

    [Fact]
    public void Compute_IsNotModbus()
    {
        var data = Encoding.ASCII.GetBytes(AppendixA);
        Assert.NotEqual(Hj212Crc.Compute(data), Hj212Crc.ComputeModbusSwapped(data));
    }

    [Theory]
    [InlineData("1c80", 0x1C80)]
    [InlineData("1C80", 0x1C80)]
    [InlineData("00ff", 0x00FF)]
    public void TryParseHex_AcceptsEitherCase(string text, int expected)
    {
        Assert.True(Hj212Crc.TryParseHex(Encoding.ASCII.GetBytes(text), out ushort v));
        Assert.Equal(expected, v);
    }

    [Theory]
    [InlineData("1C8")]
    [InlineData("1C8G")]
    [InlineData("1C80 ")]
    public void TryParseHex_RejectsNonHex(string text) => Assert.False(Hj212Crc.TryParseHex(Encoding.ASCII.GetBytes(text), out _));
}
