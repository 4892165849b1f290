namespace EmissionMonitor.Hj212.Packets;

/// <summary>
/// Materialises a segment's tokens (for a packet's <c>Header</c> and <c>Cp</c>): split on both
/// <c>;</c> and <c>,</c> (devices mix them), each token kept raw with its separator. The segment
/// rules are checked before, by <see cref="Hj212Reader"/>.
/// </summary>
internal static class Hj212SegmentParser
{
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
