using System.Globalization;
using System.Numerics;
using EmissionMonitor.Compliance.Summaries;
using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Reports.Exports;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace EmissionMonitor.Reports.Documents;

/// <summary>
/// The report documents a bureau files, as one workbook: a sheet per outlet — 小时均值日报 (the 24
/// hourly values of each pollutant with their flags, then the day's mean, valid hours and kg),
/// 日均值月报 (a row per day), 月均值季报/年报 (a row per month) — then 排放量 and 有效传输率 sheets
/// with the same figures as <c>report totals</c> and <c>report rates</c> by outlet. Means follow the
/// validity counts of HJ 75/76 (<c>report means</c>: 20 valid hours a day, 25 valid days a month,
/// February 23; an invalid mean is written as words with its counts), kg the summaries' kg.
/// Written sheet by sheet as the data of each outlet is read.
/// </summary>
public sealed class DocumentWriter(Storage.IStore store, ReportService reports, Registry.StationRegistry registry)
{
    private static readonly Dictionary<string, (string Zh, string En)> Titles = new(StringComparer.Ordinal)
    {
        ["daily"] = ("小时均值日报", "Daily report of hourly means"), ["monthly"] = ("日均值月报", "Monthly report of daily means"),
        ["quarterly"] = ("月均值季报", "Quarterly report of monthly means"), ["annual"] = ("月均值年报", "Annual report of monthly means"),
    };

    /// <summary>The document's title in the language.</summary>
    public static string TitleOf(string kind, string lang) => lang == "en" ? Titles[kind].En : Titles[kind].Zh;

    /// <summary>
    /// The document ready to print (<see cref="PrintLayout"/>: A4 landscape, one page wide, the heading
    /// and header repeated): written to a temporary file first, then copied with the page setup.
    /// </summary>
    public async Task WritePrintableAsync(Stream output, DocumentRequest r, string lang, string by, DateTime now, CancellationToken ct)
    {
        string path = Path.Combine(Path.GetTempPath(), $"em-document-{Guid.NewGuid():N}.xlsx");
        await using var temp = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await WriteAsync(temp, r, lang, by, now, ct);
        temp.Position = 0;
        await PrintLayout.CopyAsync(temp, output, HeadingRows + 1, ct);
    }

    /// <summary>Rows of every sheet's heading (title, period and scope, cut-off and maker) above its header row.</summary>
    private const int HeadingRows = 3;

    public async Task WriteAsync(Stream output, DocumentRequest r, string lang, string by, DateTime now, CancellationToken ct)
    {
        bool zh = lang != "en";
        await using var book = await ExportStyles.CreateBookAsync(output, ct);
        var s = new ExportStyles(book);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var outlet in r.Outlets)
        {
            var facts = (await store.QueryDayFactsAsync(r.Period.From, r.Period.To, outlet.Mn, ct)).ToLookup(f => f.Pollutant, StringComparer.Ordinal);
            var pollutants = outlet.Limits.Keys.Order(StringComparer.Ordinal).ToList();
            var enterprise = registry.FindEnterprise(outlet.EnterpriseId);
            string permit = enterprise?.PermitNumber is { } number ? (zh ? $"（许可证编号 {number}）" : $" (permit {number})") : string.Empty;
            var heading = new ExportHeading(TitleOf(r.Kind, lang), r.PeriodName,
                $"{enterprise?.City} · {enterprise?.Name}{permit} · {Registry.Identifiers.NameWithCode(outlet)} ({outlet.Mn})", Compliance.Summaries.LocalSpans.Min(now, r.Period.To), by, now).Lines(lang);
            string Name(string code) => CodeCatalogue.Find(code) is { } p ? (zh ? p.Name : p.EnglishName) : code;
            string Unit(string code) => CodeCatalogue.Find(code)?.Unit.Replace("m3", "m³", StringComparison.Ordinal) ?? string.Empty;
            var header = new List<string> { zh ? "时间" : "Time" };
            foreach (string p in pollutants)
            {
                header.AddRange(r.Kind == "daily"
                    ? [$"{Name(p)}({Unit(p)})", $"{Name(p)} {(zh ? "标记" : "flag")}"]
                    : [$"{Name(p)} {(zh ? "均值" : "mean")}({Unit(p)})", $"{Name(p)} {(zh ? "有效小时数" : "valid hours")}", $"{Name(p)} {(zh ? "排放量" : "emitted")}(kg)"]);
            }

            await StartAsync(book, Unique(names, $"{outlet.Mn} {outlet.Name}"), heading, header, s, ct);
            if (r.Kind == "daily")
            {
                await DailyRowsAsync(book, outlet.Mn, r.Period.From, pollutants, facts, zh, s, ct);
            }
            else
            {
                await PeriodRowsAsync(book, r, pollutants, facts, zh, s, ct);
            }
        }

