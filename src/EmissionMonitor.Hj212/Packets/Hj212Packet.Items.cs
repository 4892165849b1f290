using System.Globalization;
using EmissionMonitor.Hj212.Codes;

namespace EmissionMonitor.Hj212.Packets;

/// <summary>The packet's token lists and CP items, read lazily from its segment (the string path of the packet API).</summary>
public sealed partial class Hj212Packet
{
    private Tokens TokenLists => _tokens ??= ReadTokens();

    private Items ItemLists => _items ??= BuildItems(Version, Cp);

    /// <summary>A header field's text from the segment's bytes; null when absent (decoded packets only: built ones set every field).</summary>
    private string? Text(Range range) =>
        _bytes.IsEmpty || Hj212Reader.IsAbsentRange(range) ? null : Decode(SegmentBytes[range]);

    private string Decode(ReadOnlySpan<byte> bytes) => IsLatin1 ? System.Text.Encoding.Latin1.GetString(bytes) : System.Text.Encoding.UTF8.GetString(bytes);

    private Tokens ReadTokens()
    {
        string text = Decode(SegmentBytes);
        int cp = text.IndexOf("CP=&&", StringComparison.Ordinal);
        return new Tokens(Hj212SegmentParser.Tokenise(text.AsSpan(0, cp)), Hj212SegmentParser.Tokenise(text.AsSpan(cp + 5, text.Length - cp - 7)));
    }

    private sealed record Tokens(IReadOnlyList<Hj212Field> Header, IReadOnlyList<Hj212Field> Cp);

    private sealed record Items(IReadOnlyList<Hj212Value> Values, IReadOnlyList<Hj212Value> Conflicts, IReadOnlyList<KeyValuePair<string, string>> Params);

    private static Items BuildItems(
        Hj212Version version, IReadOnlyList<Hj212Field> cp)
    {
        var values = new List<Hj212Value>(cp.Count);
        var byKey = new Dictionary<string, Hj212Value>(cp.Count, StringComparer.Ordinal);
        List<Hj212Value>? conflicts = null;
        var parameters = new List<KeyValuePair<string, string>>(2);
        foreach (var f in cp)
        {
            if (f.Value is null)
            {
                continue;
            }

            int dash = f.Key.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0)
            {
                if (!parameters.Exists(p => string.Equals(p.Key, f.Key, StringComparison.Ordinal)))
                {
                    parameters.Add(new(f.Key, f.Value));
                }

                continue;
            }

            string sentCode = f.Key[..dash];
            string code = version == Hj212Version.V2005 ? CodeCatalogue.To2017(sentCode) : sentCode;
            string suffix = Suffixes.Normalise(f.Key[(dash + 1)..]);
            decimal? number = Suffixes.IsText(suffix) ? null : ParseNumber(f.Value);
            var value = new Hj212Value(code, sentCode, suffix, f.Value, number);
            if (byKey.TryGetValue(value.Key, out var existing))
            {
                if (!string.Equals(existing.Text, value.Text, StringComparison.Ordinal))
                {
                    (conflicts ??= []).Add(value);
                }

                continue;
            }

            byKey.Add(value.Key, value);
            values.Add(value);
        }

        return new Items(values, (IReadOnlyList<Hj212Value>?)conflicts ?? [], parameters);
    }

    private static decimal? ParseNumber(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal d) ? d : null;
}
