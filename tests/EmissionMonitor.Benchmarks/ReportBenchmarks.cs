using BenchmarkDotNet.Attributes;
using EmissionMonitor.Compliance.Exceedance;
using EmissionMonitor.Compliance.Results;
using EmissionMonitor.Reports;

namespace EmissionMonitor.Benchmarks;

/// <summary>
/// The report paths a download runs through, per part of 25 outlets' episodes (the size
/// <c>ReportService.OutletsPerPart</c> streams): episodes to table rows, the rows to JSON, CSV and
/// text parts (into pooled buffers), and a pooled stream against a growing MemoryStream.
/// </summary>
[MemoryDiagnoser]
public class ReportBenchmarks
{
    private IReadOnlyList<ExceedanceResult> _episodes = [];
    private ReportTable _table = null!;
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>Episodes in a part: 25 outlets × a quarter of the generated data (about 420 each).</summary>
    [Params(10_000)]
    public int Episodes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var start = new DateTime(2025, 7, 1);
        _episodes = Enumerable.Range(0, Episodes).Select(i =>
        {
            string mn = $"GEN{i / 400:D8}";
            var from = start.AddHours(random.Next(0, 92 * 24));
            double peak = 50 + (random.NextDouble() * 100);
            return new ExceedanceResult(new Scope(mn, $"GEN-{i / 800:D6}", $"生成企业{i / 800}", "西宁市", "a21002", "DA001", "91630000GEN0000000001P"),
                new Episode(mn, "a21002", "hour", "corrected", from, from.AddHours(1 + (i % 3)), 1 + (i % 3), peak, 50, (peak - 50) / 50, false));
        }).ToList();
        _table = ReportTables.Exceedances(_episodes, _zone);
    }

    [Benchmark(Description = "episodes to table rows")]
    public int Rows() => ReportTables.Exceedances(_episodes, _zone).Rows.Count;

    [Benchmark(Description = "JSON part (pooled)")]
    public long Json()
    {
        using var part = ReportFormats.JsonPart(_table);
        return part.Length;
    }

    [Benchmark(Description = "CSV part (pooled)")]
    public long Csv()
    {
        using var part = ReportFormats.CsvPart(_table);
        return part.Length;
    }

    [Benchmark(Description = "text table, streamed")]
    public async Task<long> Text()
    {
        using var output = new PooledStream();
        await ReportFormats.WriteTableAsync(One(_table), output, CancellationToken.None);
        return output.Length;
    }

    [Benchmark(Description = "1 MiB into a PooledStream")]
    public long Pooled()
    {
        using var stream = new PooledStream();
        return Fill(stream);
    }

    [Benchmark(Baseline = true, Description = "1 MiB into a MemoryStream")]
    public long Memory()
    {
        using var stream = new MemoryStream();
        return Fill(stream);
    }

    private static long Fill(Stream stream)
    {
        Span<byte> chunk = stackalloc byte[700];
        chunk.Fill((byte)'x');
        for (int i = 0; i < 1 << 20; i += chunk.Length)
        {
            stream.Write(chunk);
        }

        return stream.Length;
    }

    private static async IAsyncEnumerable<ReportTable> One(ReportTable table)
    {
        await Task.Yield();
        yield return table;
    }
}
