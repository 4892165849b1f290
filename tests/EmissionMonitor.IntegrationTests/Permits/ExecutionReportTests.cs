using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using EmissionMonitor.Hj212.Encoders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EmissionMonitor.IntegrationTests.Permits;

/// <summary>
/// The permit execution report of a generated August read back sheet by sheet: its figures equal the
/// reports they restate (totals, exceedances, the 25 % rule, rates), the exceedance carries the
/// enterprise's explanation from its mark and its answer to the order, and the enterprise gets only its own.
/// The service's clock stands on 3 September 2025, when such a report is made.
/// </summary>
public sealed class ExecutionReportTests
{
    private const string Operator = "operator-token-1", Mine = "enterprise-token-1";
    private static readonly DateTime August = new(2025, 8, 1);

    private static async Task PrepareAsync(string config, string data)
    {
        var frames = new StringBuilder();
        for (int h = 0; h < 31 * 24; h++)
        {
            var hour = August.AddHours(h);
            if (hour.Day == 20 && hour.Hour < 12)
            {
                continue; // twelve hours missing
            }

            bool high = hour.Day == 30 && hour.Hour is 10 or 11;
            frames.Append(new Hj212Builder { Qn = "20250801000000000", St = "31", Cn = "2061", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }.DataTime(hour)
                .Value("a21026", "Avg", 20m).Value("a21026", "Flag", "N").Value("a21002", "Avg", high ? 80m : 30m).Value("a21002", "Flag", "N")
                .Value("a34013", "Avg", 5m).Value("a34013", "Flag", "N").Value("a00000", "Avg", 100m).Value("a00000", "Flag", "N").Build().ToString());
        }

        string file = Path.Combine(Path.GetDirectoryName(data)!, "august.h212");
        await File.WriteAllTextAsync(file, frames.ToString());
        var import = await CliRunner.RunAsync(["import", file, "--config", config, "--data", data]);
        Assert.True(import.ExitCode == 0, import.StdErr);
    }

    private static List<List<string>> Rows(IntegrationTests.Api.XlsxExportTests.Workbook book, int from) =>
        Enumerable.Range(from, 2000).TakeWhile(r => book.Text((uint)r, 0).Length > 0).Select(r => book.Row((uint)r)).ToList();

