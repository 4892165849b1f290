using System.Globalization;
using System.Text;
using System.Text.Json;
using EmissionMonitor.Compliance.Summaries;
using EmissionMonitor.Reports;

namespace EmissionMonitor.Tests.Reports;

public sealed class ReportFormatsTests
{
    /// <summary>Zones with no rule for decades, daylight saving, southern hemisphere, half-hour shifts, negative DST, and UTC.</summary>
    public static TheoryData<string> Zones => new() { "Asia/Shanghai", "America/New_York", "Australia/Lord_Howe", "Europe/Dublin", "Asia/Kolkata", "UTC" };

    [Theory]
    [MemberData(nameof(Zones))]
    public void ZoneOffsets_AreTheZonesOwn_AtEveryHalfHourOfCenturies(string id)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(id);
        var random = new Random(id.GetHashCode(StringComparison.Ordinal));
        for (int i = 0; i < 20_000; i++)
        {
            var local = new DateTime(1900, 1, 1).AddMinutes(30L * random.Next(0, 200 * 365 * 48));
            Assert.Equal(zone.GetUtcOffset(local), ZoneOffsets.Of(zone, local));
        }

        foreach (var year in new[] { 1986, 1991, 1992, 2025, 2026, 2100 })
        {
            for (var t = new DateTime(year, 1, 1); t.Year == year; t = t.AddMinutes(30))
            {
                Assert.Equal(zone.GetUtcOffset(t), ZoneOffsets.Of(zone, t));
            }
        }
    }

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
