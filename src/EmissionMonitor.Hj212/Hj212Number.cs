using System.Globalization;

namespace EmissionMonitor.Hj212;

/// <summary>
/// Numbers of data items, read from the segment's bytes. Plain decimals (an optional minus, up to
/// 18 digits, an optional point) take a fast path that builds the decimal from its digits; anything
/// else (exponents, signs, blanks, long mantissas, negative zero) goes to
/// <see cref="decimal.TryParse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider?, out decimal)"/>
/// with <see cref="NumberStyles.Float"/>, so both give the same value, scale included.
/// </summary>
public static class Hj212Number
{
    public static bool TryParse(ReadOnlySpan<byte> text, out decimal value)
    {
        int i = 0;
        bool negative = text.Length > 0 && text[0] == (byte)'-';
        if (negative)
        {
            i = 1;
        }

        ulong mantissa = 0;
        int digits = 0, scale = 0;
        bool point = false;
        for (; i < text.Length; i++)
        {
            uint d = (uint)(text[i] - '0');
            if (d <= 9)
            {
                mantissa = (mantissa * 10) + d;
                digits++;
                scale += point ? 1 : 0;
            }
            else if (text[i] == (byte)'.' && !point)
            {
                point = true;
            }
            else
            {
                return Slow(text, out value);
            }
        }

        if (digits == 0 || digits > 18 || (negative && mantissa == 0))
        {
            return Slow(text, out value);
        }

        value = new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, negative, (byte)scale);
        return true;
    }

    private static bool Slow(ReadOnlySpan<byte> text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
