using System.Net;
using System.Text.Json;

namespace EmissionMonitor.IntegrationTests.Api;

/// <summary>
/// The catalogue of checks over HTTP and the command line, and its sentences where people read:
/// an hour's <c>reason</c> code in JSON, its sentence in a people's download.
/// </summary>
public sealed class CheckCatalogueApiTests
{
    [Fact]
    public async Task TheCatalogue_IsServed_Filtered_AndItsSentencesStandInDownloads()
    {
        await using var service = await ServiceFixture.StartAsync();
        using var http = new HttpClient { BaseAddress = service.HttpBase };
        var all = JsonDocument.Parse(await http.GetStringAsync("/api/checks")).RootElement;
        Assert.Contains(all.EnumerateArray(), c => c.GetProperty("code").GetString() == "bad-password" && c.GetProperty("category").GetString() == "intake"
            && c.GetProperty("zh").GetString()!.Contains("密码", StringComparison.Ordinal) && c.GetProperty("source").GetString()!.Length > 0);
        var intake = JsonDocument.Parse(await http.GetStringAsync("/api/checks?category=intake")).RootElement;
        Assert.All(intake.EnumerateArray(), c => Assert.Equal("intake", c.GetProperty("category").GetString()));
        Assert.True(intake.GetArrayLength() is > 5 and < 20);
        var bad = await http.GetAsync("/api/checks?category=nope");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("category", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Every hour of an outlet that sent nothing is missing: JSON keeps the code, the download says why in words.
        var hours = JsonDocument.Parse(await http.GetStringAsync("/api/hours?from=2025-07-01&to=2025-07-02&mn=QHXN0010001&limit=5")).RootElement;
        Assert.All(hours.EnumerateArray(), h => Assert.Equal("missing", h.GetProperty("reason").GetString()));
        var book = XlsxExportTests.Workbook.Read(await http.GetByteArrayAsync("/api/hours?from=2025-07-01&to=2025-07-02&mn=QHXN0010001&format=xlsx&lang=zh"));
        int column = book.Row(4).IndexOf("原因");
        Assert.True(column >= 0, string.Join(",", book.Row(4)));
        Assert.Equal("缺失：该小时没有收到小时数据（CN=2061）。", book.Text(5, column));
        var catalogueBook = XlsxExportTests.Workbook.Read(await http.GetByteArrayAsync("/api/checks?format=xlsx&lang=zh"));
        Assert.Equal(["代码", "类别", "说明（中文）", "说明（英文）", "依据"], catalogueBook.Row(4));
    }

    [Fact]
    public async Task ReportChecks_PrintsTheCatalogue()
    {
        var result = await CliRunner.RunAsync(["report", "checks", "--category", "flag", "--format", "json"]);
        Assert.True(result.ExitCode == 0, result.StdErr);
        var rows = JsonDocument.Parse(result.StdOut).RootElement;
        Assert.Contains(rows.EnumerateArray(), r => r.GetProperty("code").GetString() == "flag-D" && r.GetProperty("en").GetString()!.StartsWith("D:", StringComparison.Ordinal));
        var wrong = await CliRunner.RunAsync(["report", "checks", "--category", "nope"]);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("--category", wrong.StdErr, StringComparison.Ordinal);
    }
}