    [Fact]
    public async Task TheSheets_ReadBack_EqualTheReports_WithTheEnterprisesExplanation()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 9, 3, 10, 0, 0, TimeSpan.FromHours(8)));
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Api:Users:0:Token"] = Operator, ["Api:Users:0:Role"] = "operator",
            ["Api:Users:1:Token"] = Mine, ["Api:Users:1:Role"] = "enterprise", ["Api:Users:1:Enterprise"] = "QH-XN-001",
        }, PrepareAsync, services: s => s.AddSingleton<TimeProvider>(clock));
        using var op = ApiCalls.Client(service.HttpBase, Operator);
        using var mine = ApiCalls.Client(service.HttpBase, Mine);

        // The enterprise explains the exceedance with a fault mark and answers the bureau's order.
        var (marked, _) = await ApiCalls.PostAsync(mine, "/api/marks", new { mn = "QHXN0010001", kind = "fault", from = "2025-08-30T09:00", to = "2025-08-30T13:00", comment = "脱硝喷氨泵故障" });
        Assert.Equal(HttpStatusCode.Created, marked);
        var (ordered, order) = await ApiCalls.PostAsync(op, "/api/orders", new { mn = "QHXN0010001", pollutant = "a21002", text = "说明8月30日氮氧化物超标原因" });
        Assert.Equal(HttpStatusCode.Created, ordered);
        Assert.Equal(HttpStatusCode.OK, (await ApiCalls.PostAsync(mine, $"/api/orders/{order.GetProperty("id").GetString()}/respond", new { cause = "喷氨泵故障", measures = "已更换喷氨泵" })).Status);

        // Asked by the enterprise for another's: it gets its own.
        var response = await mine.GetAsync(new Uri("/api/documents/execution?enterprise=QH-XN-002&month=2025-08&lang=zh", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("排污许可执行报告", Uri.UnescapeDataString(response.Content.Headers.ContentDisposition!.ToString()), StringComparison.Ordinal);
        byte[] bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(["实际排放量报表", "超标时段", "自动监测数据缺失与异常", "有效传输率"], IntegrationTests.Api.XlsxExportTests.Workbook.Read(bytes).SheetNames);

        // 实际排放量报表 equals report totals of the month by outlet (kg, reported kg) and by enterprise (permit, year to date).
        async Task<List<JsonElement>> GetAsync(string path) => [.. JsonDocument.Parse(await op.GetStringAsync(new Uri(path, UriKind.Relative))).RootElement.EnumerateArray()];
        var totals = await GetAsync("/api/totals?from=2025-08-01&to=2025-09-01&enterprise=QH-XN-001&by=outlet");
        var byEnterprise = await GetAsync("/api/totals?from=2025-08-01&to=2025-09-01&enterprise=QH-XN-001&by=enterprise");
        var emissions = IntegrationTests.Api.XlsxExportTests.Workbook.Read(bytes, 0);
        var header = emissions.Row(4);
        var rows = Rows(emissions, 5);
        Assert.Equal(totals.Count + byEnterprise.Count, rows.Count);
        Assert.All(rows, r => Assert.Equal("QH-XN-001", r[header.IndexOf("企业编号")]));
        foreach (var t in totals)
        {
            var row = rows.Single(r => r[header.IndexOf("排口编号(MN)")] == t.GetProperty("mn").GetString() && r[header.IndexOf("污染物编码")] == t.GetProperty("pollutant").GetString());
            Assert.Equal(t.GetProperty("kg").GetDouble(), double.Parse(row[header.IndexOf("排放量(kg)")], CultureInfo.InvariantCulture), 3);
            Assert.Equal(t.GetProperty("reportedKg").GetDouble(), double.Parse(row[header.IndexOf("核算排放量(kg)")], CultureInfo.InvariantCulture), 3);
            Assert.Equal("2025-08", row[header.IndexOf("月份")]);
        }

        foreach (var t in byEnterprise)
        {
            var row = rows.Single(r => r[header.IndexOf("排口编号(MN)")] == "" && r[header.IndexOf("污染物编码")] == t.GetProperty("pollutant").GetString());
            Assert.Equal(t.GetProperty("permitKg").GetDouble(), double.Parse(row[header.IndexOf("年许可排放量(kg)")], CultureInfo.InvariantCulture), 3);
            Assert.Equal(t.GetProperty("ytdKg").GetDouble(), double.Parse(row[header.IndexOf("年度累计排放量(kg)")], CultureInfo.InvariantCulture), 3);
        }

        // 超标时段: every episode of report exceedances, the one on 30 August explained by the mark and the order's answer.
        var episodes = await GetAsync("/api/exceedances?from=2025-08-01&to=2025-09-01&enterprise=QH-XN-001");
        var sheet = IntegrationTests.Api.XlsxExportTests.Workbook.Read(bytes, 1);
        var episodeHeader = sheet.Row(4);
        var episodeRows = Rows(sheet, 5);
        Assert.Equal(episodes.Count, episodeRows.Count);
        var nox = Assert.Single(episodeRows, r => r[episodeHeader.IndexOf("污染物编码")] == "a21002");
        Assert.Equal("80", nox[episodeHeader.IndexOf("峰值")]);
        string explanation = nox[episodeHeader.IndexOf("企业说明（数据标记与督办反馈）")];
        Assert.Contains("标记（故障，2025-08-30 09:00–2025-08-30 13:00）：脱硝喷氨泵故障", explanation, StringComparison.Ordinal);
        Assert.Contains("督办反馈：原因 喷氨泵故障；措施 已更换喷氨泵", explanation, StringComparison.Ordinal);

        // 自动监测数据缺失与异常: the 25 % rule's figures as report totals gives them, the mark listed.
        var gaps = IntegrationTests.Api.XlsxExportTests.Workbook.Read(bytes, 2);
        Assert.Equal("缺失时段与25%规则判定", gaps.Text(4, 0));
        var gapHeader = gaps.Row(5);
        var so2 = Rows(gaps, 6).Single(r => r[gapHeader.IndexOf("污染物编码")] == "a21026");
        var so2Total = totals.Single(t => t.GetProperty("pollutant").GetString() == "a21026");
        Assert.Equal((12, Math.Round(so2Total.GetProperty("missingShare").GetDouble(), 3)), // a share as people read it: a percentage to one decimal
            (int.Parse(so2[gapHeader.IndexOf("缺失小时数")], CultureInfo.InvariantCulture), double.Parse(so2[gapHeader.IndexOf("缺失时段比例")], CultureInfo.InvariantCulture)));
        var all = string.Join("|", Enumerable.Range(1, 60).SelectMany(r => Enumerable.Range(0, 20).Select(c => gaps.Text((uint)r, c))));
        Assert.Contains("数据标记", all, StringComparison.Ordinal);
        Assert.Contains("脱硝喷氨泵故障", all, StringComparison.Ordinal);
        Assert.Contains("手工监测数据", all, StringComparison.Ordinal);

        // 有效传输率 as report rates gives it.
        var rate = (await GetAsync("/api/rates?from=2025-08-01&to=2025-09-01&enterprise=QH-XN-001&by=outlet")).Single();
        var rates = IntegrationTests.Api.XlsxExportTests.Workbook.Read(bytes, 3);
        var rateRow = Rows(rates, 5).Single();
        Assert.Equal(Math.Round(rate.GetProperty("effectiveRate").GetDouble(), 3), double.Parse(rateRow[rates.Row(4).IndexOf("有效传输率")], CultureInfo.InvariantCulture), 9);

        // Refusals name the parameter; the command line writes the same workbook.
        foreach (var (query, parameter) in new[] { ("month=2025-08", "enterprise"), ("enterprise=QH-XN-001", "month"), ("enterprise=QH-XN-001&month=2025-8", "month"),
            ("enterprise=QH-XN-001&quarter=2025Q5", "quarter"), ("enterprise=NOPE&month=2025-08", "enterprise") })
        {
            var bad = await op.GetAsync(new Uri("/api/documents/execution?" + query, UriKind.Relative));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains(parameter, await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        string config = Path.Combine(Path.GetDirectoryName(service.DataDirectory)!, "config"), file = Path.Combine(Some.TempDirectory(), "q3.xlsx");
        var cli = await CliRunner.RunAsync(["report", "document", "execution", "--enterprise", "QH-XN-001", "--quarter", "2025Q3", "--out", file, "--config", config,
            "--data", service.DataDirectory, "--lang", "zh"]);
        Assert.True(cli.ExitCode == 0, cli.StdErr);
        var quarter = Rows(IntegrationTests.Api.XlsxExportTests.Workbook.Read(await File.ReadAllBytesAsync(file), 0), 5);
        Assert.Equal(["2025-07", "2025-08", "2025-09"], quarter.Select(r => r[header.IndexOf("月份")]).Distinct());
    }
}
