using System.Globalization;
using EmissionMonitor.Hj212.Codes;

namespace EmissionMonitor.Hj212.Packets;

/// <summary>The packet's token lists and CP items, read lazily from its segment (the string path of the packet API).</summary>
public sealed partial class Hj212Packet
{
    private Tokens TokenLists => _tokens ??= ReadTokens();

    private Items ItemLists => _items ??= BuildItems();

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

    /// <summary>The CP items read through <see cref="Hj212Items"/> from the segment's bytes: values (first occurrence wins, later differing ones are conflicts) and parameters.</summary>
    private Items BuildItems()
    {
        var values = new List<Hj212Value>(16);
        var byKey = new Dictionary<string, Hj212Value>(16, StringComparer.Ordinal);
        List<Hj212Value>? conflicts = null;
        var parameters = new List<KeyValuePair<string, string>>(2);
        foreach (var t in EnumerateCp())
        {
            if (!t.HasValue)
            {
                continue;
            }

            if (t.Code.IsEmpty)
            {
                string key = Decode(t.Key);
                if (!parameters.Exists(p => string.Equals(p.Key, key, StringComparison.Ordinal)))
                {
                    parameters.Add(new(key, Decode(t.Value)));
                }

                continue;
            }

            string suffix = Hj212Items.Suffix(t.Suffix, IsLatin1);
            var value = new Hj212Value(Hj212Items.Code(t.Code, Version, IsLatin1), Decode(t.Code), suffix, Decode(t.Value),
                Suffixes.IsText(suffix) ? null : Hj212Items.Number(t.Value));
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
}
