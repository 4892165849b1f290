using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;

namespace EmissionMonitor.Reports;

/// <summary>
/// A report table as an Office Open XML workbook (.xlsx) of one sheet: a header row (the column keys,
/// or the names given), then the rows — numbers as numbers, times and dates as date cells (local wall
/// time, shown <c>yyyy-mm-dd hh:mm</c> or <c>yyyy-mm-dd</c>), everything else as an inline string
/// (XML-escaped, control characters dropped) — so Excel and WPS open it without a conversion step
/// and sort and sum its cells as what they are.
/// </summary>
public static partial class Xlsx
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static byte[] Write(ReportTable table, string sheetName, IReadOnlyList<string>? headers = null)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Entry(zip, "[Content_Types].xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
                """);
            Entry(zip, "_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
                """);
            Entry(zip, "xl/workbook.xml", $"""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{Escape(SheetName(sheetName))}" sheetId="1" r:id="rId1"/></sheets></workbook>
                """);
            Entry(zip, "xl/_rels/workbook.xml.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
                """);
            // Style 1: a date and time, style 2: a date (the built-in formats Excel and WPS know).
            Entry(zip, "xl/styles.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>
                """);
            var sheet = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
            Row(sheet, 1, (headers ?? table.Columns).Cast<object?>().ToArray(), header: true);
            for (int i = 0; i < table.Rows.Count; i++)
            {
                Row(sheet, i + 2, table.Rows[i]);
            }

            sheet.Append("</sheetData></worksheet>");
            Entry(zip, "xl/worksheets/sheet1.xml", sheet.ToString());
        }

        return buffer.ToArray();
    }

    private static readonly DateTime Epoch = new(1899, 12, 30);

    private static void Row(StringBuilder sheet, int number, IReadOnlyList<object?> values, bool header = false)
    {
        sheet.Append(CultureInfo.InvariantCulture, $"<row r=\"{number}\">");
        foreach (var v in values)
        {
            switch (v)
            {
                case null:
                    sheet.Append("<c/>");
                    break;
                case double or int or long or decimal or float when Convert.ToDouble(v, CultureInfo.InvariantCulture) is var d && double.IsFinite(d):
                    sheet.Append("<c><v>").Append(d.ToString("R", CultureInfo.InvariantCulture)).Append("</v></c>");
                    break;
                case DateTimeOffset t:
                    Date(sheet, t.DateTime, 1);
                    break;
                case DateTime t:
                    Date(sheet, t, 1);
                    break;
                case string local when !header && LocalTime().Match(local) is { Success: true } m
                    && DateTime.TryParse(m.Groups["wall"].Value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall):
                    Date(sheet, wall, m.Groups["time"].Success ? 1 : 2);
                    break;
                default:
                    string text = v is IEnumerable<string> list ? string.Join("; ", list) : Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty;
                    sheet.Append("<c t=\"inlineStr\"><is><t xml:space=\"preserve\">").Append(Escape(text)).Append("</t></is></c>");
                    break;
            }
        }

        sheet.Append("</row>");
    }

    /// <summary>A date cell: the wall time as days since 1899-12-30 (Excel's serial), in the style given.</summary>
    private static void Date(StringBuilder sheet, DateTime wall, int style) =>
        sheet.Append(CultureInfo.InvariantCulture, $"<c s=\"{style}\"><v>{(wall - Epoch).TotalDays.ToString("R", CultureInfo.InvariantCulture)}</v></c>");

    /// <summary>An ISO local date or time as the reports write them (the offset, if any, is the local one and left out).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<wall>\d{4}-\d{2}-\d{2}(?<time>T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?)([+-]\d{2}:\d{2})?$")]
    private static partial System.Text.RegularExpressions.Regex LocalTime();

    /// <summary>XML text: escaped, without the control characters XML cannot carry.</summary>
    private static string Escape(string text) =>
        SecurityElement.Escape(string.Concat(text.Where(c => c is '\t' or '\n' or '\r' || !char.IsControl(c))))!;

    /// <summary>A sheet name Excel accepts: at most 31 characters, none of []:*?/\.</summary>
    private static string SheetName(string name)
    {
        var clean = new string(name.Where(c => "[]:*?/\\".IndexOf(c, StringComparison.Ordinal) < 0).ToArray());
        return clean.Length == 0 ? "Sheet1" : clean.Length > 31 ? clean[..31] : clean;
    }

    private static void Entry(ZipArchive zip, string name, string content)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        var bytes = new UTF8Encoding(false).GetBytes(content);
        stream.Write(bytes);
    }
}