        // The same figures as `report totals` and `report rates` by outlet, for the whole period.
        var request = new ReportRequest("totals", r.Period, Mn: r.Outlets.Count == 1 ? r.Outlets[0].Mn : null, By: "outlet");
        var mns = r.Outlets.Select(o => o.Mn).ToHashSet(StringComparer.Ordinal);
        var totals = (await reports.TotalsAsync(request, ct)).Where(t => t.Scope.Mn is { } mn && mns.Contains(mn)).ToList();
        var rates = (await reports.RatesAsync(request with { Kind = "rates" }, ct)).Where(t => t.Scope.Mn is { } mn && mns.Contains(mn)).ToList();
        var zone = reports.TimeZone;
        await TableSheetAsync(book, names, zh ? "排放量" : "Emissions", ReportTables.Totals(totals, "outlet", zone), lang, r, by, now, s, ct);
        await TableSheetAsync(book, names, zh ? "有效传输率" : "Effective rates", ReportTables.Rates(rates, zone), lang, r, by, now, s, ct);

        // Against the permit: each enterprise's emissions of the period and of the year so far beside its permitted amount (report totals --by enterprise).
        var enterprises = r.Outlets.Select(o => o.EnterpriseId).ToHashSet(StringComparer.Ordinal);
        var permits = (await reports.TotalsAsync(new ReportRequest("totals", r.Period, Enterprise: enterprises.Count == 1 ? enterprises.First() : null, By: "enterprise"), ct))
            .Where(t => t.Scope.Enterprise is { } e && enterprises.Contains(e)).ToList();
        await TableSheetAsync(book, names, zh ? "许可排放量" : "Against the permit", ReportTables.Totals(permits, "enterprise", zone), lang, r, by, now, s, ct);
        await book.FinishAsync(ct);
    }

    private async Task DailyRowsAsync(Spreadsheet book, string mn, DateTime day, List<string> pollutants, ILookup<string, DayFact> facts, bool zh, ExportStyles s, CancellationToken ct)
    {
        var readings = (await ReportService.HourlyReadingsAsync(store, reports.Rules.Options, day, day.AddDays(1), mn, ct))
            .ToDictionary(x => (x.Period.Hour, x.Pollutant));
        var flags = ExportWords.Values["flag"];
        for (int hour = 0; hour < DayFact.HoursPerDay; hour++)
        {
            var row = new List<Cell> { new(day.AddHours(hour), s[CellFormat.DateTime]) };
            foreach (string p in pollutants)
            {
                var reading = readings.GetValueOrDefault((hour, p));
                row.Add(Number(reading?.ZsAvg ?? reading?.Avg, s[CellFormat.Decimal2]));
                row.Add(reading?.Flag is { } f ? new Cell(flags.TryGetValue(f, out var w) ? (zh ? w.Zh : w.En) : f) : default);
            }

            await book.AddRowAsync(row.ToArray(), ct);
        }

        var fact = pollutants.Select(p => facts[p].FirstOrDefault()).ToList();
        var rules = new Compliance.Means.MeanRules(reports.Rules.Options);
        await SummaryAsync(book, zh ? "日均值" : "Daily mean", pollutants.SelectMany(p => new[]
        {
            MeanCell(rules.Means("day", day, day.AddDays(1), facts[p].ToDictionary(f => f.Day)).Single(), zh, s), default,
        }), s, ct);
        await SummaryAsync(book, zh ? "有效小时数" : "Valid hours", fact.SelectMany(f => new[] { Number(f is null ? 0 : BitOperations.PopCount((uint)f.ValidMask), s[CellFormat.Integer]), default }), s, ct);
        await SummaryAsync(book, zh ? "排放量(kg)" : "Emitted (kg)", fact.SelectMany(f => new[] { Number(f?.Kg is { } kg ? Math.Round(kg, 3) : null, s[CellFormat.Kilograms]), default }), s, ct);
    }

    private async Task PeriodRowsAsync(Spreadsheet book, DocumentRequest r, List<string> pollutants, ILookup<string, DayFact> facts, bool zh, ExportStyles s, CancellationToken ct)
    {
        bool byDay = r.Kind == "monthly";
        var rules = new Compliance.Means.MeanRules(reports.Rules.Options);
        var means = pollutants.ToDictionary(p => p, p => facts[p].ToDictionary(f => f.Day));
        Compliance.Means.UnitMean MeanOf(string p, string unit, DateTime from, DateTime to) => rules.Means(unit, from, to, means[p]).Single();
        for (var at = r.Period.From; at < r.Period.To; at = byDay ? at.AddDays(1) : at.AddMonths(1))
        {
            var (from, to) = (at, byDay ? at.AddDays(1) : at.AddMonths(1));
            var row = new List<Cell> { byDay ? new Cell(at, s[CellFormat.Date]) : new Cell(at.ToString("yyyy-MM", CultureInfo.InvariantCulture)) };
            foreach (string p in pollutants)
            {
                row.AddRange(Three(MeanOf(p, byDay ? "day" : "month", from, to), facts[p].Where(f => f.Day >= from && f.Day < to).ToList(), zh, s));
            }

            await book.AddRowAsync(row.ToArray(), ct);
        }

        string whole = r.Kind switch { "monthly" => "month", "quarterly" => "quarter", _ => "year" };
        await SummaryAsync(book, zh ? (r.Kind == "monthly" ? "月均值/合计" : "期间均值/合计") : "Period mean / total",
            pollutants.SelectMany(p => Three(MeanOf(p, whole, r.Period.From, r.Period.To), facts[p].ToList(), zh, s)), s, ct);
    }

    private static Cell[] Three(Compliance.Means.UnitMean mean, List<DayFact> days, bool zh, ExportStyles s) =>
        [MeanCell(mean, zh, s), Number(days.Sum(f => BitOperations.PopCount((uint)f.ValidMask)), s[CellFormat.Integer]), Number(days.Count == 0 ? null : Math.Round(days.Sum(f => f.Kg), 3), s[CellFormat.Kilograms])];

    /// <summary>
    /// A mean with the validity counts of HJ 75/76 (<see cref="Compliance.Means.MeanRules"/>): the value
    /// when its counts suffice, else words with its counts (有效 19/20) — never averaged anyway.
    /// </summary>
    private static Cell MeanCell(Compliance.Means.UnitMean mean, bool zh, ExportStyles s) => mean.Value is { } v
        ? Number(Math.Round(v, 2, MidpointRounding.AwayFromZero), s[CellFormat.Decimal2])
        : new Cell(zh ? $"无效（有效 {mean.ValidCount}/{mean.RequiredCount}）" : $"invalid ({mean.ValidCount} of {mean.RequiredCount} valid)");

    private static async Task SummaryAsync(Spreadsheet book, string label, IEnumerable<Cell> cells, ExportStyles s, CancellationToken ct) =>
        await book.AddRowAsync([new Cell(label, s.Bold), .. cells], ct);

    private static Cell Number(double? v, StyleId style) => v is { } d && double.IsFinite(d) ? new Cell(d, style) : default;

    private Task TableSheetAsync(Spreadsheet book, HashSet<string> names, string name, ReportTable table, string lang, DocumentRequest r, string by, DateTime now,
        ExportStyles s, CancellationToken ct) =>
        TableSheetAsync(book, names, new ExportHeading(name, r.PeriodName, r.ScopeName, Compliance.Summaries.LocalSpans.Min(now, r.Period.To), by, now), table, lang, null, s, ct);

    /// <summary>A sheet of one table as people read it (<see cref="ExportView"/>: names, words, formats) under its heading; names from <paramref name="registry"/> where given.</summary>
    internal static async Task TableSheetAsync(Spreadsheet book, HashSet<string> names, ExportHeading heading, ReportTable table, string lang, Registry.StationRegistry? registry,
        ExportStyles s, CancellationToken ct)
    {
        var view = ExportView.For(table.Columns, lang, registry, table.Rows);
        await StartAsync(book, Unique(names, heading.Title), heading.Lines(lang), view.Columns.Select(c => c.Header).ToList(), s, ct);
        await RowsAsync(book, view, table, s, ct);
    }

    /// <summary>
    /// A sheet of several tables one below the other, each under a title row and its own header row
    /// (an empty table says so), for a document's table made of parts.
    /// </summary>
    internal static async Task SectionsSheetAsync(Spreadsheet book, HashSet<string> names, ExportHeading heading, IReadOnlyList<(string Title, ReportTable Table)> sections,
        string lang, Registry.StationRegistry? registry, ExportStyles s, CancellationToken ct)
    {
        var lines = heading.Lines(lang);
        var options = new WorksheetOptions { FrozenRows = lines.Count };
        for (int i = 1; i <= 24; i++)
        {
            options.Column(i).Width = i == 1 ? 20 : 14;
        }

        await book.StartWorksheetAsync(Unique(names, heading.Title), options, ct);
        foreach (string line in lines)
        {
            await book.AddRowAsync([new Cell(line, s.Title)], ct);
        }

        foreach (var (title, table) in sections)
        {
            var view = ExportView.For(table.Columns, lang, registry, table.Rows);
            await book.AddRowAsync([new Cell(title, s.Title)], ct);
            await book.AddRowAsync(view.Columns.Select(c => new Cell(c.Header, s.Header)).ToArray(), ct);
            await RowsAsync(book, view, table, s, ct);
            if (table.Rows.Count == 0)
            {
                await book.AddRowAsync([new Cell(lang == "en" ? "none" : "无")], ct);
            }

            await book.AddRowAsync([], ct);
        }
    }

    private static async Task RowsAsync(Spreadsheet book, ExportView view, ReportTable table, ExportStyles s, CancellationToken ct)
    {
        foreach (var raw in table.Rows)
        {
            var values = view.Row(raw);
            await book.AddRowAsync(values.Select((v, i) => ExportStyles.CellOf(v, s.For(view.Columns[i].Format))).ToArray(), ct);
        }
    }

    private static async Task StartAsync(Spreadsheet book, string sheet, IReadOnlyList<string> heading, List<string> header, ExportStyles s, CancellationToken ct)
    {
        var options = new WorksheetOptions { FrozenRows = heading.Count + 1, FrozenColumns = 1 };
        for (int i = 0; i < header.Count; i++)
        {
            options.Column(i + 1).Width = Math.Clamp(ReportFormats.DisplayWidth(header[i]) + 2, i == 0 ? 17 : 10, 40);
        }

        await book.StartWorksheetAsync(sheet, options, ct);
        foreach (string line in heading)
        {
            await book.AddRowAsync([new Cell(line, s.Title)], ct);
        }

        await book.AddRowAsync(header.Select(h => new Cell(h, s.Header)).ToArray(), ct);
    }

    private static string Unique(HashSet<string> names, string wanted)
    {
        string clean = Xlsx.SheetName(wanted);
        string name = clean;
        for (int i = 2; !names.Add(name); i++)
        {
            string suffix = $" ({i})";
            name = (clean.Length + suffix.Length > 31 ? clean[..(31 - suffix.Length)] : clean) + suffix;
        }

        return name;
    }
}
