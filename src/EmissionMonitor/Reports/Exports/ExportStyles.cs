using System.Globalization;
using SpreadCheetah;
using SpreadCheetah.Styling;

namespace EmissionMonitor.Reports.Exports;

/// <summary>
/// A people's workbook (downloads and report documents alike): its options, the heading and header
/// styles, one number-format style per <see cref="CellFormat"/>, and a value as a cell of its format.
/// </summary>
internal sealed class ExportStyles
{
    private readonly Dictionary<CellFormat, StyleId> _formats = [];

    public ExportStyles(Spreadsheet book)
    {
        Title = book.AddStyle(new Style { Font = { Bold = true, Size = 14 } });
        Header = book.AddStyle(new Style { Font = { Bold = true }, Fill = { Color = System.Drawing.Color.FromArgb(0xDD, 0xE6, 0xF0) } });
        Bold = book.AddStyle(new Style { Font = { Bold = true } });
        foreach (var format in Enum.GetValues<CellFormat>())
        {
            if (NumberFormatOf(format) is { } code)
            {
                _formats[format] = book.AddStyle(new Style { Format = NumberFormat.Custom(code) });
            }
        }
    }

    /// <summary>A new workbook on <paramref name="output"/>: compressed, times shown to the minute.</summary>
    public static ValueTask<Spreadsheet> CreateBookAsync(Stream output, CancellationToken ct) => Spreadsheet.CreateNewAsync(output, new SpreadCheetahOptions
    {
        CompressionLevel = SpreadCheetahCompressionLevel.Optimal, DefaultDateTimeFormat = NumberFormat.Custom("yyyy-mm-dd hh:mm"),
    }, ct);

    public StyleId Title { get; }

    public StyleId Header { get; }

    public StyleId Bold { get; }

    /// <summary>The style of a format (null for text: no number format).</summary>
    public StyleId? For(CellFormat format) => _formats.TryGetValue(format, out var style) ? style : null;

    /// <summary>The style of a number format.</summary>
    public StyleId this[CellFormat format] => _formats[format];

    /// <summary>A value as a cell: numbers and times in <paramref name="style"/>, text as an inline string (never a formula).</summary>
    public static Cell CellOf(object? v, StyleId? style) => v switch
    {
        null => default,
        double d when double.IsFinite(d) => style is { } s ? new Cell(d, s) : new Cell(d),
        DateTime t => style is { } s ? new Cell(t, s) : new Cell(t),
        string s => new Cell(Xlsx.Clean(s)),
        var other => new Cell(Xlsx.Clean(Convert.ToString(other, CultureInfo.InvariantCulture) ?? string.Empty)),
    };

    private static string? NumberFormatOf(CellFormat format) => format switch
    {
        CellFormat.Integer => "0",
        CellFormat.Decimal1 => "0.0",
        CellFormat.Decimal2 => "0.00",
        CellFormat.Kilograms => "#,##0.000",
        CellFormat.Percent => "0.0%",
        CellFormat.Date => "yyyy-mm-dd",
        CellFormat.DateTime => "yyyy-mm-dd hh:mm",
        _ => null,
    };
}
