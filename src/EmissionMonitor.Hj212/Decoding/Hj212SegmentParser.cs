using System.Globalization;

namespace EmissionMonitor.Hj212.Decoding;

/// <summary>
/// A tolerant tokenizer for the data segment: header fields and CP items split on both <c>;</c> and
/// <c>,</c> (devices mix them), each token kept raw with its separator.
/// </summary>
internal static class Hj212SegmentParser
{
    private static readonly string[] IntegerFields = ["Flag", "PNUM", "PNO"];

    public static DecodeResult Parse(string segment, string crc, string lineEnd, bool lengthCountsCharacters, bool latin1)
    {
        int cp = segment.IndexOf("CP=&&", StringComparison.Ordinal);
        if (cp < 0)
        {
            return DecodeResult.Fail(Hj212Errors.BadField, "no CP=&&…&& data area");
        }

        if (segment.Length < cp + 7 || !segment.EndsWith("&&", StringComparison.Ordinal))
        {
            return DecodeResult.Fail(Hj212Errors.BadField, "the CP data area is not closed with &&");
        }

        var header = Tokenise(segment.AsSpan(0, cp));
        var items = Tokenise(segment.AsSpan(cp + 5, segment.Length - cp - 7));
        if (CheckHeader(header) is { } problem)
        {
            return DecodeResult.Fail(Hj212Errors.BadField, problem);
        }

        return new DecodeResult(new Hj212Packet(header, items, crc, lineEnd, lengthCountsCharacters, latin1), null, null);
    }

    private static string? CheckHeader(List<Hj212Field> header)
    {
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in header)
        {
            if (field.Value is null)
            {
                if (field.Key.AsSpan().Trim().Length > 0)
                {
                    return $"header field '{field.Key}' has no '='";
                }

                continue;
            }

            if (seen.TryGetValue(field.Key, out var earlier) && !string.Equals(earlier, field.Value, StringComparison.Ordinal))
            {
                return $"header field {field.Key} is sent twice with different values";
            }

            seen[field.Key] = field.Value;
            foreach (var name in IntegerFields)
            {
                if (string.Equals(name, field.Key, StringComparison.OrdinalIgnoreCase)
                    && !int.TryParse(field.Value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    return $"{name} '{field.Value}' is not a non-negative integer";
                }
            }
        }

        return null;
    }

    internal static List<Hj212Field> Tokenise(ReadOnlySpan<char> text)
    {
        var tokens = new List<Hj212Field>(8);
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is ';' or ',')
            {
                tokens.Add(Token(text[start..i], c == ';' ? ";" : ","));
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            tokens.Add(Token(text[start..], string.Empty));
        }

        return tokens;
    }

    private static Hj212Field Token(ReadOnlySpan<char> token, string separator)
    {
        int eq = token.IndexOf('=');
        return eq < 0
            ? new Hj212Field(token.ToString(), null, separator)
            : new Hj212Field(token[..eq].ToString(), token[(eq + 1)..].ToString(), separator);
    }
}
