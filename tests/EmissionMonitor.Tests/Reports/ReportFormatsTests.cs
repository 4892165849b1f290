using System.Globalization;
using System.Text.Json;
using EmissionMonitor.Reports;

namespace EmissionMonitor.Tests.Reports;

public sealed class ReportFormatsTests
{
    [Fact]
    public void Instants_InJsonAndCsv_AreWrittenAsToStringOfTheTimeFormatGivesThem()
    {
        var random = new Random(7);
        var instants = Enumerable.Range(0, 5_000).Select(_ => new DateTimeOffset(new DateTime(1, 1, 2).AddSeconds(random.NextDouble() * 315_000_000_000d).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond,
            TimeSpan.FromMinutes(15 * random.Next(-14 * 4, 14 * 4 + 1)))).ToList();
        instants.AddRange([DateTimeOffset.MinValue.ToOffset(TimeSpan.FromHours(14)), new DateTimeOffset(1, 1, 1, 23, 0, 0, TimeSpan.FromHours(14)), new DateTimeOffset(9999, 12, 31, 9, 59, 59, TimeSpan.FromHours(-14)),
            new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.FromHours(8)), new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.FromMinutes(-570))]);
        var table = new ReportTable(["at"], instants.Select(t => new object?[] { t }).ToList());
        var expected = instants.Select(t => t.ToString(ReportFormats.TimeFormat, CultureInfo.InvariantCulture)).ToList();

        using var json = new MemoryStream();
        ReportFormats.WriteJson(table, json);
        using var doc = JsonDocument.Parse(json.ToArray());
        Assert.Equal(expected, doc.RootElement.EnumerateArray().Select(e => e.GetProperty("at").GetString()));
        Assert.Equal(["at", .. expected], ReportFormats.Csv(table).Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
    }

    private static ReportTable Rows(int from, int count) => new(["mn", "peak", "limit", "at", "ongoing", "reasons"],
        Enumerable.Range(from, count).Select(i => new object?[]
        {
            $"MN{i}, \"ä\"", i * 1.37, (double)(i % 3 * 50), new DateTimeOffset(2025, 7, 1, i % 24, 0, 0, TimeSpan.FromHours(8)), i % 2 == 0, new[] { "a", $"b{i}" },
        }).ToList());

    public static TheoryData<int[]> PartSizes => new() { Array.Empty<int>(), new[] { 0 }, new[] { 1 }, new[] { 3, 0, 2 }, new[] { 0, 0, 5 }, new[] { 2_000, 1, 0, 700 } };

    [Theory]
    [MemberData(nameof(PartSizes))]
    public async Task Parts_WrittenInOrder_AreTheBytesOfTheWholeTable(int[] sizes)
    {
        var tables = new List<ReportTable>();
        int from = 0;
        foreach (int n in sizes)
        {
            tables.Add(Rows(from, n));
            from += n;
        }

        var whole = Rows(0, from);
        using var json = new MemoryStream();
        ReportFormats.WriteJson(whole, json);
        using var parts = new MemoryStream();
        await ReportFormats.WriteJsonPartsAsync(tables.Select(ReportFormats.JsonPart).ToAsyncEnumerable(), parts);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(json.ToArray()), System.Text.Encoding.UTF8.GetString(parts.ToArray()));

        using var csvParts = new MemoryStream();
        await ReportFormats.WriteCsvPartsAsync(tables.Select(ReportFormats.CsvPart).ToAsyncEnumerable(), csvParts);
        Assert.Equal(sizes.Length == 0 ? string.Empty : ReportFormats.Csv(whole), System.Text.Encoding.UTF8.GetString(csvParts.ToArray()));
    }

    [Fact]
    public void WholeNumbers_AreWrittenAsTheDoubleFormattingWritesThem()
    {
        double[] values = [0, -0.0, 1, -1, 50, 1e14, 999_999_999_999_999, 1e15, -1e15, 123_456_789_012_345, 2.5, -7.25, 1e-7, double.MaxValue, 4_503_599_627_370_496, 0.1 + 0.2];
        var table = new ReportTable(["v"], values.Select(v => new object?[] { v }).ToList());
        using var json = new MemoryStream();
        ReportFormats.WriteJson(table, json);
        using var doc = JsonDocument.Parse(json.ToArray());
        var written = doc.RootElement.EnumerateArray().Select(e => e.GetProperty("v").GetRawText()).ToList();

        var expected = values.Select(v =>
        {
            using var one = new MemoryStream();
            using (var w = new Utf8JsonWriter(one))
            {
                w.WriteNumberValue(v); // the writer's own form of the double
            }

            return System.Text.Encoding.UTF8.GetString(one.ToArray());
        });
        Assert.Equal(expected, written);
    }

    [Fact]
    public void PooledStream_KeepsEveryByte_AcrossSegments_AndSkips()
    {
        var random = new Random(3);
        var data = new byte[300_000];
        random.NextBytes(data);
        using var pooled = new PooledStream();
        int at = 0;
        while (at < data.Length)
        {
            int n = Math.Min(random.Next(1, 90_000), data.Length - at);
            if (random.Next(2) == 0)
            {
                pooled.Write(data, at, n);
            }
            else
            {
                var span = ((System.Buffers.IBufferWriter<byte>)pooled).GetSpan(Math.Min(n, 1_000));
                n = Math.Min(n, span.Length);
                data.AsSpan(at, n).CopyTo(span);
                ((System.Buffers.IBufferWriter<byte>)pooled).Advance(n);
            }

            at += n;
        }

        Assert.Equal(data.Length, pooled.Length);
        using var copy = new MemoryStream();
        pooled.WriteTo(copy, 17);
        Assert.Equal(data.AsSpan(17).ToArray(), copy.ToArray());
        pooled.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pooled.Write([1], 0, 1));
    }

    [Theory]
    [InlineData("Asia/Shanghai")]
    [InlineData("Europe/Berlin")]
    [InlineData("America/Santiago")]
    [InlineData("Australia/Lord_Howe")]
    public void LocalTimes_OfEveryHalfHourOfAYear_HaveTheZonesOffset(string id)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(id);
        var times = Enumerable.Range(0, 2 * 24 * 366).Select(i => new DateTime(2024, 1, 1).AddMinutes(30 * i)).ToList();
        var scope = new EmissionMonitor.Compliance.Results.Scope("MN1", "E1", "enterprise", "city", "a21002");
        var rows = times.Select(t => new EmissionMonitor.Compliance.Results.ExceedanceResult(scope,
            new EmissionMonitor.Compliance.Exceedance.Episode("MN1", "a21002", "hour", "as-sent", t, t.AddMinutes(30), 1, 2, 1, 1, false))).ToList();
        var table = ReportTables.Exceedances(rows, zone);
        int start = table.Columns.ToList().IndexOf("start");
        int end = table.Columns.ToList().IndexOf("end");
        Assert.Equal(times.Select(t => new DateTimeOffset(t, zone.GetUtcOffset(t))), table.Rows.Select(r => (DateTimeOffset)r[start]!));
        Assert.Equal(times.Select(t => new DateTimeOffset(t.AddMinutes(30), zone.GetUtcOffset(t.AddMinutes(30)))), table.Rows.Select(r => (DateTimeOffset)r[end]!));
    }

    [Fact]
    public async Task TheTextTable_WrittenInParts_HasTheWholeTablesLines_WhenTheFirstPartSetsTheWidths()
    {
        // Widths are set by the first part: parts whose cells fit them give the whole table's text.
        var parts = new[] { Rows(10, 5), Rows(11, 3), Rows(12, 0), Rows(13, 4) };
        var whole = new ReportTable(parts[0].Columns, parts.SelectMany(p => p.Rows).ToList());
        using var written = new MemoryStream();
        await ReportFormats.WriteTableAsync(parts.ToAsyncEnumerable(), written, CancellationToken.None);
        Assert.Equal(ReportFormats.Table(whole), System.Text.Encoding.UTF8.GetString(written.ToArray()));

        // A longer cell later pushes its own line out; every row is still written, and counted.
        var wider = new ReportTable(["mn", "peak"], [["一号排口", 1.5]]);
        using var second = new MemoryStream();
        await ReportFormats.WriteTableAsync(new[] { new ReportTable(["mn", "peak"], [["A", 2.0]]), wider }.ToAsyncEnumerable(), second, CancellationToken.None);
        var lines = System.Text.Encoding.UTF8.GetString(second.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["mn  peak", "--  ----", "A      2", "一号排口   1.5", "(2 rows)"], lines);
    }
}
