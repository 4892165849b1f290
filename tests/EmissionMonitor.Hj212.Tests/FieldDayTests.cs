using System.Text;
using System.Text.RegularExpressions;
using EmissionMonitor.Hj212.Crc;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Hj212.Framing;

namespace EmissionMonitor.Hj212.Tests;

public sealed class FieldDayTests
{
    [Fact]
    public void WholeFieldDay_AtLeast999PerMilleDecode_AndCountsPerCnMatchAnIndependentCount()
    {
        var day = TestData.FieldDay();
        var decodedPerCn = new Dictionary<string, int>();
        int decoded = 0, failed = 0;
        foreach (var chunk in Hj212Framer.Split(day))
        {
            if (!chunk.IsFrame)
            {
                failed++;
                continue;
            }

            var result = Hj212Decoder.DecodeFrame(chunk.Bytes.Span, chunk.Scan);
            if (!result.IsOk)
            {
                failed++;
                continue;
            }

            decoded++;
            string cn = result.Packet!.Cn ?? "";
            decodedPerCn[cn] = decodedPerCn.GetValueOrDefault(cn) + 1;
        }

        var independent = IndependentCount(day);
        Assert.True(decoded >= 0.999 * (decoded + failed), $"decoded {decoded}, failed {failed}");
        Assert.True(decoded > 190_000, $"decoded only {decoded}");
        Assert.Equal(independent.OrderBy(p => p.Key), decodedPerCn.OrderBy(p => p.Key));
    }

    /// <summary>
    /// Counts frames per CN without the library's framer or CRC table: split the text into CR LF
    /// lines, keep lines of the form ##dddd + segment + 4 hex whose segment length matches and whose
    /// CRC matches the standard's bit loop, and read CN with a regular expression.
    /// </summary>
    private static Dictionary<string, int> IndependentCount(byte[] day)
    {
        var counts = new Dictionary<string, int>();
        var text = Encoding.Latin1.GetString(day);
        var cnPattern = new Regex(@"(?:^|[;,])CN=(\d{4})[;,]");
        foreach (var line in text.Split("\r\n"))
        {
            if (line.Length < 10 || !line.StartsWith("##", StringComparison.Ordinal)
                || !int.TryParse(line.AsSpan(2, 4), out int len) || line.Length != len + 10)
            {
                continue;
            }

            var segment = Encoding.Latin1.GetBytes(line.Substring(6, len));
            string crc = line.Substring(6 + len, 4);
            if (!string.Equals(Hj212Crc.ComputeBitwise(segment).ToString("X4"), crc, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var match = cnPattern.Match(line.Substring(6, len));
            string cn = match.Success ? match.Groups[1].Value : "";
            counts[cn] = counts.GetValueOrDefault(cn) + 1;
        }

        return counts;
    }
}
