using System.Text;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Hj212.Framing;

namespace EmissionMonitor.Hj212.Tests;

/// <summary>
/// The span reader and the lazily read packet against the token model they replace: for every frame
/// of the field day and every sample, a decoded packet's header fields, DataTime, version and values
/// equal those of a packet made from the same tokens (the token-based rules), and walking CP as spans
/// gives the same tokens.
/// </summary>
public sealed class ReaderTests
{
    public static TheoryData<string> SampleSets => new() { "samples-valid.tsv", "samples-invalid.tsv", "samples-field-2016.tsv" };

    [Fact]
    public void FieldDay_ReadPacketsEqualTokenBuiltPackets()
    {
        int compared = 0;
        foreach (var chunk in Hj212Framer.Split(TestData.FieldDay()))
        {
            if (chunk.IsFrame && Hj212Decoder.DecodeFrame(chunk.Bytes, chunk.Scan) is { IsOk: true } result)
            {
                AssertSameAsTokenBuilt(result.Packet!);
                compared++;
            }
        }

        Assert.True(compared > 190_000, $"compared {compared}");
    }

    [Theory]
    [MemberData(nameof(SampleSets))]
    public void Samples_ReadPacketsEqualTokenBuiltPackets_AndSpanAndCopyingDecodesAgree(string set)
    {
        foreach (var (frame, _) in TestData.Samples(set))
        {
            var bytes = Encoding.UTF8.GetBytes(frame);
            var fromSpan = Hj212Decoder.Decode(bytes.AsSpan());
            var fromMemory = Hj212Decoder.Decode(bytes.AsMemory());
            Assert.Equal(fromSpan.Error, fromMemory.Error);
            Assert.Equal(fromSpan.Detail, fromMemory.Detail);
            if (fromSpan.IsOk)
            {
                Assert.Equal(fromSpan.Packet, fromMemory.Packet);
                AssertSameAsTokenBuilt(fromMemory.Packet!);
            }
        }
    }

    [Theory]
    [InlineData("QN=20250701080000000;ST=22;CN=2011;PW=1;MN=M1;Flag=4;CP=&&DataTime=20250701080000;a21026-Rtd=1&&", "M1", "2011", "20250701080000000")]
    [InlineData("qn=1;st=22;cn=2011;pw=1;mn=m2;flag=4;CP=&&DataTime=20250701080000&&", "m2", "2011", "1")]
    [InlineData("ST=91;CN=9014;PW=1;MN=M3;Flag=0;CP=&&QN=20250701080000000;DataTime=20250701080000&&", "M3", "9014", "20250701080000000")]
    [InlineData("MN=;CN=2011;CP=&&&&", "", "2011", null)]
    [InlineData("MN=M4,MN=M4;CN=2011;;CP=&&&&", "M4", "2011", null)]
    public void HeaderFields_AreFoundCaseInsensitively_FirstOccurrence_QnFromCpWhenNotInTheHeader(string segment, string? mn, string? cn, string? qn)
    {
        Assert.True(Hj212Reader.TryRead(Encoding.UTF8.GetBytes(segment), out var reader, out var detail), detail);
        Assert.Equal(mn, reader.HasMn ? Encoding.UTF8.GetString(reader.Mn) : null);
        Assert.Equal(cn, reader.HasCn ? Encoding.UTF8.GetString(reader.Cn) : null);
        Assert.Equal(qn, reader.HasQn ? Encoding.UTF8.GetString(reader.Qn) : null);
    }

    [Theory]
    [InlineData("ST=22;CN=2011;MN=M1", "no CP=&&…&& data area")]
    [InlineData("ST=22;CN=2011;CP=&&DataTime=1", "the CP data area is not closed with &&")]
    [InlineData("ST=22;CN=2011;CP=&&", "the CP data area is not closed with &&")]
    [InlineData("ST=22;CN;CP=&&&&", "header field 'CN' has no '='")]
    [InlineData("ST=22;MN=A;mn=B;CP=&&&&", "header field mn is sent twice with different values")]
    [InlineData("ST=22;Flag=-4;CP=&&&&", "Flag '-4' is not a non-negative integer")]
    [InlineData("ST=22;PNUM=;CP=&&&&", "PNUM '' is not a non-negative integer")]
    [InlineData("ST=22;PNO=99999999999;CP=&&&&", "PNO '99999999999' is not a non-negative integer")]
    public void SegmentRules_FailWithTheDecodersDetail(string segment, string expected)
    {
        Assert.False(Hj212Reader.TryRead(Encoding.UTF8.GetBytes(segment), out _, out var detail));
        Assert.Equal(expected, detail);
    }

