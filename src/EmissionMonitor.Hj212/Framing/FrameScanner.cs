using EmissionMonitor.Hj212.Decoding;

namespace EmissionMonitor.Hj212.Framing;

/// <summary>
/// Finds HJ 212 frames in a byte stream by their length field (<c>##</c> + 4 digits + segment +
/// 4 hex CRC + CR LF), not by splitting on line ends. Each call looks at the start of its input and
/// says how many bytes form the next frame, error run or blank run, or that it needs more bytes.
/// The same bytes give the same steps however they are cut into reads: a decision is only taken
/// when every byte it depends on is present, or at the end of the input.
/// </summary>
public static class FrameScanner
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

        if (input.Length < HeaderLength)
        {
            for (int i = 2; i < input.Length; i++)
            {
                if (!IsDigit(input[i]))
                {
                    return BadLength(input, isFinal, options);
                }
            }

            return isFinal
                ? ScanResult.Fail(input.Length, Hj212Errors.Truncated, $"input ends after {input.Length} bytes, inside the frame header")
                : ScanResult.NeedMore;
        }

        int declared = 0;
        for (int i = 2; i < HeaderLength; i++)
        {
            if (!IsDigit(input[i]))
            {
                return BadLength(input, isFinal, options);
            }

            declared = (declared * 10) + (input[i] - '0');
        }

        if (declared > options.MaxSegmentLength)
        {
            return Mismatch(input, isFinal, options, $"declared length {declared} exceeds the limit of {options.MaxSegmentLength}");
        }

        return ScanBody(input, declared, isFinal, options);
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

    private static ScanResult EndsEarly(ReadOnlySpan<byte> input, FramingOptions options, int declared)
    {
        // A line end or the next header before the end of the input means the frame did end, shorter
        // than declared: a length mismatch. Only a frame cut off by the end of the input is truncated.
        int end = DelimitedEnd(input, 2, options);
        if (end <= 0)
        {
            return ScanResult.Fail(input.Length, Hj212Errors.Truncated, $"input ends after {input.Length} bytes; the length field declares {declared + HeaderLength + 6}");
        }

        return ScanResult.Fail(end, Hj212Errors.LengthMismatch, $"declared length {declared}, but the line ends after {end} bytes");
    }

    private static ScanResult Mismatch(ReadOnlySpan<byte> input, bool isFinal, FramingOptions options, string detail)
    {
        int end = DelimitedEnd(input, HeaderLength, options);
        if (end > 0)
        {
            return ScanResult.Fail(end, Hj212Errors.LengthMismatch, detail);
        }

        return isFinal || input.Length >= SearchLimit(options)
            ? ScanResult.Fail(Math.Min(input.Length, SearchLimit(options)), Hj212Errors.LengthMismatch, detail)
            : ScanResult.NeedMore;
    }

    private static ScanResult BadLength(ReadOnlySpan<byte> input, bool isFinal, FramingOptions options)
    {
        int shown = Math.Min(4, input.Length - 2);
        string detail = $"length field '{Preview(input.Slice(2, shown))}' is not 4 digits";
        int end = DelimitedEnd(input, 2, options);
        if (end > 0)
        {
            return ScanResult.Fail(end, Hj212Errors.BadLength, detail);
        }

        return isFinal || input.Length >= SearchLimit(options)
            ? ScanResult.Fail(Math.Min(input.Length, SearchLimit(options)), Hj212Errors.BadLength, detail)
            : ScanResult.NeedMore;
    }

    /// <summary>
    /// The end of a broken frame: just after the first LF at or after <paramref name="from"/>, or just
    /// before the next <c>##</c> when that comes first; 0 when neither is within the search limit.
    /// </summary>
    private static int DelimitedEnd(ReadOnlySpan<byte> input, int from, FramingOptions options)
    {
        var window = input[..Math.Min(input.Length, SearchLimit(options))];
        if (from >= window.Length)
        {
            return 0;
        }

        int lf = window[from..].IndexOf((byte)'\n');
        int header = window[2..].IndexOf("##"u8);
        int lfEnd = lf < 0 ? int.MaxValue : from + lf + 1;
        int headerEnd = header < 0 ? int.MaxValue : header + 2;
        int end = Math.Min(lfEnd, headerEnd);
        return end == int.MaxValue ? 0 : end;
    }

    private static int SearchLimit(FramingOptions options) => HeaderLength + options.MaxSegmentLength + 6 + options.MaxGarbageRun;

    private static ScanResult ScanGarbage(ReadOnlySpan<byte> input, bool isFinal, FramingOptions options)
    {
        int cap = options.MaxGarbageRun;
        var window = input[..Math.Min(input.Length, cap + 1)];
        int found = window.Length > 1 ? window[1..].IndexOf("##"u8) : -1;
        int end;
        if (found >= 0)
        {
            end = found + 1;
            while (end + 2 < window.Length && window[end + 2] == (byte)'#')
            {
                end++;
            }

            if (end + 2 == window.Length && window.Length == input.Length && !isFinal)
            {
                return ScanResult.NeedMore; // the run of '#' may go on in the next read
            }
        }
        else if (input.Length > cap)
        {
            end = cap;
        }
        else if (isFinal)
        {
            end = input.Length;
        }
        else
        {
            return ScanResult.NeedMore;
        }

        var run = input[..end];
        return ScanResult.Fail(end, Hj212Errors.NoHeader, $"{end} bytes before a frame header: '{Preview(run)}'");
    }

    /// <summary>
    /// The byte offset where <paramref name="characters"/> UTF-8 characters starting at
    /// <paramref name="start"/> end, when the segment holds non-ASCII bytes; -3 when it is all ASCII
    /// (characters and bytes agree); NeedMoreMarker when the input ends first.
    /// </summary>
    private static int ByteOffsetOfCharacters(ReadOnlySpan<byte> input, int start, int characters)
    {
        int pos = start;
        bool nonAscii = false;
        for (int n = 0; n < characters; n++)
        {
            if (pos >= input.Length)
            {
                return NeedMoreMarker;
            }

            byte b = input[pos];
            int width = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            nonAscii |= b >= 0x80;
            pos += width;
        }

        return nonAscii ? pos : -3;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static bool IsBlank(byte b) => b is (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t';

    /// <summary>A short printable rendering of bytes for error details.</summary>
    public static string Preview(ReadOnlySpan<byte> bytes, int max = 40)
    {
        var sb = new System.Text.StringBuilder();
        foreach (byte b in bytes[..Math.Min(bytes.Length, max)])
        {
            sb.Append(b switch
            {
                (byte)'\r' => "\\r",
                (byte)'\n' => "\\n",
                (byte)'\\' => "\\\\",
                >= 0x20 and < 0x7F => ((char)b).ToString(),
                _ => $"\\x{b:X2}",
            });
        }

        if (bytes.Length > max)
        {
            sb.Append('…');
        }

        return sb.ToString();
    }
}
