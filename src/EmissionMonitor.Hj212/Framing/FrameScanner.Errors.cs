namespace EmissionMonitor.Hj212.Framing;

/// <summary>Error runs: where a broken frame or a run of garbage ends, and how it is described.</summary>
public static partial class FrameScanner
{
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
