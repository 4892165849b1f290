using System.IO.Compression;
using System.Xml.Linq;

namespace EmissionMonitor.IntegrationTests.Api;

/// <summary><c>format=xlsx</c> wherever <c>format=csv</c> works: the same table, as an Excel workbook.</summary>
public sealed class XlsxExportTests
{
    [Theory]
    [InlineData("/api/rates?quarter=2025Q3&by=outlet")]
    [InlineData("/api/exceedances?quarter=2025Q3")]
    [InlineData("/api/totals?quarter=2025Q3&by=enterprise")]
    [InlineData("/api/cards?quarter=2025Q3")]
    [InlineData("/api/hours?quarter=2025Q3&mn=QHXN0010001")]
    [InlineData("/api/alerts")]
    [InlineData("/api/marks")]
    [InlineData("/api/orders")]
    [InlineData("/api/outlets/QHXN0010001/commands")]
    [InlineData("/api/barometer?year=2025")]
    public async Task EveryCsvList_IsAlsoAWorkbook_WithTheSameColumns(string path)
    {
        await using var service = await ServiceFixture.StartAsync();
        using var http = new HttpClient { BaseAddress = service.HttpBase };
        string csv = (await http.GetStringAsync(path + (path.Contains('?') ? "&" : "?") + "format=csv")).TrimStart('\uFEFF');
        var response = await http.GetAsync(path + (path.Contains('?') ? "&" : "?") + "format=xlsx");
        Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode}");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var sheet = XDocument.Load(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        XNamespace ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        var header = sheet.Descendants(ns + "row").First().Elements(ns + "c").Select(c => c.Value).ToList();
        Assert.Equal(csv.Split("\r\n")[0].Split(','), header);
        Assert.NotNull(XDocument.Load(zip.GetEntry("xl/workbook.xml")!.Open()).Root);
    }

    [Fact]
    public async Task AWorkbook_HasDateAndNumberCells_AndChineseHeadersWhenAsked()
    {
        await using var service = await ServiceFixture.StartAsync();
        using var http = new HttpClient { BaseAddress = service.HttpBase };
        XNamespace ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        async Task<List<List<XElement>>> RowsAsync(string path)
        {
            using var zip = new ZipArchive(new MemoryStream(await http.GetByteArrayAsync(path)));
            Assert.NotNull(zip.GetEntry("xl/styles.xml"));
            return XDocument.Load(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open()).Descendants(ns + "row").Select(r => r.Elements(ns + "c").ToList()).ToList();
        }

        var zh = await RowsAsync("/api/rates?quarter=2025Q3&by=outlet&format=xlsx&lang=zh");
        var header = zh[0].Select(c => c.Value).ToList();
        Assert.Equal(["排口编号(MN)", "企业编号", "企业名称", "市/州", "污染物编码"], header.Take(5));
        Assert.Contains("有效传输率", header);
        var row = zh[1];
        var from = row[header.IndexOf("开始")];
        Assert.Equal("1", from.Attribute("s")?.Value); // a date-and-time cell: Excel's serial of 2025-07-01 00:00
        Assert.Equal((new DateTime(2025, 7, 1) - new DateTime(1899, 12, 30)).TotalDays, double.Parse(from.Value, System.Globalization.CultureInfo.InvariantCulture));
        var expected = row[header.IndexOf("应传小时数")];
        Assert.Null(expected.Attribute("t")); // a number, not text
        Assert.True(double.Parse(expected.Value, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal("mn", (await RowsAsync("/api/rates?quarter=2025Q3&by=outlet&format=xlsx"))[0][0].Value); // the keys without lang
    }

    [Fact]
    public async Task TheCatalogue_NamesEveryCode_InChineseAndEnglish()
    {
        await using var service = await ServiceFixture.StartAsync();
        using var http = new HttpClient { BaseAddress = service.HttpBase };
        var codes = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/api/codes")).RootElement.EnumerateArray()
            .ToDictionary(c => c.GetProperty("code").GetString()!, c => (c.GetProperty("name").GetString(), c.GetProperty("englishName").GetString(), c.GetProperty("unit").GetString()));
        Assert.Equal(("二氧化硫", "sulphur dioxide", "mg/m3"), codes["a21026"]);
        Assert.Equal(EmissionMonitor.Hj212.Codes.CodeCatalogue.All.Count, codes.Count);
    }
}
