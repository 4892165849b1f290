using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;

namespace EmissionMonitor.Reports;

/// <summary>
/// A report table as an Office Open XML workbook (.xlsx) of one sheet: a header row, then the rows,
/// numbers as numbers and every other value as an inline string (XML-escaped, control characters
/// dropped), so Excel and WPS open it without a conversion step.
/// </summary>
public static class Xlsx
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static byte[] Write(ReportTable table, string sheetName)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Entry(zip, "[Content_Types].xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>
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
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>
                """);
            var sheet = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
            Row(sheet, 1, table.Columns.Cast<object?>().ToArray());
            for (int i = 0; i < table.Rows.Count; i++)
            {
                Row(sheet, i + 2, table.Rows[i]);
            }

            sheet.Append("</sheetData></worksheet>");
            Entry(zip, "xl/worksheets/sheet1.xml", sheet.ToString());
        }

        return buffer.ToArray();
    }

    private static void Row(StringBuilder sheet, int number, IReadOnlyList<object?> values)
    {
        sheet.Append(CultureInfo.InvariantCulture, $"<row r=\"{number}\">");
        foreach (var v in values)
        {
            switch (v)
            {
                case null:
                    sheet.Append("<c/>");
                    break;
                case double or int or long when Convert.ToDouble(v, CultureInfo.InvariantCulture) is var d && double.IsFinite(d):
                    sheet.Append("<c><v>").Append(d.ToString("R", CultureInfo.InvariantCulture)).Append("</v></c>");
                    break;
                default:
                    string text = v is IEnumerable<string> list ? string.Join("; ", list) : Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty;
                    sheet.Append("<c t=\"inlineStr\"><is><t xml:space=\"preserve\">").Append(Escape(text)).Append("</t></is></c>");
                    break;
            }
        }

        sheet.Append("</row>");
    }

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
