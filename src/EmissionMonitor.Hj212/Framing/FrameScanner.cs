namespace EmissionMonitor.Hj212.Framing;

/// <summary>
/// Finds HJ 212 frames in a byte stream by their length field (<c>##</c> + 4 digits + segment +
/// 4 hex CRC + CR LF), not by splitting on line ends. Each call looks at the start of its input and
/// says how many bytes form the next frame, error run or blank run, or that it needs more bytes.
/// The same bytes give the same steps however they are cut into reads: a decision is only taken
/// when every byte it depends on is present, or at the end of the input.
/// </summary>
public static partial class FrameScanner
{
    private const int HeaderLength = 6; // "##" + 4 digits

    /// <summary>Scans the start of <paramref name="input"/>.</summary>
    /// <param name="input">Unconsumed bytes.</param>
    /// <param name="isFinal">True when no more bytes will follow.</param>
    /// <param name="options">Limits; <see cref="FramingOptions.Default"/> when null.</param>
    public static ScanResult Scan(ReadOnlySpan<byte> input, bool isFinal, FramingOptions? options = null)
    {
        options ??= FramingOptions.Default;
        if (input.IsEmpty)
        {
            return ScanResult.NeedMore;
        }

        int blanks = 0;
        while (blanks < input.Length && IsBlank(input[blanks]))
        {
            blanks++;
        }

        if (blanks > 0)
        {
            return new ScanResult(ScanKind.Skip, blanks);
        }

        // A header is the last "##" of a run of '#': "###0101…" is one stray '#' and a frame.
        if (input[0] != (byte)'#' || (input.Length > 1 && input[1] != (byte)'#') || (input.Length > 2 && input[2] == (byte)'#'))
        {
            return ScanGarbage(input, isFinal, options);
        }

        if (DeclaredLength(input, isFinal, options, out int declared) is { } header)
        {
            return header;
        }

        var encrypted = ScanEncrypted(input, isFinal, options);
        if (encrypted.Kind != ScanKind.Skip)
        {
            return encrypted;
        }

        if (declared > options.MaxSegmentLength)
        {
            return Mismatch(input, isFinal, options, $"declared length {declared} exceeds the limit of {options.MaxSegmentLength}");
        }

        return ScanBody(input, declared, isFinal, options);
    }

    /// <summary>The header's 4-digit length into <paramref name="declared"/>; a result instead when it is not all digits or not all here yet.</summary>
    private static ScanResult? DeclaredLength(ReadOnlySpan<byte> input, bool isFinal, FramingOptions options, out int declared)
    {
        declared = 0;
        for (int i = 2; i < Math.Min(input.Length, HeaderLength); i++)
        {
            if (!IsDigit(input[i]))
            {
                return BadLength(input, isFinal, options);
            }

            declared = (declared * 10) + (input[i] - '0');
        }

        if (input.Length >= HeaderLength)
        {
            return null;
        }

        return isFinal
            ? ScanResult.Fail(input.Length, Hj212Errors.Truncated, $"input ends after {input.Length} bytes, inside the frame header")
            : ScanResult.NeedMore;
    }

    private static ScanResult ScanBody(ReadOnlySpan<byte> input, int declared, bool isFinal, FramingOptions options)
    {
        int crcPos = HeaderLength + declared;
        int atBytes = LineEndAt(input, crcPos + 4, isFinal);
        if (atBytes >= 0)
        {
            return new ScanResult(ScanKind.Frame, crcPos + 4 + atBytes, SegmentLength: declared);
        }

        if (atBytes == NeedMoreMarker)
        {
            return ScanResult.NeedMore;
        }

        // The length may count characters rather than UTF-8 bytes (DOMAIN.md 1.1): try that when the
        // segment holds non-ASCII text.
        int charEnd = ByteOffsetOfCharacters(input, HeaderLength, declared);
        if (charEnd == NeedMoreMarker && !isFinal)
        {
            return ScanResult.NeedMore; // the character count reaches past this read: decide when it is here
        }

        if (charEnd > crcPos)
        {
            int atChars = LineEndAt(input, charEnd + 4, isFinal);
            if (atChars >= 0)
            {
                return new ScanResult(ScanKind.Frame, charEnd + 4 + atChars, SegmentLength: charEnd - HeaderLength, LengthCountsCharacters: true);
            }

            if (atChars == NeedMoreMarker)
            {
                return ScanResult.NeedMore;
            }
        }

        if (input.Length < crcPos + 4)
        {
            // The input ended (isFinal) before the declared end of the frame.
            return EndsEarly(input, options, declared);
        }

        return Mismatch(input, isFinal, options, $"declared length {declared}, but no CRC and line end follow the segment at byte {crcPos}");
    }

