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
}
