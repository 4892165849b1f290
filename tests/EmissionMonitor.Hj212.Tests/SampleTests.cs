using System.Text;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Hj212.Encoders;

namespace EmissionMonitor.Hj212.Tests;

public sealed class SampleTests
{
    public static TheoryData<string, int> VerifiedFrames()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in new[] { "samples-valid.tsv", "samples-field-2016.tsv" })
        {
            for (int i = 0; i < TestData.Samples(file).Count; i++)
            {
                data.Add(file, i);
            }
        }

        return data;
    }

    [Fact]
    public void SampleFiles_HaveTheDocumentedCounts()
    {
        Assert.Equal(56, TestData.Samples("samples-valid.tsv").Count);
        Assert.Equal(584, TestData.Samples("samples-field-2016.tsv").Count);
        Assert.Equal(19, TestData.Samples("samples-invalid.tsv").Count);
    }

    [Theory]
    [MemberData(nameof(VerifiedFrames))]
    public void Decode_VerifiedSample_SucceedsAndEncodesBackByteForByte(string file, int line)
    {
        string frame = TestData.Samples(file)[line].Frame;
        var bytes = Encoding.UTF8.GetBytes(frame);
        var result = Hj212Decoder.Decode(bytes);
        Assert.True(result.IsOk, $"{result.Error}: {result.Detail}");
        Assert.False(result.ModbusCrc);
        Assert.Equal(bytes, Hj212Encoder.Encode(result.Packet!));
    }

    [Fact]
    public void Decode_InvalidSamples_FailWithTheDiagnosedCode()
    {
        foreach (var (frame, columns) in TestData.Samples("samples-invalid.tsv"))
        {
            string diagnosis = columns[0];
            var result = Hj212Decoder.Decode(Encoding.UTF8.GetBytes(frame));
            Assert.False(result.IsOk, frame);
            string expected = diagnosis.StartsWith("len_bad", StringComparison.Ordinal) ? Hj212Errors.LengthMismatch : Hj212Errors.CrcMismatch;
            Assert.True(expected == result.Error, $"{diagnosis}: got {result.Error} ({result.Detail})");
            if (diagnosis.Contains("MODBUS", StringComparison.Ordinal))
            {
                Assert.Contains("MODBUS", result.Detail, StringComparison.Ordinal);
            }
            else
            {
                Assert.DoesNotContain("MODBUS", result.Detail, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Decode_ModbusSwappedCrc_IsAcceptedOnlyWhenAsked()
    {
        var modbus = TestData.Samples("samples-invalid.tsv").Where(s => s.Columns[0].Contains("MODBUS", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, modbus.Count);
        foreach (var (frame, _) in modbus)
        {
            var result = Hj212Decoder.Decode(Encoding.UTF8.GetBytes(frame), new DecodeOptions { AcceptModbusCrc = true });
            Assert.True(result.IsOk, result.Detail);
            Assert.True(result.ModbusCrc);
        }
    }

    [Fact]
    public void Decode_FlippedCrcOfTheReadmeFrame_Fails()
    {
        const string frame = "##0139ST=32;CN=2011;PW=123456;MN=LD130133000015;CP=&&DataTime=20160824003817000;B01-Rtd=36.91;011-Rtd=231.0,011-Flag=N;060-Rtd=1.803,060-Flag=N&&4981\r\n";
        var result = Hj212Decoder.Decode(Encoding.ASCII.GetBytes(frame));
        Assert.Equal(Hj212Errors.CrcMismatch, result.Error);
        Assert.Contains("4980 computed", result.Detail, StringComparison.Ordinal);
    }
}
