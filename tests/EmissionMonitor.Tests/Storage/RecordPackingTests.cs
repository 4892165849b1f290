using System.Globalization;
using EmissionMonitor.Intake;
using EmissionMonitor.Storage.Sqlite;

namespace EmissionMonitor.Tests.Storage;

/// <summary>The packed form of a record's readings gives back exactly what was stored.</summary>
public sealed class RecordPackingTests
{
    private static readonly DateTime Period = new(2025, 7, 1, 8, 0, 0);

    private static List<RecordPacking.Entry> RoundTrip(params (long Pollutant, Reading Reading, long Frame)[] entries)
    {
        var buffer = new PackBuffer();
        foreach (var (p, r, f) in entries)
        {
            RecordPacking.Write(buffer, p, r, f);
        }

        return RecordPacking.Read(buffer.Span.ToArray(), "MN1", "2061", Period, id => $"p{id}");
    }

    [Fact]
    public void DecimalTextAndAnyDouble_ComeBackBitForBit()
    {
        var random = new Random(20251201);
        var values = new List<double> { 0, 1, -1, 0.1, 12.34, 1e-14, 123456789.123, -0.0, double.MaxValue, double.Epsilon, double.NaN, double.PositiveInfinity, 1e300, 4503599627370496.5 };
        for (int i = 0; i < 20_000; i++)
        {
            // What terminals send (decimal text of up to 15 digits) and arbitrary bit patterns.
            string text = (random.NextDouble() * Math.Pow(10, random.Next(-6, 10))).ToString("F" + random.Next(0, 9), CultureInfo.InvariantCulture);
            values.Add(double.Parse(text, CultureInfo.InvariantCulture) * (random.Next(2) == 0 ? 1 : -1));
            values.Add(BitConverter.Int64BitsToDouble(random.NextInt64()));
        }

        foreach (var v in values)
        {
            var back = RoundTrip((7, new Reading("MN1", "2061", Period, "p7", Avg: v), 0)).Single().Reading.Avg!.Value;
            Assert.Equal(BitConverter.DoubleToInt64Bits(v), BitConverter.DoubleToInt64Bits(back));
        }
    }

    [Fact]
    public void EveryField_AndAFrameOfItsOwn_ComeBack()
    {
        var full = new Reading("MN1", "2061", Period, "p3", 1.5, 2.25, -3, 4e10, 0.000123, 6, 7, "N", "out of range (0–100)", 1, 8.125);
        var sparse = new Reading("MN1", "2061", Period, "p400", Flag: "数据");
        var back = RoundTrip((3, full, 0), (400, sparse, 123_456_789_012));
        Assert.Equal([full, sparse], back.Select(e => e.Reading));
        Assert.Equal([3L, 400L], back.Select(e => e.Pollutant));
        Assert.Equal([0L, 123_456_789_012L], back.Select(e => e.Frame));
    }

    [Fact]
    public void ADecimalValue_TakesAFewBytes()
    {
        var buffer = new PackBuffer();
        RecordPacking.Write(buffer, 5, new Reading("MN1", "2061", Period, "p5", Avg: 12.34, Min: 10.1, Max: 15.5, Cou: 1234.5, Flag: "N"), 0);
        Assert.True(buffer.Length <= 15, $"{buffer.Length} bytes"); // four numbers of 8 bytes each as REAL columns
    }
}
