using System.Buffers.Binary;
using System.Text;
using EmissionMonitor.Intake;

namespace EmissionMonitor.Storage.Sqlite;

/// <summary>
/// One record's readings (every pollutant of one outlet, CN and period) packed into one blob of a
/// <c>records</c> row: per pollutant its name id, a mask of the fields present, then each field.
/// A number is written as a decimal — a mantissa and a scale, varint — whenever that gives back the
/// very same double (what a terminal sends is decimal text, so nearly always: "12.34" is 1234 and
/// 2, three bytes instead of eight); anything else as its eight bytes. A pollutant added to the row
/// later (a split record's other part, a late pollutant) carries the id of the frame that brought it.
/// </summary>
internal static class RecordPacking
{
    private const int MaxScale = 14;
    private const int RawDouble = 15;
    private const long MaxMantissa = 1L << 50;
    private static readonly double[] Pow10 = Enumerable.Range(0, MaxScale + 1).Select(s => Math.Pow(10, s)).ToArray();

    [Flags]
    private enum Fields
    {
        // What hourly and daily records carry in the low seven bits: their mask is one byte.
        Avg = 1, Min = 2, Max = 4, Cou = 8, Flag = 16, Rtd = 32, ZsAvg = 64,
        ZsRtd = 128, RawAvg = 256, Invalid = 512, Rf = 1024, Frame = 2048,
    }

    /// <summary>A packed reading: its pollutant's name id, the reading, and its frame when not the row's (0).</summary>
    public readonly record struct Entry(long Pollutant, Reading Reading, long Frame);

    /// <summary>Appends one reading to <paramref name="buffer"/>.</summary>
    public static void Write(PackBuffer buffer, long pollutant, Reading r, long frame)
    {
        var mask = (r.Rtd is null ? 0 : Fields.Rtd) | (r.Avg is null ? 0 : Fields.Avg) | (r.Min is null ? 0 : Fields.Min)
            | (r.Max is null ? 0 : Fields.Max) | (r.Cou is null ? 0 : Fields.Cou) | (r.ZsRtd is null ? 0 : Fields.ZsRtd)
            | (r.ZsAvg is null ? 0 : Fields.ZsAvg) | (r.RawAvg is null ? 0 : Fields.RawAvg) | (r.Flag is null ? 0 : Fields.Flag)
            | (r.Invalid is null ? 0 : Fields.Invalid) | (r.Rf is null ? 0 : Fields.Rf) | (frame == 0 ? 0 : Fields.Frame);
        buffer.Varint((ulong)pollutant);
        buffer.Varint((ulong)mask);
        Number(buffer, r.Avg);
        Number(buffer, r.Min);
        Number(buffer, r.Max);
        Number(buffer, r.Cou);
        Number(buffer, r.Rtd);
        Number(buffer, r.ZsAvg);
        Number(buffer, r.ZsRtd);
        Number(buffer, r.RawAvg);

        if (r.Flag is { } flag)
        {
            buffer.Text(flag);
        }

        if (r.Invalid is { } invalid)
        {
            buffer.Text(invalid);
        }

        if (r.Rf is { } rf)
        {
            buffer.Varint(ZigZag(rf));
        }

        if (frame != 0)
        {
            buffer.Varint((ulong)frame);
        }
    }

