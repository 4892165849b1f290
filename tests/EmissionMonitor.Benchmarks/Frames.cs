using EmissionMonitor.Hj212.Framing;
using EmissionMonitor.TestSupport;

namespace EmissionMonitor.Benchmarks;

/// <summary>Real frames from the 2016 field day, cut by the framer once, for the benchmarks.</summary>
internal static class Frames
{
    private static List<byte[]>? _day;

    /// <summary>The first <paramref name="count"/> frames of the field day, as received (with CR LF).</summary>
    public static byte[][] FieldDay(int count)
    {
        _day ??= Hj212Framer.Split(TestData.FieldDay()).Where(c => c.IsFrame).Select(c => c.Bytes.ToArray()).ToList();
        return _day.Take(count).ToArray();
    }

    /// <summary>The verified 2017/2025 samples (real-time, hourly with Cou and Zs).</summary>
    public static byte[][] Samples2017() =>
        TestData.Samples("samples-valid.tsv").Select(s => s.Frame).Where(f => f.Contains("Flag=", StringComparison.Ordinal) && !f.Contains("ST=91", StringComparison.Ordinal))
            .Select(f => System.Text.Encoding.UTF8.GetBytes(f)).ToArray();
}
