using System.Buffers;
using System.Globalization;
using System.Text;
using EmissionMonitor.Hj212.Framing;

namespace EmissionMonitor.Hj212.Crypto;

/// <summary>
/// HJ 212-2025's encrypted data segment (§6.4, Appendix A.2; DOMAIN.md 1.12): the characters
/// between <c>CP=&amp;&amp;</c> and the closing <c>&amp;&amp;</c> are encrypted with SM4 (ECB, no
/// padding) in whole 16-byte blocks, written as <c>{0xE4,0x3E,…}</c>, and a tail of fewer than 16
/// characters follows in plain text. The CRC is computed over the plain segment. The standard's own
/// examples keep the plain segment's length in the length field; both that and the sent length are
/// accepted here, and <see cref="Encrypt"/> writes the plain one unless asked otherwise.
/// </summary>
public static class Hj212Cipher
{
    private static ReadOnlySpan<byte> CpMarker => "CP=&&"u8;

    private static ReadOnlySpan<byte> CipherStart => "CP=&&{0x"u8;

    private static ReadOnlySpan<byte> Hex => "0123456789ABCDEF"u8;

    /// <summary>True when a segment's CP area begins with <c>{0x</c>: an encrypted segment.</summary>
    public static bool IsEncrypted(ReadOnlySpan<byte> segment) => segment.IndexOf(CipherStart) >= 0;

    /// <summary>
    /// Encrypts a plain frame (<c>##</c>, length, segment, CRC, line end) with <paramref name="key"/>:
    /// the CP area's whole blocks become cipher bytes, a shorter tail stays plain, the CRC is kept.
    /// With <paramref name="lengthCountsSent"/> the length field counts the sent segment, else (as
    /// the standard's examples) the plain one. A CP area shorter than a block is left as it is.
    /// </summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> plainFrame, Sm4Key key, bool lengthCountsSent = false)
    {
        var scan = FrameScanner.Scan(plainFrame, isFinal: true);
        if (scan.Kind != ScanKind.Frame || scan.Encrypted)
        {
            throw new ArgumentException("not one plain HJ 212 frame", nameof(plainFrame));
        }

        var segment = plainFrame.Slice(6, scan.SegmentLength);
        var after = plainFrame[(6 + scan.SegmentLength)..]; // CRC and line end
        int cp = segment.IndexOf(CpMarker);
        if (cp < 0 || !segment.EndsWith("&&"u8) || segment.Length < cp + 7)
        {
            throw new ArgumentException("the frame has no closed CP=&&…&& area", nameof(plainFrame));
        }

        var region = segment[(cp + 5)..^2];
        int whole = region.Length / Sm4Key.BlockSize * Sm4Key.BlockSize;
        if (whole == 0)
        {
            return plainFrame.ToArray();
        }

        var cipher = new byte[whole];
        key.EncryptBlocks(region[..whole], cipher);
        var sent = new ArrayBufferWriter<byte>(segment.Length + (whole * 5) + 16);
        sent.Write(segment[..(cp + 5)]);
        sent.Write("{"u8);
        for (int i = 0; i < cipher.Length; i++)
        {
            var item = sent.GetSpan(5);
            int n = 0;
            if (i > 0)
            {
                item[n++] = (byte)',';
            }

            item[n++] = (byte)'0';
            item[n++] = (byte)'x';
            item[n++] = Hex[cipher[i] >> 4];
            item[n++] = Hex[cipher[i] & 0xF];
            sent.Advance(n);
        }

        sent.Write("}"u8);
        sent.Write(region[whole..]);
        sent.Write("&&"u8);
        int length = lengthCountsSent ? sent.WrittenCount : segment.Length;
        if (length > 9999)
        {
            throw new ArgumentException($"the encrypted segment of {length} characters does not fit the 4-digit length field", nameof(plainFrame));
        }

        var frame = new byte[6 + sent.WrittenCount + after.Length];
        "##"u8.CopyTo(frame);
        WriteLength(frame.AsSpan(2, 4), length);
        sent.WrittenSpan.CopyTo(frame.AsSpan(6));
        after.CopyTo(frame.AsSpan(6 + sent.WrittenCount));
        return frame;
    }

