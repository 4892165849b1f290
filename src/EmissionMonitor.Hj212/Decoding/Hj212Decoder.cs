using System.Text;
using System.Text.Unicode;
using EmissionMonitor.Hj212.Crc;
using EmissionMonitor.Hj212.Framing;

namespace EmissionMonitor.Hj212.Decoding;

/// <summary>
/// Decodes one HJ 212 frame into a <see cref="Hj212Packet"/>. Every problem is a
/// <see cref="DecodeResult"/> with an error code and detail; nothing throws on bad input.
/// </summary>
public static class Hj212Decoder
{
    /// <summary>Decodes a buffer that holds one frame (an MQTT payload, say). Blanks around it are ignored.</summary>
    public static DecodeResult Decode(ReadOnlySpan<byte> frame, DecodeOptions? options = null)
    {
        int start = 0;
        while (start < frame.Length && frame[start] is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t')
        {
            start++;
        }

        var input = frame[start..];
        var scan = FrameScanner.Scan(input, isFinal: true);
        if (scan.Kind == ScanKind.Error)
        {
            return DecodeResult.Fail(scan.Error!, scan.Detail!);
        }

        if (scan.Kind != ScanKind.Frame)
        {
            return DecodeResult.Fail(Hj212Errors.Truncated, "no frame in the input");
        }

        if (!input[scan.Consumed..].Trim(" \r\n\t"u8).IsEmpty)
        {
            return DecodeResult.Fail(Hj212Errors.LengthMismatch, $"{input.Length - scan.Consumed} bytes follow the frame that the length field declares");
        }

        return DecodeFrame(input[..scan.Consumed], scan, options);
    }

    /// <summary>Decodes a frame the scanner found: <paramref name="frame"/> is exactly its consumed bytes.</summary>
    public static DecodeResult DecodeFrame(ReadOnlySpan<byte> frame, in ScanResult scan, DecodeOptions? options = null)
    {
        options ??= DecodeOptions.Default;
        var segment = frame.Slice(6, scan.SegmentLength);
        var crcText = frame.Slice(6 + scan.SegmentLength, 4);
        var lineEnd = frame[(6 + scan.SegmentLength + 4)..];

        ushort computed = Hj212Crc.Compute(segment);
        bool modbus = false;
        if (!Hj212Crc.TryParseHex(crcText, out ushort sent))
        {
            return DecodeResult.Fail(Hj212Errors.CrcMismatch, $"CRC field '{FrameScanner.Preview(crcText)}' is not 4 hex digits; computed {Hj212Crc.Format(computed)}");
        }

        if (sent != computed)
        {
            modbus = Hj212Crc.ComputeModbusSwapped(segment) == sent;
            if (!modbus || !options.AcceptModbusCrc)
            {
                string how = modbus ? " (the sent value is a byte-swapped CRC-16/MODBUS)" : string.Empty;
                return DecodeResult.Fail(Hj212Errors.CrcMismatch, $"CRC {Encoding.ASCII.GetString(crcText)} sent, {Hj212Crc.Format(computed)} computed{how}");
            }
        }

        bool latin1 = !Utf8.IsValid(segment);
        string text = latin1 ? Encoding.Latin1.GetString(segment) : Encoding.UTF8.GetString(segment);
        var result = Hj212SegmentParser.Parse(text, Encoding.ASCII.GetString(crcText), Encoding.ASCII.GetString(lineEnd), scan.LengthCountsCharacters, latin1);
        return result with { ModbusCrc = modbus };
    }
}