    /// <summary>The readings of a packed row, in the order they were added.</summary>
    public static List<Entry> Read(ReadOnlySpan<byte> data, string mn, string cn, DateTime period, Func<long, string> pollutantName)
    {
        var list = new List<Entry>(8);
        int at = 0;
        while (at < data.Length)
        {
            long pollutant = (long)ReadVarint(data, ref at);
            var mask = (Fields)ReadVarint(data, ref at);
            double? Field(Fields f, ReadOnlySpan<byte> d, ref int i) => (mask & f) == 0 ? null : ReadNumber(d, ref i);
            var avg = Field(Fields.Avg, data, ref at);
            var min = Field(Fields.Min, data, ref at);
            var max = Field(Fields.Max, data, ref at);
            var cou = Field(Fields.Cou, data, ref at);
            var rtd = Field(Fields.Rtd, data, ref at);
            var zsAvg = Field(Fields.ZsAvg, data, ref at);
            var zsRtd = Field(Fields.ZsRtd, data, ref at);
            var rawAvg = Field(Fields.RawAvg, data, ref at);
            string? flag = (mask & Fields.Flag) == 0 ? null : ReadText(data, ref at);
            string? invalid = (mask & Fields.Invalid) == 0 ? null : ReadText(data, ref at);
            int? rf = (mask & Fields.Rf) == 0 ? null : (int)UnZigZag(ReadVarint(data, ref at));
            long frame = (mask & Fields.Frame) == 0 ? 0 : (long)ReadVarint(data, ref at);
            list.Add(new Entry(pollutant, new Reading(mn, cn, period, pollutantName(pollutant), rtd, avg, min, max, cou, zsRtd, zsAvg, flag, invalid, rf, rawAvg), frame));
        }

        return list;
    }

    /// <summary>The readings of a packed row in pollutant order (the order the store has always listed them in).</summary>
    public static IEnumerable<Reading> ReadSorted(ReadOnlySpan<byte> data, string mn, string cn, DateTime period, Func<long, string> pollutantName)
    {
        var list = Read(data, mn, cn, period, pollutantName);
        list.Sort((a, b) => string.CompareOrdinal(a.Reading.Pollutant, b.Reading.Pollutant));
        return list.Select(e => e.Reading);
    }

    private static void Number(PackBuffer buffer, double? value)
    {
        if (value is not { } d)
        {
            return;
        }

        if (double.IsFinite(d) && !(d == 0 && double.IsNegative(d)))
        {
            for (int scale = 0; scale <= MaxScale; scale++)
            {
                double m = Math.Round(d * Pow10[scale]);
                if (Math.Abs(m) < MaxMantissa && m / Pow10[scale] == d)
                {
                    buffer.Varint((ZigZag((long)m) << 4) | (uint)scale);
                    return;
                }
            }
        }

        buffer.Varint(RawDouble);
        buffer.Double(d);
    }

    private static double ReadNumber(ReadOnlySpan<byte> data, ref int at)
    {
        ulong v = ReadVarint(data, ref at);
        int scale = (int)(v & 15);
        if (scale == RawDouble)
        {
            double d = BinaryPrimitives.ReadDoubleLittleEndian(data[at..]);
            at += 8;
            return d;
        }

        return UnZigZag(v >> 4) / Pow10[scale];
    }

    private static string ReadText(ReadOnlySpan<byte> data, ref int at)
    {
        int length = (int)ReadVarint(data, ref at);
        string s = Encoding.UTF8.GetString(data.Slice(at, length));
        at += length;
        return s;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int at)
    {
        ulong v = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = data[at++];
            v |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return v;
            }
        }
    }

    private static ulong ZigZag(long v) => (ulong)((v << 1) ^ (v >> 63));

    private static long UnZigZag(ulong v) => (long)(v >> 1) ^ -(long)(v & 1);
}

/// <summary>A growable byte buffer reused by the writer for every packed row.</summary>
internal sealed class PackBuffer
{
    private byte[] _bytes = new byte[256];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public void Varint(ulong v)
    {
        Ensure(10);
        while (v >= 0x80)
        {
            _bytes[Length++] = (byte)(v | 0x80);
            v >>= 7;
        }

        _bytes[Length++] = (byte)v;
    }

    public void Double(double d)
    {
        Ensure(8);
        BinaryPrimitives.WriteDoubleLittleEndian(_bytes.AsSpan(Length), d);
        Length += 8;
    }

    public void Text(string s)
    {
        int count = Encoding.UTF8.GetByteCount(s);
        Varint((ulong)count);
        Ensure(count);
        Length += Encoding.UTF8.GetBytes(s, _bytes.AsSpan(Length));
    }

    public void Bytes(ReadOnlySpan<byte> data)
    {
        Ensure(data.Length);
        data.CopyTo(_bytes.AsSpan(Length));
        Length += data.Length;
    }

    private void Ensure(int more)
    {
        if (Length + more > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + more));
        }
    }
}
