using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace EmissionMonitor.IntegrationTests.Api;

/// <summary>
/// Downloads people hand on, read back with the Open XML SDK as Excel would: heading lines, headers in
/// the language, a frozen header row with an autofilter, column widths, numbers and dates as typed
/// cells with their number formats, words instead of codes — the same columns as the CSV; and the
/// machine table (keys, codes, ISO times) with <c>columns=raw</c>.
/// </summary>
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
    public async Task EveryList_IsAWorkbookPeopleCanHandOn_WithTheColumnsOfItsCsv(string path)
    {
        await using var service = await ServiceFixture.StartAsync();
        using var http = new HttpClient { BaseAddress = service.HttpBase };
        string sep = path.Contains('?') ? "&" : "?";
        byte[] csvBytes = await http.GetByteArrayAsync(path + sep + "format=csv&lang=zh");
        Assert.Equal([0xEF, 0xBB, 0xBF], csvBytes.Take(3));
        string csv = System.Text.Encoding.UTF8.GetString(csvBytes, 3, csvBytes.Length - 3);
        var response = await http.GetAsync(path + sep + "format=xlsx&lang=zh");
        Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode}");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        var book = Workbook.Read(await response.Content.ReadAsByteArrayAsync());

        Assert.False(string.IsNullOrWhiteSpace(book.Text(1, 0)), "a title line");
        Assert.Contains("数据截至", book.Text(3, 0), StringComparison.Ordinal);
        var header = book.Row(4);
        Assert.Equal(csv.Split("\r\n")[0].Split(','), header);
        Assert.DoesNotContain(header, h => h.All(c => c is >= 'a' and <= 'z' || c is >= 'A' and <= 'Z')); // every header in Chinese
        Assert.Equal(4, book.FrozenRows);
        Assert.StartsWith("A4:", book.AutoFilter, StringComparison.Ordinal);
        Assert.Equal(header.Count, book.Widths.Count);
        Assert.All(book.Widths, w => Assert.InRange(w, 6, 62));
        Assert.Equal(book.Text(1, 0), book.SheetNames.Single()[..Math.Min(31, book.SheetNames.Single().Length)]); // the sheet is named as the title says

        string raw = await http.GetStringAsync(path + sep + "format=csv&columns=raw");
        Assert.Matches("^[a-z][A-Za-z,]+\r\n", raw.TrimStart('\uFEFF')[..(raw.TrimStart('\uFEFF').IndexOf("\r\n", StringComparison.Ordinal) + 2)]);
    }

    [Fact]
    public async Task AWorkbook_HasTypedCellsWithNumberFormats_NamesBesideCodes_AndWordsInEitherLanguage()
    {
        await using var service = await ServiceFixture.StartAsync();
        using var http = new HttpClient { BaseAddress = service.HttpBase };
        var zh = Workbook.Read(await http.GetByteArrayAsync("/api/rates?quarter=2025Q3&by=pollutant&format=xlsx&lang=zh"));
        var header = zh.Row(4);
        Assert.Equal(["市/州", "企业名称", "企业编号", "排口名称", "排口编号(MN)", "污染物", "污染物编码"], header.Take(7));
        Assert.Equal(EmissionMonitor.Hj212.Codes.CodeCatalogue.Find(zh.Text(5, header.IndexOf("污染物编码")))!.Name, zh.Text(5, header.IndexOf("污染物")));
        Assert.False(string.IsNullOrEmpty(zh.Text(5, header.IndexOf("排口名称"))), "the outlet's name beside its MN");

        var rate = zh.Cell(5, header.IndexOf("有效传输率"));
        Assert.Equal("0.0%", zh.FormatOf(rate));
        Assert.InRange(double.Parse(rate.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture), 0, 1);
        var from = zh.Cell(5, header.IndexOf("开始"));
        Assert.Equal("yyyy-mm-dd hh:mm", zh.FormatOf(from));
        Assert.Equal((new DateTime(2025, 7, 1) - new DateTime(1899, 12, 30)).TotalDays, double.Parse(from.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("0", zh.FormatOf(zh.Cell(5, header.IndexOf("应传小时数"))));
        Assert.Contains(zh.Text(5, header.IndexOf("是否考核")), new[] { "是", "否" });
        Assert.Equal("自动监控数据有效传输率", zh.SheetNames.Single());

        var en = Workbook.Read(await http.GetByteArrayAsync("/api/rates?quarter=2025Q3&by=pollutant&format=xlsx&lang=en"));
        Assert.Equal(["City", "Enterprise", "Enterprise ID", "Outlet", "Outlet MN", "Pollutant", "Pollutant code"], en.Row(4).Take(7));
        Assert.Contains(en.Text(5, en.Row(4).IndexOf("Assessed")), new[] { "yes", "no" });
        Assert.Equal("Effective transmission rates", en.SheetNames.Single());

        // Totals: kg with three decimals and thousands separators; grouped by enterprise, no outlet columns.
        var totals = Workbook.Read(await http.GetByteArrayAsync("/api/totals?quarter=2025Q3&by=enterprise&format=xlsx&lang=zh"));
        var totalsHeader = totals.Row(4);
        Assert.DoesNotContain("排口编号(MN)", totalsHeader);
        Assert.Equal("#,##0.000", totals.FormatOf(totals.Cell(5, totalsHeader.IndexOf("排放量(kg)"))));

        // The heading names the scope as people know it: the enterprise by its name, not its registry id.
        string name = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/api/stations")).RootElement.EnumerateArray()
            .First(e => e.GetProperty("id").GetString() == "QH-XN-001").GetProperty("name").GetString()!;
        var one = Workbook.Read(await http.GetByteArrayAsync("/api/totals?quarter=2025Q3&by=enterprise&enterprise=QH-XN-001&format=xlsx&lang=zh"));
        Assert.Contains(name, one.Text(2, 0), StringComparison.Ordinal);
        Assert.DoesNotContain("QH-XN-001", one.Text(2, 0), StringComparison.Ordinal);

        // The CSV says the same in text: a percentage, a local time to the minute, words.
        string csv = await http.GetStringAsync("/api/rates?quarter=2025Q3&by=pollutant&format=csv&lang=zh");
        var first = csv.Split("\r\n")[1].Split(',');
        Assert.Matches(@"^\d{1,3}\.\d%$", first[header.IndexOf("有效传输率")]);
        Assert.Equal("2025-07-01 00:00", first[header.IndexOf("开始")]);
    }

    [Fact]
    public async Task ReportDocuments_AreWorkbooksASheetPerOutlet_WithTheReportsFigures()
    {
        await using var service = await ServiceFixture.StartAsync();
        using var http = new HttpClient { BaseAddress = service.HttpBase };
        // A day of hourly SO2 records, hours 10–12 flagged D (a fault), over the HJ 212 link.
        await GatewayClient.SendAcknowledgedAsync(service.GatewayPort, Enumerable.Range(0, 24).Select(hour =>
            Some.Hourly(at: new DateTime(2025, 7, 1, hour, 0, 0), flag: 5).Value("a21026", "Avg", 20m + hour).Value("a21026", "Flag", hour is >= 10 and <= 12 ? "D" : "N").Build().ToString()));

        await Waiting.UntilAsync(async () => System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/api/rates?from=2025-07-01&to=2025-07-02&mn=QHXN0010001&pollutant=a21026&by=pollutant"))
                .RootElement.EnumerateArray().Any(r => r.GetProperty("valid").GetInt32() == 21),
            TimeSpan.FromSeconds(20), "the day's SO2 in the rates");
        var rates = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/api/rates?from=2025-07-01&to=2025-07-02&mn=QHXN0010001&by=pollutant")).RootElement
            .EnumerateArray().ToDictionary(r => r.GetProperty("pollutant").GetString()!, r => r.GetProperty("valid").GetInt32());
        Assert.Equal(21, rates["a21026"]); // a day with data: the comparison below is not of empty sheets

        var response = await http.GetAsync("/api/documents/daily?date=2025-07-01&mn=QHXN0010001&lang=zh");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        byte[] bytes = await response.Content.ReadAsByteArrayAsync();
        var daily = Workbook.Read(bytes);
        Assert.Equal(4, daily.SheetNames.Count);
        Assert.StartsWith("QHXN0010001", daily.SheetNames[0], StringComparison.Ordinal);
        Assert.Equal(["排放量", "有效传输率", "许可排放量"], daily.SheetNames.Skip(1));
        var permitSheet = Workbook.Read(bytes, 3);
        Assert.Contains("许可排放量(kg)", permitSheet.Row(4)); // the enterprise's emissions against its permit
        Assert.Equal("小时均值日报", daily.Text(1, 0));
        var header = daily.Row(4);
        Assert.Equal("时间", header[0]);
        Assert.Equal(4, daily.FrozenRows);
        Assert.Equal("yyyy-mm-dd hh:mm", daily.FormatOf(daily.Cell(5, 0)));
        Assert.Equal("有效小时数", daily.Text(30, 0)); // 24 hours (rows 5–28), the mean, then the valid hours
        int so2 = header.IndexOf("二氧化硫(mg/m³)");
        Assert.Equal("20", daily.Text(5, so2)); // 00:00's value
        Assert.Equal("故障（D）", daily.Text(5 + 10, so2 + 1)); // 10:00's flag in words
        double mean = Enumerable.Range(0, 24).Where(h => h is < 10 or > 12).Average(h => 20.0 + h);
        Assert.Equal(Math.Round(mean, 2), double.Parse(daily.Text(29, so2), System.Globalization.CultureInfo.InvariantCulture)); // the valid hours' mean
        foreach (var (code, valid) in rates)
        {
            string name = EmissionMonitor.Hj212.Codes.CodeCatalogue.Find(code)!.Name;
            int column = header.FindIndex(h => h.StartsWith(name + "(", StringComparison.Ordinal));
            Assert.True(column > 0, $"a column of {name}: {string.Join(" | ", header)}");
            Assert.Equal(valid.ToString(System.Globalization.CultureInfo.InvariantCulture), daily.Text(30, column)); // the valid hours equal the rate's
        }

        // Printable: A4 landscape, one page wide, the heading and header rows on every page.
        using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes)))
        {
            string sheet = await new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open()).ReadToEndAsync();
            Assert.Contains("<pageSetup paperSize=\"9\" orientation=\"landscape\"", sheet, StringComparison.Ordinal);
            string book = await new StreamReader(zip.GetEntry("xl/workbook.xml")!.Open()).ReadToEndAsync();
            Assert.Contains("_xlnm.Print_Titles", book, StringComparison.Ordinal);
            Assert.Contains("!$1:$4", book, StringComparison.Ordinal);
        }

        using (var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false))
        {
            var errors = new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(document).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
            Assert.True(errors.Count == 0, string.Join("\n", errors.Take(5))); // a valid workbook after the page setup was added
        }

        // The rates sheet equals the rates report of the outlet for the day.
        var rateSheet = Workbook.Read(bytes, 2);
        var rateHeader = rateSheet.Row(4);
        var expected = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/api/rates?from=2025-07-01&to=2025-07-02&mn=QHXN0010001&by=outlet")).RootElement[0];
        Assert.Equal(expected.GetProperty("valid").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), rateSheet.Text(5, rateHeader.IndexOf("有效小时数")));

        // A month: a row per day (31), then the month's mean and totals.
        var monthly = Workbook.Read(await http.GetByteArrayAsync("/api/documents/monthly?month=2025-07&mn=QHXN0010001&lang=zh"));
        Assert.Equal("日均值月报", monthly.Text(1, 0));
        Assert.Equal("yyyy-mm-dd", monthly.FormatOf(monthly.Cell(5, 0)));
        Assert.Equal("月均值/合计", monthly.Text(5 + 31, 0));

        // Refusals name the parameter.
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.GetAsync("/api/documents/daily?date=2025-13-01&mn=QHXN0010001")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.GetAsync("/api/documents/weekly?date=2025-07-01")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.GetAsync("/api/documents/daily?date=2025-07-01&mn=NOSUCHMN")).StatusCode);
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

    /// <summary>A workbook's first sheet as Excel reads it: cells by row number and column, formats, frozen rows, filter, widths.</summary>
    internal sealed class Workbook
    {
        private readonly Dictionary<uint, List<Cell>> _rows;
        private readonly Stylesheet _styles;

        private Workbook(Dictionary<uint, List<Cell>> rows, Stylesheet styles, int frozen, string? filter, List<double> widths, List<string> sheets) =>
            (_rows, _styles, FrozenRows, AutoFilter, Widths, SheetNames) = (rows, styles, frozen, filter, widths, sheets);

        public int FrozenRows { get; }

        public string? AutoFilter { get; }

        public IReadOnlyList<double> Widths { get; }

        public IReadOnlyList<string> SheetNames { get; }

        public static Workbook Read(byte[] bytes, int index = 0)
        {
            using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
            var part = document.WorkbookPart!;
            var id = part.Workbook.Descendants<Sheet>().ElementAt(index).Id!.Value!;
            var sheet = ((WorksheetPart)part.GetPartById(id)).Worksheet;
            var rows = sheet.Descendants<Row>().ToDictionary(r => r.RowIndex!.Value, r => r.Elements<Cell>().Select(c => (Cell)c.CloneNode(true)).ToList());
            var pane = sheet.Descendants<Pane>().FirstOrDefault();
            int frozen = pane?.State?.Value == PaneStateValues.Frozen ? (int)(pane.VerticalSplit?.Value ?? 0) : 0;
            return new Workbook(rows, (Stylesheet)part.WorkbookStylesPart!.Stylesheet.CloneNode(true), frozen, sheet.Descendants<AutoFilter>().FirstOrDefault()?.Reference?.Value,
                sheet.Descendants<Column>().Select(c => c.Width?.Value ?? 0).ToList(), part.Workbook.Descendants<Sheet>().Select(s => s.Name!.Value!).ToList());
        }

        public Cell Cell(uint row, int column) => _rows[row][column];

        public string Text(uint row, int column) => _rows.TryGetValue(row, out var cells) && column < cells.Count ? TextOf(cells[column]) : string.Empty;

        public List<string> Row(uint row) => _rows[row].Select(TextOf).ToList();

        /// <summary>The number format code of a cell's style, or null for General.</summary>
        public string? FormatOf(Cell cell)
        {
            var xf = (CellFormat)_styles.CellFormats!.ElementAt((int)(cell.StyleIndex?.Value ?? 0));
            uint id = xf.NumberFormatId?.Value ?? 0;
            return _styles.NumberingFormats?.Elements<NumberingFormat>().FirstOrDefault(n => n.NumberFormatId?.Value == id)?.FormatCode?.Value
                ?? (id == 0 ? null : id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        private static string TextOf(Cell c) => c.DataType?.Value == CellValues.InlineString ? c.InlineString!.InnerText : c.CellValue?.Text ?? string.Empty;
    }
}
