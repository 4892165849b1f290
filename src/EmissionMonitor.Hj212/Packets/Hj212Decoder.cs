using System.Text;
using System.Text.Unicode;
using EmissionMonitor.Hj212.Crc;
using EmissionMonitor.Hj212.Framing;

namespace EmissionMonitor.Hj212.Packets;

/// <summary>
/// Decodes one HJ 212 frame into a <see cref="Hj212Packet"/>. Every problem is a
/// <see cref="DecodeResult"/> with an error code and detail; nothing throws on bad input.
/// The overloads taking memory keep a reference to it in the packet (the caller must not change
/// it afterwards); those taking a span copy the frame.
/// </summary>
public static class Hj212Decoder
{
    /// <summary>Decodes a buffer that holds one frame (an MQTT payload, say). Blanks around it are ignored.</summary>
    public static DecodeResult Decode(ReadOnlySpan<byte> frame, DecodeOptions? options = null) => Decode(frame, null, options);

    /// <summary>As <see cref="Decode(ReadOnlySpan{byte}, DecodeOptions?)"/>, keeping <paramref name="frame"/> in the packet.</summary>
    public static DecodeResult Decode(ReadOnlyMemory<byte> frame, DecodeOptions? options = null) => Decode(frame.Span, frame, options);

    /// <summary>Decodes a frame the scanner found: <paramref name="frame"/> is exactly its consumed bytes.</summary>
    public static DecodeResult DecodeFrame(ReadOnlySpan<byte> frame, in ScanResult scan, DecodeOptions? options = null) => DecodeFrame(frame, null, scan, options);

    /// <summary>As <see cref="DecodeFrame(ReadOnlySpan{byte}, in ScanResult, DecodeOptions?)"/>, keeping <paramref name="frame"/> in the packet.</summary>
    public static DecodeResult DecodeFrame(ReadOnlyMemory<byte> frame, in ScanResult scan, DecodeOptions? options = null) => DecodeFrame(frame.Span, frame, scan, options);

    /// <summary>
    /// Checks a frame the scanner found (CRC, segment rules) and reads it without allocating:
    /// null when it decodes, with <paramref name="reader"/> over its segment; otherwise the failure.
    /// </summary>
    public static DecodeResult? TryRead(ReadOnlySpan<byte> frame, in ScanResult scan, out Hj212Reader reader, out bool modbusCrc, DecodeOptions? options = null)
    {
        options ??= DecodeOptions.Default;
        reader = default;
        modbusCrc = false;
        var segment = frame.Slice(6, scan.SegmentLength);
        var crcText = frame.Slice(6 + scan.SegmentLength, 4);
        ushort computed = Hj212Crc.Compute(segment);
        if (!Hj212Crc.TryParseHex(crcText, out ushort sent))
        {
            return DecodeResult.Fail(Hj212Errors.CrcMismatch, $"CRC field '{FrameScanner.Preview(crcText)}' is not 4 hex digits; computed {Hj212Crc.Format(computed)}");
        }

        if (sent != computed)
        {
            modbusCrc = Hj212Crc.ComputeModbusSwapped(segment) == sent;
            if (!modbusCrc || !options.AcceptModbusCrc)
            {
                string how = modbusCrc ? " (the sent value is a byte-swapped CRC-16/MODBUS)" : string.Empty;
                return DecodeResult.Fail(Hj212Errors.CrcMismatch, $"CRC {Encoding.ASCII.GetString(crcText)} sent, {Hj212Crc.Format(computed)} computed{how}");
            }
        }

        return Hj212Reader.TryRead(segment, out reader, out string? detail) ? null : DecodeResult.Fail(Hj212Errors.BadField, detail!);
    }

    private static DecodeResult Decode(ReadOnlySpan<byte> frame, ReadOnlyMemory<byte>? memory, DecodeOptions? options)
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

        return DecodeFrame(input[..scan.Consumed], memory?.Slice(start, scan.Consumed), scan, options);
    }

    private static DecodeResult DecodeFrame(ReadOnlySpan<byte> frame, ReadOnlyMemory<byte>? memory, in ScanResult scan, DecodeOptions? options)
    {
        if (TryRead(frame, scan, out var reader, out bool modbus, options) is { } failure)
        {
            return failure;
        }

        bool latin1 = !Utf8.IsValid(reader.Segment);
        var packet = new Hj212Packet(memory ?? frame.ToArray(), scan.SegmentLength, reader, scan.LengthCountsCharacters, latin1);
        return new DecodeResult(packet, null, null) { ModbusCrc = modbus };
    }
}