    [Fact]
    public void ABlankHeaderToken_IsAllowed_AndDataTimeAndFlagsAreRead()
    {
        Assert.True(Hj212Reader.TryRead("ST=22; ;CN=2061;Flag=5;PNUM=2;PNO=1;CP=&&DataTime=20250701080000123;x=1&&"u8, out var reader, out _));
        Assert.Equal(new DateTime(2025, 7, 1, 8, 0, 0, 123), reader.DataTime);
        Assert.True(reader.DataTimeHasMilliseconds);
        Assert.Equal((5, 2, 1), (reader.Flag, reader.Pnum, reader.Pno));
        Assert.Equal(Hj212Version.V2017, reader.Version);
    }

    [Fact]
    public void Reading_AllocatesNothing()
    {
        var builder = new Encoders.Hj212Builder { Qn = "20250701080000000", St = "22", Cn = "2061", Pw = "123456", Mn = "QHXN0010001", Flag = 5 };
        var frame = Hj212Encoder.Encode(builder.DataTime(new DateTime(2025, 7, 1, 8, 0, 0))
            .Value("a21026", "Avg", 20.5m).Value("a21026", "Flag", "N").Value("a21002", "Avg", 40m).Build());
        var scan = FrameScanner.Scan(frame, isFinal: true);
        Count(frame, scan); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        int items = Count(frame, scan);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(3, items); // DataTime and the two averages parse as numbers; the flag does not
        Assert.Equal(0, allocated);

        static int Count(byte[] frame, ScanResult scan)
        {
            Assert.Null(Hj212Decoder.TryRead(frame, scan, out var reader, out _));
            int n = 0;
            foreach (var token in reader.Items)
            {
                n += token.HasValue && decimal.TryParse(token.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _) ? 1 : 0;
            }

            return n + (reader.HasMn ? 0 : 100);
        }
    }

    private static void AssertSameAsTokenBuilt(Hj212Packet read)
    {
        var built = new Hj212Packet(read.Header, read.Cp, read.Crc, read.LineEnd, read.LengthCountsCharacters, read.IsLatin1);
        Assert.Equal((built.Qn, built.St, built.Cn, built.Pw, built.Mn), (read.Qn, read.St, read.Cn, read.Pw, read.Mn));
        Assert.Equal((built.Flag, built.Pnum, built.Pno), (read.Flag, read.Pnum, read.Pno));
        Assert.Equal((built.DataTimeText, built.DataTime, built.DataTimeHasMilliseconds, built.Version), (read.DataTimeText, read.DataTime, read.DataTimeHasMilliseconds, read.Version));
        Assert.Equal(built.Values, read.Values);
        Assert.Equal(built, read);
        Assert.Equal(Hj212Encoder.Encode(built), Hj212Encoder.Encode(read));

        var spans = new List<string>();
        foreach (var token in read.EnumerateCp())
        {
            string text = Hj212Reader.Text(token.Key) + (token.HasValue ? "=" + Hj212Reader.Text(token.Value) : string.Empty) + (token.Separator == 0 ? string.Empty : ((char)token.Separator).ToString());
            spans.Add(text);
        }

        if (!read.IsLatin1)
        {
            Assert.Equal(read.Cp.Select(f => f.ToString()), spans);
        }
    }
}

/// <summary>The fast number path gives exactly what <c>decimal.TryParse</c> (Float, invariant) gives, scale and sign included.</summary>
public sealed class NumberTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("-0.00")]
    [InlineData("0.000")]
    [InlineData("12.50")]
    [InlineData("-12.5")]
    [InlineData("007.5")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("-.5")]
    [InlineData("123456789012345678")]
    [InlineData("1234567890123456789")]
    [InlineData("12345678901234567890123456789012")]
    [InlineData("0.000000000000000001")]
    [InlineData("1e3")]
    [InlineData("+5")]
    [InlineData(" 5 ")]
    [InlineData("5-")]
    [InlineData("1.2.3")]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("NaN")]
    [InlineData("１２")]
    public void FastPath_MatchesDecimalTryParse(string text) => AssertSame(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void EveryItemValueOfTheFieldDay_ParsesAsDecimalTryParseDoes()
    {
        int compared = 0;
        foreach (var chunk in Hj212Framer.Split(TestData.FieldDay()).Take(30_000))
        {
            if (chunk.IsFrame && Hj212Decoder.TryRead(chunk.Bytes.Span, chunk.Scan, out var reader, out _) is null)
            {
                foreach (var item in reader.Items)
                {
                    AssertSame(item.Value);
                    compared++;
                }
            }
        }

        Assert.True(compared > 400_000, $"compared {compared}");
    }

    private static void AssertSame(ReadOnlySpan<byte> text)
    {
        bool expectedOk = decimal.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out decimal expected);
        bool ok = Hj212Number.TryParse(text, out decimal actual);
        Assert.Equal(expectedOk, ok);
        Assert.Equal(decimal.GetBits(expected), decimal.GetBits(actual));
    }
}
