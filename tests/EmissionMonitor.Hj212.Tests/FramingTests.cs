using System.Text;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Hj212.Framing;

namespace EmissionMonitor.Hj212.Tests;

public sealed class FramingTests
{
    private const string Good = "##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80\r\n";

    private static List<string> Errors(string input) =>
        Hj212Framer.Split(Encoding.UTF8.GetBytes(input))
            .Select(c => c.IsFrame ? Hj212Decoder.DecodeFrame(c.Bytes.Span, c.Scan).Error ?? "ok" : c.Scan.Error!)
            .ToList();

    [Fact]
    public void GarbageBeforeAFrame_IsOneNoHeaderRun() => Assert.Equal(["no-header", "ok"], Errors("junk\r\nmore junk" + Good));

    [Fact]
    public void BlankLinesBetweenFrames_AreSkipped() => Assert.Equal(["ok", "ok"], Errors(Good + "\r\n\r\n" + Good));

    [Fact]
    public void NonDigitLength_IsBadLength_AndTheNextFrameSurvives() => Assert.Equal(["bad-length", "ok"], Errors("##01a1QN=1&&1C80\r\n" + Good));

    [Fact]
    public void InputEndingInsideAFrame_IsTruncated() => Assert.Equal(["ok", "truncated"], Errors(Good + Good[..50]));

    [Fact]
    public void WrongLength_IsLengthMismatch_AndResynchronises() =>
        Assert.Equal(["length-mismatch", "ok"], Errors(Good.Replace("##0101", "##0099", StringComparison.Ordinal) + Good));

    [Fact]
    public void LongerThanDeclared_IsLengthMismatch() =>
        Assert.Equal(["length-mismatch", "ok"], Errors(Good.Replace("##0101", "##0150", StringComparison.Ordinal) + Good));

    [Fact]
    public void SegmentLongerThan1024_IsFramed()
    {
        string segment = "QN=1;ST=31;CN=2011;PW=1;MN=M;Flag=4;CP=&&" + string.Join(";", Enumerable.Range(0, 120).Select(i => $"a{i:D5}-Rtd={i}.5")) + "&&";
        Assert.True(segment.Length > 1024);
        Assert.Equal(["ok"], Errors(DecodingTests.Frame(segment)));
    }

    [Fact]
    public void LfOnlyAndMissingFinalLineEnd_AreAccepted() =>
        Assert.Equal(["ok", "ok"], Errors(Good.Replace("\r\n", "\n", StringComparison.Ordinal) + Good.TrimEnd()));

    [Fact]
    public void StrayHashBeforeAHeader_IsGarbageNotTheHeader() => Assert.Equal(["no-header", "ok"], Errors("#" + Good));

    [Fact]
    public void RandomBytes_NeverThrow_AndAreAllAccountedFor()
    {
        var random = new Random(5);
        var bytes = new byte[200_000];
        random.NextBytes(bytes);
        for (int i = 0; i < bytes.Length; i += random.Next(50, 500))
        {
            bytes[i] = (byte)'#';
            if (i + 1 < bytes.Length)
            {
                bytes[i + 1] = (byte)'#';
            }
        }

        long covered = 0;
        foreach (var chunk in Hj212Framer.Split(bytes))
        {
            covered += chunk.Bytes.Length;
            if (chunk.IsFrame)
            {
                _ = Hj212Decoder.DecodeFrame(chunk.Bytes.Span, chunk.Scan);
            }
        }

        // Only blank bytes (CR, LF, space, tab) between frames may be skipped; everything else is a
        // frame or an error run.
        long blanks = bytes.LongCount(b => b is (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t');
        Assert.InRange(covered, bytes.Length - blanks, bytes.Length);
    }

    [Fact]
    public void ADecisionOnAPrefix_IsNeedMoreOrTheDecisionOnTheWhole()
    {
        // The invariant that makes streaming equal to whole-buffer scanning, checked on every prefix.
        // The first input is the case that once broke it: the byte length is wrong, the character
        // count fits, and a line feed inside the segment came before the character extent.
        string segment = "CP=&&中\n中中&&";
        var crc = Crc.Hj212Crc.Compute(Encoding.UTF8.GetBytes(segment));
        var tricky = Encoding.UTF8.GetBytes($"##{segment.Length:D4}{segment}{crc:X4}\r\n");
        var random = new Random(11);
        var inputs = new List<byte[]> { tricky };
        for (int i = 0; i < 300; i++)
        {
            var noise = new byte[random.Next(20, 400)];
            random.NextBytes(noise);
            "##"u8.CopyTo(noise);
            Encoding.ASCII.GetBytes(random.Next(2) == 0 ? "0010" : random.Next(10, 99).ToString("D4")).CopyTo(noise, 2);
            inputs.Add(noise);
        }

        foreach (var input in inputs)
        {
            var whole = FrameScanner.Scan(input, isFinal: true);
            for (int k = 1; k < input.Length; k++)
            {
                var partial = FrameScanner.Scan(input.AsSpan(0, k), isFinal: false);
                Assert.True(partial.Kind == ScanKind.NeedMore || partial == whole,
                    $"prefix {k} of {FrameScanner.Preview(input)}: {partial} but the whole gives {whole}");
            }
        }
    }
}