    /// <summary>
    /// Decrypts an encrypted frame the scanner cut (<see cref="ScanResult.Encrypted"/>) into the plain
    /// frame it stands for, with the plain segment's length, the sent CRC and line end, and the scan of
    /// that plain frame. Null on success; otherwise <c>bad-cipher</c> (the braces, items or blocks are
    /// malformed) or <c>length-mismatch</c> (the length field counts neither the plain nor the sent
    /// segment). The CRC is not checked here: the decoder checks it over the plain segment.
    /// </summary>
    public static CipherError? TryDecrypt(ReadOnlySpan<byte> frame, in ScanResult scan, Sm4Key key, out byte[] plainFrame, out ScanResult plainScan)
    {
        plainFrame = [];
        plainScan = default;
        var segment = frame.Slice(6, scan.SegmentLength);
        if (Braces(segment, out int open, out int close) is { } badBraces)
        {
            return badBraces;
        }

        var items = segment[(open + 1)..close];
        int count = (items.Length + 1) / 5;
        var tail = segment[(close + 1)..^2];
        int plainLength = open + count + tail.Length + 2;
        var after = frame[(6 + scan.SegmentLength)..];
        var decoded = new byte[6 + plainLength + after.Length];
        var plain = decoded.AsSpan(6, plainLength);

        // The cipher bytes are parsed straight into their place in the plain frame and decrypted there.
        var cipher = plain.Slice(open, count);
        if (ParseItems(items, cipher) is { } badItem)
        {
            return badItem;
        }

        key.DecryptBlocks(cipher, cipher);
        segment[..open].CopyTo(plain);
        tail.CopyTo(plain[(open + count)..]);
        "&&"u8.CopyTo(plain[^2..]);
        if (LengthError(frame, plain, scan.SegmentLength) is { } badLength)
        {
            return badLength;
        }

        "##"u8.CopyTo(decoded);
        WriteLength(decoded.AsSpan(2, 4), plainLength);
        after.CopyTo(decoded.AsSpan(6 + plainLength));
        plainFrame = decoded;
        plainScan = new ScanResult(ScanKind.Frame, decoded.Length, SegmentLength: plainLength);
        return null;
    }

    /// <summary>Where the cipher text's braces are in the segment (<c>CP=&amp;&amp;{…}…&amp;&amp;</c>) and that it holds whole SM4 blocks of 5-character items; why not, or null.</summary>
    private static CipherError? Braces(ReadOnlySpan<byte> segment, out int open, out int close)
    {
        (open, close) = (0, 0);
        int cp = segment.IndexOf(CipherStart);
        if (cp < 0)
        {
            return new CipherError(Hj212Errors.BadCipher, "the CP area does not begin with {0x");
        }

        open = cp + 5;
        close = segment[open..].IndexOf((byte)'}');
        if (close < 0)
        {
            return new CipherError(Hj212Errors.BadCipher, "the cipher text has no closing brace");
        }

        close += open;
        if (!segment.EndsWith("&&"u8) || segment.Length - 2 < close + 1)
        {
            return new CipherError(Hj212Errors.BadCipher, "the encrypted CP area is not closed with && after the cipher text");
        }

        var items = segment[(open + 1)..close];
        int count = (items.Length + 1) / 5;
        if (items.Length == 0 || (items.Length + 1) % 5 != 0)
        {
            return new CipherError(Hj212Errors.BadCipher, $"the cipher text is not comma-separated 0xHH items ({items.Length} characters in the braces)");
        }

        if (count % Sm4Key.BlockSize != 0)
        {
            return new CipherError(Hj212Errors.BadCipher, $"{count} cipher bytes are not whole 16-byte SM4 blocks");
        }

        return null;
    }

    /// <summary>The length field must count the plain segment (bytes or characters) or the sent one, and the plain segment fit in it; why not, or null.</summary>
    private static CipherError? LengthError(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> plain, int sentLength)
    {
        int plainLength = plain.Length;
        int declared = int.Parse(frame.Slice(2, 4), NumberStyles.None, CultureInfo.InvariantCulture);
        if (declared != plainLength && declared != sentLength
            && declared != (System.Text.Unicode.Utf8.IsValid(plain) ? Encoding.UTF8.GetCharCount(plain) : plainLength))
        {
            return new CipherError(Hj212Errors.LengthMismatch,
                $"declared length {declared} counts neither the plain segment ({plainLength}) nor the sent one ({sentLength})");
        }

        if (plainLength > 9999)
        {
            return new CipherError(Hj212Errors.LengthMismatch, $"the plain segment of {plainLength} characters exceeds the length field's 9999");
        }

        return null;
    }

    /// <summary>The cipher text's comma-separated <c>0xHH</c> items into <paramref name="cipher"/> (one byte each); the first bad item, or null.</summary>
    private static CipherError? ParseItems(ReadOnlySpan<byte> items, Span<byte> cipher)
    {
        var table = HexValue;
        int count = cipher.Length;
        for (int i = 0; i < count; i++)
        {
            // An item is "0x", two hex digits and (but the last) a comma: read as one little-endian word.
            uint word = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(items.Slice(i * 5, 4));
            int hi = table[(byte)(word >> 16)], lo = table[(byte)(word >> 24)];
            if ((word & 0xDFFF) != 0x5830 || (hi | lo) < 0 || (i < count - 1 && items[(i * 5) + 4] != (byte)','))
            {
                return new CipherError(Hj212Errors.BadCipher, $"cipher item {i + 1} '{FrameScanner.Preview(items.Slice(i * 5, Math.Min(5, items.Length - (i * 5))))}' is not 0x and two hex digits");
            }

            cipher[i] = (byte)((hi << 4) | lo);
        }

        return null;
    }

    /// <summary>The value of each byte as a hex digit, or -1.</summary>
    private static ReadOnlySpan<sbyte> HexValue =>
    [
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -1, -1, -1, -1, -1,
        -1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    ];

    private static void WriteLength(Span<byte> into, int length)
    {
        for (int i = 3; i >= 0; i--)
        {
            into[i] = (byte)('0' + (length % 10));
            length /= 10;
        }
    }
}

/// <summary>Why an encrypted frame could not be decrypted: an error code of <see cref="Hj212Errors"/> and its detail.</summary>
public sealed record CipherError(string Code, string Detail);
