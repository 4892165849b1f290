using System.Text;
using System.Text.Unicode;
using EmissionMonitor.Hj212.Crc;
using EmissionMonitor.Hj212.Crypto;
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
    /// Checks a frame the scanner found (CRC, segment rules) and reads it: null when it decodes, with
    /// <paramref name="reader"/> over its segment; otherwise the failure. A plain frame is read without
    /// allocating; an encrypted one is decrypted first into a plain copy the reader spans.
    /// </summary>
    public static DecodeResult? TryRead(ReadOnlySpan<byte> frame, in ScanResult scan, out Hj212Reader reader, out bool modbusCrc, DecodeOptions? options = null)
    {
        options ??= DecodeOptions.Default;
        if (!scan.Encrypted)
        {
            return TryReadPlain(frame, scan, out reader, out modbusCrc, options);
        }

        return TryDecrypt(frame, scan, options, out _, out _, out reader, out modbusCrc, out _);
    }

    private static DecodeResult? TryReadPlain(ReadOnlySpan<byte> frame, ScanResult scan, out Hj212Reader reader, out bool modbusCrc, DecodeOptions options)
    {
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

    /// <summary>
    /// The MN of an encrypted segment's plain header (before <c>CP=&amp;&amp;</c>), or null: what the
    /// receiver looks its key up by.
    /// </summary>
    private static string? HeaderMn(ReadOnlySpan<byte> segment)
    {
        int cp = segment.IndexOf("CP=&&"u8);
        foreach (var token in new Hj212Reader.TokenEnumerator(cp < 0 ? segment : segment[..cp]))
        {
            if (token.HasValue && System.Text.Ascii.EqualsIgnoreCase(token.Key, "MN"u8))
            {
                return token.Value.IsEmpty ? null : Hj212Reader.Text(token.Value);
            }
        }

        return null;
    }

    /// <summary>
    /// An encrypted frame: <c>no-key</c> without a key for its MN, then <c>bad-cipher</c> and
    /// <c>length-mismatch</c> from the cipher text, then the plain frame's CRC with each key in turn
    /// (the current one first; the first that gives a matching CRC wins).
    /// </summary>
    private static DecodeResult? TryDecrypt(ReadOnlySpan<byte> frame, ScanResult scan, DecodeOptions options,
        out byte[] plain, out ScanResult plainScan, out Hj212Reader reader, out bool modbusCrc, out Sm4Key? usedKey)
    {
        usedKey = null;
        plain = [];
        plainScan = default;
        reader = default;
        modbusCrc = false;
        var segment = frame.Slice(6, scan.SegmentLength);
        string? mn = HeaderMn(segment);
        var keys = mn is null || options.Keys is null ? [] : options.Keys(mn);
        if (keys.Count == 0)
        {
            return DecodeResult.Fail(Hj212Errors.NoKey, $"the data segment is SM4-encrypted and no key is known for MN {mn ?? "(none)"}");
        }

        DecodeResult? first = null;
        foreach (var key in keys)
        {
            if (Hj212Cipher.TryDecrypt(frame, scan, key, out plain, out plainScan) is { } broken)
            {
                return DecodeResult.Fail(broken.Code, broken.Detail); // the cipher text's shape does not depend on the key
            }

            var failure = TryReadPlain(plain, plainScan, out reader, out modbusCrc, options);
            if (failure is null)
            {
                usedKey = key;
                return null;
            }

            first ??= failure.Value.Error == Hj212Errors.CrcMismatch
                ? failure.Value with { Detail = failure.Value.Detail + (keys.Count > 1 ? $", checked after decryption with each of the terminal's {keys.Count} keys" : ", checked after decryption with the terminal's key") }
                : failure;
            if (failure.Value.Error != Hj212Errors.CrcMismatch)
            {
                return failure; // the CRC matched: this key was right, the plain segment is not
            }
        }

        return first;
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
        options ??= DecodeOptions.Default;
        Hj212Reader reader;
        bool modbus;
        byte[] plain = [];
        var read = scan;
        Sm4Key? usedKey = null;
        var failure = scan.Encrypted
            ? TryDecrypt(frame, scan, options, out plain, out read, out reader, out modbus, out usedKey)
            : TryReadPlain(frame, scan, out reader, out modbus, options);
        if (failure is not null)
        {
            return failure.Value;
        }

        // A decrypted packet keeps the plain frame it was read from; a plain one the bytes it came in.
        var bytes = scan.Encrypted ? plain : memory ?? frame.ToArray();
        var packet = new Hj212Packet(bytes, read.SegmentLength, reader, read.LengthCountsCharacters, !Utf8.IsValid(reader.Segment)) { WasEncrypted = scan.Encrypted, DecryptedWith = usedKey };
        return new DecodeResult(packet, null, null) { ModbusCrc = modbus, Encrypted = scan.Encrypted };
    }
}
