using System.Globalization;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace EmissionMonitor.Reports.Exports;

/// <summary>
/// Writes a report's parts as a file people hand on (<see cref="ExportView"/>): a workbook with the
/// heading lines, a frozen header row with an autofilter, column widths, number formats (0.00,
/// #,##0.000, 0.0%, dates) — or CSV with the same columns, headers and words. Rows are written as
/// the parts come: the table is never whole in memory.
/// </summary>
public static class PeopleExport
{
    /// <summary>Rows of the first part whose text sets the column widths.</summary>
    private const int WidthSample = 200;

    public static async ValueTask WriteXlsxAsync(Stream output, IAsyncEnumerable<ReportTable> parts, ExportHeading heading, string lang, Registry.StationRegistry? registry,
        CancellationToken ct)
    {
        await using var book = await ExportStyles.CreateBookAsync(output, ct);
        var styles = new ExportStyles(book);
        var (title, header) = (styles.Title, styles.Header);
        var lines = heading.Lines(lang);
        ExportView? view = null;
        Cell[] row = [];
        await foreach (var table in parts.WithCancellation(ct))
        {
            if (view is null)
            {
                view = ExportView.For(table.Columns, lang, registry, table.Rows);
                await book.StartWorksheetAsync(Xlsx.SheetName(heading.Title), Options(view, table, lines.Count), ct);
                foreach (string line in lines)
                {
                    await book.AddRowAsync([new Cell(line, title)], ct);
                }

                await book.AddRowAsync(view.Columns.Select(c => new Cell(c.Header, header)).ToArray(), ct);
                row = new Cell[view.Columns.Count];
            }

            foreach (var raw in table.Rows)
            {
                var values = view.Row(raw);
                for (int i = 0; i < row.Length; i++)
                {
                    row[i] = ExportStyles.CellOf(values[i], styles.For(view.Columns[i].Format));
                }

                await book.AddRowAsync(row, ct);
            }
        }

        if (view is null)
        {
            await book.StartWorksheetAsync(Xlsx.SheetName(heading.Title), new WorksheetOptions(), ct);
            foreach (string line in lines)
            {
                await book.AddRowAsync([new Cell(line, title)], ct);
            }
        }

        await book.FinishAsync(ct);
    }

    public static async Task WriteCsvAsync(Stream output, IAsyncEnumerable<ReportTable> parts, string lang, Registry.StationRegistry? registry, CancellationToken ct)
    {
        ExportView? view = null;
        await ReportFormats.WriteCsvAsync(Converted(), output, bom: true, ct);

        async IAsyncEnumerable<ReportTable> Converted()
        {
            await foreach (var table in parts.WithCancellation(ct))
            {
                view ??= ExportView.For(table.Columns, lang, registry, table.Rows);
                var formats = view.Columns.Select(c => c.Format).ToArray();
                yield return new ReportTable(view.Columns.Select(c => c.Header).ToList(), new Rows(table.Rows, r => Texts(view.Row(r), formats)));
            }
        }
    }

    /// <summary>A whole table as people read it (the command line's <c>--format table</c>): headers, names and words in the language, numbers in their format.</summary>
    public static ReportTable People(ReportTable raw, string lang, Registry.StationRegistry? registry)
    {
        var view = ExportView.For(raw.Columns, lang, registry, raw.Rows);
        var formats = view.Columns.Select(c => c.Format).ToArray();
        return new ReportTable(view.Columns.Select(c => c.Header).ToList(), raw.Rows.Select(r => Texts(view.Row(r), formats)).ToList());
    }

    /// <summary>A row's cells as CSV text: numbers in their format, dates as local text.</summary>
    private static object?[] Texts(object?[] values, CellFormat[] formats)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (values[i], formats[i]) switch
            {
                (double d, CellFormat.Percent) => (d * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%",
                (double d, CellFormat.Integer) => d.ToString("0", CultureInfo.InvariantCulture),
                (double d, CellFormat.Decimal1) => d.ToString("0.0", CultureInfo.InvariantCulture),
                (double d, CellFormat.Decimal2) => d.ToString("0.00", CultureInfo.InvariantCulture),
                (double d, CellFormat.Kilograms) => d.ToString("0.000", CultureInfo.InvariantCulture),
                (DateTime t, CellFormat.Date) => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                (DateTime t, _) => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                var (v, _) => v,
            };
        }

        return values;
    }

    private static WorksheetOptions Options(ExportView view, ReportTable sample, int headingRows)
    {
        var options = new WorksheetOptions { FrozenRows = headingRows + 1 };
        var rows = sample.Rows.Take(WidthSample).Select(view.Row).ToList();
        for (int i = 0; i < view.Columns.Count; i++)
        {
            var column = view.Columns[i];
            int width = ReportFormats.DisplayWidth(column.Header);
            width = Math.Max(width, column.Format switch
            {
                CellFormat.DateTime => 16,
                CellFormat.Date => 10,
                CellFormat.Percent => 7,
                CellFormat.Kilograms => 14,
                _ => rows.Select(r => r[i] is { } v ? ReportFormats.DisplayWidth(Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty) : 0).DefaultIfEmpty(0).Max(),
            });
            options.Column(i + 1).Width = Math.Clamp(width + 2, 6, 60);
        }

        int header = headingRows + 1;
        options.AutoFilter = new AutoFilterOptions($"A{header}:{Xlsx.ColumnLetters(view.Columns.Count)}{header}");
        return options;
    }

    /// <summary>Rows converted as they are read (a part's rows are never copied into a second list).</summary>
    private sealed class Rows(IReadOnlyList<object?[]> raw, Func<object?[], object?[]> convert) : IReadOnlyList<object?[]>
    {
        public object?[] this[int index] => convert(raw[index]);

        public int Count => raw.Count;

        public IEnumerator<object?[]> GetEnumerator() => raw.Select(convert).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
