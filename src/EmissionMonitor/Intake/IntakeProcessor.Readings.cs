using EmissionMonitor.Hj212;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Intake;

/// <summary>A data frame's values as readings: one per pollutant, its values, flag and whether it is usable.</summary>
public sealed partial class IntakeProcessor
{
    /// <summary>
    /// The frame's readings, one per pollutant in order of first appearance: each item's suffix sets
    /// one value, the first occurrence of a code-suffix wins (as <see cref="Hj212Packet.Values"/>),
    /// and a value outside the physical range marks the reading invalid. CP is walked as spans.
    /// </summary>
    private List<Reading> ToReadings(Hj212Packet packet, Outlet outlet)
    {
        var local = packet.DataTime!.Value;
        var period = packet.Cn switch
        {
            Cns.Hourly => new DateTime(local.Year, local.Month, local.Day, local.Hour, 0, 0),
            Cns.Daily => local.Date,
            _ => local,
        };
        var builders = new List<ReadingBuilder>(4);
        foreach (var token in packet.EnumerateCp())
        {
            var sentCode = token.Code;
            if (!token.HasValue || sentCode.IsEmpty)
            {
                continue;
            }

            string code = Hj212Items.Code(sentCode, packet.Version, packet.IsLatin1);
            ReadingBuilder? builder = null;
            foreach (var b in builders)
            {
                if (string.Equals(b.Code, code, StringComparison.Ordinal))
                {
                    builder = b;
                    break;
                }
            }

            if (builder is null)
            {
                builders.Add(builder = new ReadingBuilder(code));
            }

            int slot = ReadingBuilder.Slot(Hj212Items.Suffix(token.Suffix, packet.IsLatin1));
            if (slot >= 0 && builder.FirstOccurrence(slot))
            {
                Apply(builder, slot, token.Value);
            }
        }

        var readings = new List<Reading>(builders.Count);
        foreach (var b in builders)
        {
            if (b.HasAny)
            {
                readings.Add(b.ToReading(outlet.Mn, packet.Cn!, period, packet.Rf));
            }
        }

        return readings;
    }

    private void Apply(ReadingBuilder builder, int slot, ReadOnlySpan<byte> text)
    {
        if (slot == ReadingBuilder.FlagSlot)
        {
            builder.Flag = FlagText(text);
            return;
        }

        if (!Hj212Number.TryParse(text, out decimal number))
        {
            return; // text in a numeric field: not a value; the raw frame keeps it
        }

        double d = (double)number;
        builder.Values[slot] = d;
        if (builder.Invalid is null && _ranges.Check(builder.Code, ReadingBuilder.Suffix(slot), d) is { } invalid)
        {
            builder.Invalid = $"{ReadingBuilder.Suffix(slot)} {invalid}";
        }
    }

    private static readonly string[] OneCharacter = Enumerable.Range(0, 128).Select(c => ((char)c).ToString()).ToArray();

    /// <summary>A flag's text; the usual one-letter flags (N, F, M, …) without allocating.</summary>
    private static string FlagText(ReadOnlySpan<byte> text) =>
        text.Length == 1 && text[0] < 0x80 ? OneCharacter[text[0]] : Hj212Reader.Text(text);

    /// <summary>One pollutant's values while its items are read.</summary>
    private sealed class ReadingBuilder(string code)
    {
        public const int FlagSlot = 8;
        private static readonly string[] Kept = [Suffixes.Rtd, Suffixes.Avg, Suffixes.Min, Suffixes.Max, Suffixes.Cou, Suffixes.ZsRtd, Suffixes.ZsAvg, Suffixes.RawAvg, Suffixes.Flag];
        private int _seen;

        public string Code { get; } = code;

        public double?[] Values { get; } = new double?[8];

        public string? Flag { get; set; }

        public string? Invalid { get; set; }

        public bool HasAny => Flag is not null || Array.Exists(Values, v => v is not null);

        /// <summary>The slot of a suffix (in the standard's spelling, from <see cref="Hj212Items.Suffix"/>) this reading keeps, or -1.</summary>
        public static int Slot(string suffix)
        {
            for (int i = 0; i < Kept.Length; i++)
            {
                if (ReferenceEquals(suffix, Kept[i]) || string.Equals(suffix, Kept[i], StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }

        public static string Suffix(int slot) => Kept[slot];

        /// <summary>True the first time a slot is met: later items with the same code-suffix are ignored.</summary>
        public bool FirstOccurrence(int slot)
        {
            bool first = (_seen & (1 << slot)) == 0;
            _seen |= 1 << slot;
            return first;
        }

        public Reading ToReading(string mn, string cn, DateTime period, int? rf) =>
            new(mn, cn, period, Code, Values[0], Values[1], Values[2], Values[3], Values[4], Values[5], Values[6], Flag, Invalid, rf, Values[7]);
    }
}