    /// <summary>
    /// An encrypted frame (its CP begins <c>{0x</c>) cut by its structure: the cipher text holds no
    /// line end and no <c>##</c>, so the frame runs to the first of them (CRC the 4 characters before). Skip when the
    /// frame is plain (its <c>CP=&amp;&amp;</c> is not followed by <c>{0x</c>, or no <c>CP=&amp;&amp;</c>
    /// comes before the line end or the next header); NeedMore while that cannot yet be told.
    /// </summary>
    private static ScanResult ScanEncrypted(ReadOnlySpan<byte> input, bool isFinal, FramingOptions options)
    {
        int limit = SearchLimit(options);
        var window = input[HeaderLength..Math.Min(input.Length, limit)];
        int cp = window.IndexOf("CP=&&"u8);
        var before = cp < 0 ? window : window[..cp];
        bool ended = before.IndexOfAny((byte)'\r', (byte)'\n') >= 0 || before.IndexOf("##"u8) >= 0;
        if (cp < 0 || ended)
        {
            bool undecided = cp < 0 && !ended && !isFinal && input.Length < limit;
            return undecided ? ScanResult.NeedMore : new ScanResult(ScanKind.Skip, 0);
        }

        var cipher = window[(cp + 5)..];
        if (cipher.Length < 3)
        {
            return isFinal || !"{0x"u8.StartsWith(cipher) ? new ScanResult(ScanKind.Skip, 0) : ScanResult.NeedMore;
        }

        if (!cipher.StartsWith("{0x"u8))
        {
            return new ScanResult(ScanKind.Skip, 0);
        }

        return EncryptedEnd(input, HeaderLength + cp + 5, isFinal, limit);
    }

    /// <summary>Where an encrypted frame whose cipher text begins at <paramref name="start"/> ends: at the first line end or glued <c>##</c>.</summary>
    private static ScanResult EncryptedEnd(ReadOnlySpan<byte> input, int start, bool isFinal, int limit)
    {
        var rest = input[start..];
        int end = rest.IndexOfAny((byte)'\r', (byte)'\n');
        int glued = (end < 0 ? rest : rest[..end]).IndexOf("##"u8);
        if (glued >= 0)
        {
            return EncryptedFrame(start + glued, 0); // the next frame follows without a line end
        }

        if (end < 0)
        {
            if (input.Length >= limit)
            {
                return ScanResult.Fail(limit, Hj212Errors.LengthMismatch, $"an encrypted frame with no line end within {limit} bytes");
            }

            return isFinal ? EncryptedFrame(input.Length, 0) : ScanResult.NeedMore;
        }

        end += start;
        if (input[end] == (byte)'\n')
        {
            return EncryptedFrame(end, 1);
        }

        if (end + 1 == input.Length)
        {
            return isFinal ? EncryptedFrame(end, 1) : ScanResult.NeedMore;
        }

        return EncryptedFrame(end, input[end + 1] == (byte)'\n' ? 2 : 1);
    }

    private static ScanResult EncryptedFrame(int lineEnd, int lineEndWidth) =>
        new(ScanKind.Frame, lineEnd + lineEndWidth, SegmentLength: Math.Max(0, lineEnd - 4 - HeaderLength), Encrypted: true);

    private const int NeedMoreMarker = -1;
    private const int NoLineEnd = -2;

    /// <summary>
    /// The width of the line end at <paramref name="pos"/>: 2 for CR LF, 1 for LF or a lone CR, 0 for
    /// a frame that ends exactly at the end of the input; NoLineEnd or NeedMoreMarker otherwise.
    /// </summary>
    private static int LineEndAt(ReadOnlySpan<byte> input, int pos, bool isFinal)
    {
        if (pos > input.Length)
        {
            return isFinal ? NoLineEnd : NeedMoreMarker;
        }

        if (input.Slice(pos - 4, 4).IndexOfAny((byte)'\r', (byte)'\n') >= 0)
        {
            return NoLineEnd; // a line end inside the CRC field: the length is off
        }

        if (pos == input.Length)
        {
            if (!isFinal)
            {
                return NeedMoreMarker;
            }

            return Crc.Hj212Crc.TryParseHex(input.Slice(pos - 4, 4), out _) ? 0 : NoLineEnd;
        }

        byte b = input[pos];
        if (b == (byte)'\n')
        {
            return 1;
        }

        if (b != (byte)'\r')
        {
            return NoLineEnd;
        }

        if (pos + 1 == input.Length)
        {
            return isFinal ? 1 : NeedMoreMarker;
        }

        return input[pos + 1] == (byte)'\n' ? 2 : 1;
    }
}
