using System.Globalization;

namespace EmissionMonitor.Hj212;

/// <summary>HJ 212 time fields: <c>yyyyMMddHHmmss</c>, optionally with <c>fff</c> (17 digits). Local time.</summary>
public static class Hj212Time
{
    /// <summary>Parses 14 or 17 digits into a local date-time; (null, false) when not a valid time.</summary>
    public static (DateTime? Time, bool HasMilliseconds) Parse(string? text) => text is null ? (null, false) : Parse(text.AsSpan());

    private static (DateTime? Time, bool HasMilliseconds) Parse(ReadOnlySpan<char> text)
    {
        if (text.Length != 14 && text.Length != 17)
        {
            return (null, false);
        }

        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return (null, false);
            }
        }

        int year = Digits(text, 0, 4), month = Digits(text, 4, 2), day = Digits(text, 6, 2);
        int hour = Digits(text, 8, 2), minute = Digits(text, 10, 2), second = Digits(text, 12, 2);
        int ms = text.Length == 17 ? Digits(text, 14, 3) : 0;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return (null, false);
        }

        return (new DateTime(year, month, day, hour, minute, second, ms, DateTimeKind.Unspecified), text.Length == 17);
    }

    /// <summary>The same parse over the bytes of a segment (ASCII digits only).</summary>
    public static (DateTime? Time, bool HasMilliseconds) Parse(ReadOnlySpan<byte> text)
    {
        if ((text.Length != 14 && text.Length != 17) || text.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            return (null, false);
        }

        Span<char> chars = stackalloc char[text.Length];
        System.Text.Ascii.ToUtf16(text, chars, out _);
        return Parse(chars);
    }

    /// <summary>Formats a local time as the 14 digits HJ 212 uses.</summary>
    public static string Format(DateTime local) => local.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary>Formats a local time as a 17-digit QN (with milliseconds).</summary>
    public static string FormatQn(DateTime local) => local.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

    private static int Digits(ReadOnlySpan<char> s, int start, int count)
    {
        int v = 0;
        for (int i = start; i < start + count; i++)
        {
            v = (v * 10) + (s[i] - '0');
        }

        return v;
    }
}
