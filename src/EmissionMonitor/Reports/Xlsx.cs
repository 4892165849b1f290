using System.Globalization;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace EmissionMonitor.Reports;

/// <summary>
/// A report table as an Office Open XML workbook (.xlsx) of one sheet, written as it is read
/// (SpreadCheetah: rows go to the output stream as they come, the workbook is never whole in memory):
/// a header row (the column keys, or the names given), frozen and with an autofilter, column widths
/// from the header and the first rows, then the rows — numbers as numbers, times and dates as date
/// cells (local wall time, shown <c>yyyy-mm-dd hh:mm</c> or <c>yyyy-mm-dd</c>), everything else as
/// an inline string (never a formula) — so Excel and WPS open it without a conversion step and sort
/// and sum its cells as what they are.
/// </summary>
public static partial class Xlsx
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Rows whose text sets the column widths (the first ones; later rows do not widen a column).</summary>
    private const int WidthSample = 200;

    /// <summary>The whole workbook in memory: for small tables only (tests, a publication).</summary>
    public static byte[] Write(ReportTable table, string sheetName, IReadOnlyList<string>? headers = null)
    {
        using var buffer = new MemoryStream();
        WriteAsync(buffer, table.AsParts(), sheetName, headers is null ? null : _ => headers, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return buffer.ToArray();
    }

    /// <summary>
    /// The workbook of <paramref name="parts"/> (tables of the same columns, as a report streams them)
    /// onto <paramref name="output"/>; <paramref name="names"/> names the first part's columns in the
    /// header row (the keys otherwise).
    /// </summary>
    public static async ValueTask WriteAsync(Stream output, IAsyncEnumerable<ReportTable> parts, string sheetName,
        Func<IReadOnlyList<string>, IReadOnlyList<string>?>? names, CancellationToken ct)
    {
        await using var book = await Spreadsheet.CreateNewAsync(output, new SpreadCheetahOptions
        {
            DefaultDateTimeFormat = NumberFormat.Custom("yyyy-mm-dd hh:mm"),
            CompressionLevel = SpreadCheetahCompressionLevel.Optimal,
        }, ct);
        var date = book.AddStyle(new Style { Format = NumberFormat.Custom("yyyy-mm-dd") });
        var bold = book.AddStyle(new Style { Font = { Bold = true } });
        bool started = false;
        await foreach (var table in parts.WithCancellation(ct))
        {
            if (!started)
            {
                var header = names?.Invoke(table.Columns) ?? table.Columns;
                await book.StartWorksheetAsync(SheetName(sheetName), Options(header, table), ct);
                await book.AddRowAsync(header.Select(n => new Cell(n, bold)).ToArray(), ct);
                started = true;
            }

            var row = new Cell[table.Columns.Count];
            foreach (var values in table.Rows)
            {
                for (int i = 0; i < row.Length; i++)
                {
                    row[i] = CellOf(values[i], date);
                }

                await book.AddRowAsync(row, ct);
            }
        }

        if (!started)
        {
            await book.StartWorksheetAsync(SheetName(sheetName), new WorksheetOptions(), ct);
        }

        await book.FinishAsync(ct);
    }


    private static WorksheetOptions Options(IReadOnlyList<string> names, ReportTable sample)
    {
        var options = new WorksheetOptions { FrozenRows = 1 };
        for (int i = 0; i < names.Count; i++)
        {
            int width = ReportFormats.DisplayWidth(names[i]);
            foreach (var row in sample.Rows.Take(WidthSample))
            {
                width = Math.Max(width, row[i] switch
                {
                    null => 0,
                    DateTimeOffset or DateTime => 16,
                    double d => d.ToString("0.###", CultureInfo.InvariantCulture).Length,
                    string s when LocalTime().IsMatch(s) => s.Length > 10 ? 16 : 10,
                    var v => ReportFormats.DisplayWidth(Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty),
                });
            }

            options.Column(i + 1).Width = Math.Clamp(width + 2, 6, 60);
        }

        if (names.Count > 0)
        {
            options.AutoFilter = new AutoFilterOptions($"A1:{ColumnLetters(names.Count)}1");
        }

        return options;
    }

    /// <summary>A column's letters (1 → A, 27 → AA).</summary>
    internal static string ColumnLetters(int n)
    {
        string letters = string.Empty;
        for (; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + ((n - 1) % 26)) + letters;
        }

        return letters;
    }

    private static Cell CellOf(object? v, StyleId date) => v switch
    {
        null => default,
        double d when double.IsFinite(d) => new Cell(d),
        int i => new Cell(i),
        long l => new Cell(l),
        decimal m => new Cell(m),
        float f when float.IsFinite(f) => new Cell(f),
        bool b => new Cell(b),
        DateTimeOffset t => new Cell(t.DateTime),
        DateTime t => new Cell(t),
        string local when LocalTime().Match(local) is { Success: true } m
            && DateTime.TryParse(m.Groups["wall"].Value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall) =>
            m.Groups["time"].Success ? new Cell(wall) : new Cell(wall, date),
        IEnumerable<string> list => new Cell(Clean(string.Join("; ", list))),
        _ => new Cell(Clean(Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty)),
    };

    /// <summary>Text without the control characters XML cannot carry.</summary>
    internal static string Clean(string text) =>
        text.AsSpan().IndexOfAnyInRange('\0', '\u001f') < 0 ? text : string.Concat(text.Where(c => c is '\t' or '\n' or '\r' || !char.IsControl(c)));

    /// <summary>An ISO local date or time as the reports write them (the offset, if any, is the local one and left out).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<wall>\d{4}-\d{2}-\d{2}(?<time>T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?)([+-]\d{2}:\d{2})?$")]
    private static partial System.Text.RegularExpressions.Regex LocalTime();

    /// <summary>A sheet name Excel accepts: at most 31 characters, none of []:*?/\.</summary>
    internal static string SheetName(string name)
    {
        var clean = new string(name.Where(c => "[]:*?/\\'".IndexOf(c, StringComparison.Ordinal) < 0).ToArray());
        return clean.Length == 0 ? "Sheet1" : clean.Length > 31 ? clean[..31] : clean;
    }
}
