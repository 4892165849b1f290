using System.Text;
using System.Text.Json;
using EmissionMonitor.Hj212.Encoders;

namespace EmissionMonitor.IntegrationTests.Compliance;

/// <summary>
/// A generated quarter (2025Q3) of hourly records for a gas outlet with known gaps, F hours, D hours
/// and exceedance runs across midnight, imported with <c>import</c>; every figure of
/// <c>report … --format json</c> must equal what this test computes on its own from the plan.
/// </summary>
public sealed class QuarterScenarioTests
{
    private const int Hours = 92 * 24;
    private static readonly DateTime Start = new(2025, 7, 1);

    private static bool Gap(int h) => h % 97 == 5;

    private static bool FlagF(int h) => h % 101 == 7;

    private static bool So2Invalid(int h) => h % 53 == 3;

    private static bool So2Exceeds(int h) => ((h / 24) % 10 == 0 && h % 24 >= 22) || ((h / 24) % 10 == 1 && h % 24 <= 1);

    private static double So2(int h) => So2Exceeds(h) ? 40 + (h % 5) : 20;

    [Fact]
    public async Task ImportedQuarter_ReportsEqualIndependentFigures()
    {
        string root = Some.TempDirectory();
        string config = Path.Combine(root, "config"), data = Path.Combine(root, "data"), file = Path.Combine(root, "q3.h212");
        Directory.CreateDirectory(config);
        await File.WriteAllTextAsync(Path.Combine(config, "stations.json"), Some.RegistryJson);
        await File.WriteAllTextAsync(Path.Combine(config, "appsettings.json"), """{ "Compliance": { "ProvinceCaps": { "2020": { "a21026": 1.5, "a21002": 9000 } } } }""");
        var frames = new StringBuilder();
        for (int h = 0; h < Hours; h++)
        {
            if (Gap(h))
            {
                continue;
            }

            string flag = FlagF(h) ? "F" : "N";
            var b = new Hj212Builder { Qn = "20250701000000000", St = "31", Cn = "2061", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
                .DataTime(Start.AddHours(h))
                .Value("a21026", "Avg", (decimal)So2(h) - 5).Value("a21026", "ZsAvg", (decimal)So2(h)).Value("a21026", "Cou", 1.0m)
                .Value("a21026", "Flag", So2Invalid(h) && flag == "N" ? "D" : flag)
                .Value("a21002", "Avg", 30m).Value("a21002", "Cou", 2.0m).Value("a21002", "Flag", flag)
                .Value("a34013", "Avg", 5m).Value("a34013", "Flag", flag);
            frames.Append(b.Build().ToString());
        }

        await File.WriteAllTextAsync(file, frames.ToString());
        var import = await CliRunner.RunAsync(["import", file, "--config", config, "--data", data]);
        Assert.True(import.ExitCode == 0, import.StdErr);

        // Rates per pollutant.
        var rates = await Report("rates", "--by", "pollutant");
        int exempt = Enumerable.Range(0, Hours).Count(h => !Gap(h) && FlagF(h));
        int expected = Hours - exempt;
        int received = Enumerable.Range(0, Hours).Count(h => !Gap(h) && !FlagF(h));
        int so2Valid = Enumerable.Range(0, Hours).Count(h => !Gap(h) && !FlagF(h) && !So2Invalid(h));
        Assert.Equal(3, rates.GetArrayLength());
        foreach (var row in rates.EnumerateArray())
        {
            string pollutant = row.GetProperty("pollutant").GetString()!;
            int valid = pollutant == "a21026" ? so2Valid : received;
            Assert.Equal(expected, row.GetProperty("expected").GetInt32());
            Assert.Equal(received, row.GetProperty("received").GetInt32());
            Assert.Equal(valid, row.GetProperty("valid").GetInt32());
            Assert.Equal((double)received / expected, row.GetProperty("transmissionRate").GetDouble());
            Assert.Equal((double)received / expected * ((double)valid / received), row.GetProperty("effectiveRate").GetDouble(), 15);
            Assert.Equal("2025-07-01T00:00:00+08:00", row.GetProperty("from").GetString());
            Assert.Equal("2025-10-01T00:00:00+08:00", row.GetProperty("to").GetString());
        }

        // Exceedance episodes of SO2: maximal runs of valid, exceeding, consecutive hours.
        var episodes = new List<(int Start, int Length, double Peak)>();
        for (int h = 0; h < Hours; h++)
        {
            bool counts = !Gap(h) && !FlagF(h) && !So2Invalid(h) && So2Exceeds(h);
            if (counts && episodes.Count > 0 && episodes[^1].Start + episodes[^1].Length == h)
            {
                var e = episodes[^1];
                episodes[^1] = (e.Start, e.Length + 1, Math.Max(e.Peak, So2(h)));
            }
            else if (counts)
            {
                episodes.Add((h, 1, So2(h)));
            }
        }

        var reported = await Report("exceedances", "--pollutant", "a21026");
        Assert.Equal(episodes.Count, reported.GetArrayLength());
        foreach (var (e, row) in episodes.Zip(reported.EnumerateArray()))
        {
            Assert.Equal(Start.AddHours(e.Start).ToString("yyyy-MM-ddTHH:mm:ss") + "+08:00", row.GetProperty("start").GetString());
            Assert.Equal(e.Length, row.GetProperty("periods").GetInt32());
            Assert.Equal(e.Peak, row.GetProperty("peak").GetDouble());
            Assert.Equal((e.Peak - 35) / 35, row.GetProperty("peakMultiple").GetDouble());
            Assert.Equal("zs-sent", row.GetProperty("valueKind").GetString());
        }

        Assert.Contains(episodes, e => (e.Start + e.Length - 1) / 24 != e.Start / 24); // some cross midnight

        // Totals of SO2 and NOx.
        var totals = await Report("totals");
        int records = Enumerable.Range(0, Hours).Count(h => !Gap(h));
        var so2 = totals.EnumerateArray().Single(r => r.GetProperty("pollutant").GetString() == "a21026");
        Assert.Equal(records * 1.0, so2.GetProperty("kg").GetDouble(), 9);
        Assert.Equal(so2Valid * 1.0, so2.GetProperty("validKg").GetDouble(), 9);
        Assert.Equal(records, so2.GetProperty("hours").GetInt32());
        Assert.Equal(Hours - records, so2.GetProperty("missingHours").GetInt32());
        var nox = totals.EnumerateArray().Single(r => r.GetProperty("pollutant").GetString() == "a21002");
        Assert.Equal(records * 2.0, nox.GetProperty("kg").GetDouble(), 9);

        // Substitution (Totals:Substitution hj75): SO2 has no flow here, so each gap takes its neighbours'
        // kg, 1.0 — a missing hour adds 1.0, an invalid (D) hour replaces its own 1.0; F hours are exempt.
        int missing = Hours - records;
        int so2Gaps = missing + Enumerable.Range(0, Hours).Count(h => !Gap(h) && !FlagF(h) && So2Invalid(h));
        Assert.Equal(missing * 1.0, so2.GetProperty("substitutedKg").GetDouble(), 9);
        Assert.Equal(so2Gaps, so2.GetProperty("substitutedHours").GetInt32());
        Assert.Equal((records + missing) * 1.0, so2.GetProperty("reportedKg").GetDouble(), 9);
        Assert.Equal((double)so2Gaps / (Hours - exempt), so2.GetProperty("missingShare").GetDouble(), 12);
        Assert.True(so2.GetProperty("monitoringUsable").GetBoolean());
        Assert.Equal(missing * 2.0, nox.GetProperty("substitutedKg").GetDouble(), 9);

        var byEnterprise = await Report("totals", "--by", "enterprise", "--pollutant", "a21026");
        var row1 = Assert.Single(byEnterprise.EnumerateArray());
        Assert.Equal(1_200_000, row1.GetProperty("permitKg").GetDouble());
        Assert.Equal((records + missing) * 1.0, row1.GetProperty("ytdKg").GetDouble(), 9); // reported: measured and substituted
        Assert.False(row1.GetProperty("overTotal").GetBoolean());

        var province = await Report("totals", "--by", "province");
        var so2Province = province.EnumerateArray().Single(r => r.GetProperty("pollutant").GetString() == "a21026");
        Assert.Equal(JsonValueKind.Null, so2Province.GetProperty("mn").ValueKind);
        Assert.Equal(1500, so2Province.GetProperty("capKg").GetDouble());
        Assert.Equal((records + missing) * 1.0, so2Province.GetProperty("ytdKg").GetDouble(), 9);
        Assert.True(so2Province.GetProperty("overCap").GetBoolean()); // about 2.2 t against a 1.5 t cap
        Assert.False(province.EnumerateArray().Single(r => r.GetProperty("pollutant").GetString() == "a21002").GetProperty("overCap").GetBoolean());

        // The same report for people: a table in Chinese or English, and a workbook written to --out.
        var zh = await CliRunner.RunAsync(["report", "totals", "--quarter", "2025Q3", "--mn", "QHXN0010001", "--config", config, "--data", data, "--lang", "zh"]);
        Assert.True(zh.ExitCode == 0, zh.StdErr);
        Assert.Contains("二氧化硫", zh.StdOut, StringComparison.Ordinal);
        Assert.Contains("排放量(kg)", zh.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("validKg", zh.StdOut, StringComparison.Ordinal);
        Assert.Contains((records * 1.0).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), zh.StdOut, StringComparison.Ordinal); // kg to 3 decimals
        var en = await CliRunner.RunAsync(["report", "totals", "--quarter", "2025Q3", "--mn", "QHXN0010001", "--config", config, "--data", data, "--lang", "en"]);
        Assert.Contains("Emitted (kg)", en.StdOut, StringComparison.Ordinal);
        Assert.Contains("sulphur dioxide", en.StdOut, StringComparison.Ordinal);
        string workbook = Path.Combine(Some.TempDirectory(), "totals.xlsx");
        var xlsx = await CliRunner.RunAsync(["report", "totals", "--quarter", "2025Q3", "--mn", "QHXN0010001", "--config", config, "--data", data, "--format", "xlsx", "--out", workbook, "--lang", "zh"]);
        Assert.True(xlsx.ExitCode == 0, xlsx.StdErr);
        Assert.Equal(string.Empty, xlsx.StdOut);
        var book = Api.XlsxExportTests.Workbook.Read(await File.ReadAllBytesAsync(workbook));
        Assert.Contains("2025Q3", book.Text(2, 0), StringComparison.Ordinal);
        Assert.Contains("排放量(kg)", book.Row(4));
        Assert.Equal(0, (await CliRunner.RunAsync(["report", "--help"])).ExitCode);
        string document = Path.Combine(Some.TempDirectory(), "monthly.xlsx");
        var monthly = await CliRunner.RunAsync(["report", "document", "monthly", "--month", "2025-07", "--mn", "QHXN0010001", "--config", config, "--data", data, "--out", document, "--lang", "zh"]);
        Assert.True(monthly.ExitCode == 0, monthly.StdErr);
        var monthBook = Api.XlsxExportTests.Workbook.Read(await File.ReadAllBytesAsync(document));
        Assert.Equal("日均值月报", monthBook.Text(1, 0));
        Assert.Equal("月均值/合计", monthBook.Text(5 + 31, 0));
        var noOut = await CliRunner.RunAsync(["report", "document", "daily", "--date", "2025-07-01", "--config", config, "--data", data]);
        Assert.Equal(2, noOut.ExitCode);
        Assert.Contains("--out", noOut.StdErr, StringComparison.Ordinal);

        async Task<JsonElement> Report(string kind, params string[] extra)
        {
            var result = await CliRunner.RunAsync(["report", kind, "--quarter", "2025Q3", "--mn", "QHXN0010001", "--format", "json", "--config", config, "--data", data, .. extra]);
            Assert.True(result.ExitCode == 0, result.StdErr);
            return JsonDocument.Parse(result.StdOut).RootElement.Clone();
        }
    }

    [Fact]
    public async Task ReportUsageErrors_NameTheOption()
    {
        var both = await CliRunner.RunAsync(["report", "rates", "--quarter", "2025Q3", "--from", "2025-07-01"]);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("--quarter", both.StdErr, StringComparison.Ordinal);
        var by = await CliRunner.RunAsync(["report", "rates", "--by", "galaxy"]);
        Assert.Equal(2, by.ExitCode);
        Assert.Contains("--by", by.StdErr, StringComparison.Ordinal);
        var hours = await CliRunner.RunAsync(["report", "hours"]);
        Assert.Equal(2, hours.ExitCode);
        Assert.Contains("--mn", hours.StdErr, StringComparison.Ordinal);
    }
}
