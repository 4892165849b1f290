using System.IO.Compression;
using System.Text;

namespace EmissionMonitor.Reports.Documents;

/// <summary>
/// Makes a workbook print as a bureau files it: every sheet on A4 landscape, one page wide, with its
/// heading and header rows repeated on every page (print titles). SpreadCheetah writes no page setup,
/// so the finished workbook is copied entry by entry and the page setup added to each sheet's XML and
/// the print titles to the workbook's defined names. Each sheet of a document is one outlet's or one
/// table's (a document is bounded by <c>Api:MaxDocumentOutlets</c>), so an entry is read whole.
/// </summary>
public static class PrintLayout
{
    private const string PageSetup =
        "<pageMargins left=\"0.4\" right=\"0.4\" top=\"0.6\" bottom=\"0.6\" header=\"0.3\" footer=\"0.3\"/>"
        + "<pageSetup paperSize=\"9\" orientation=\"landscape\" fitToWidth=\"1\" fitToHeight=\"0\"/>";

    /// <summary>Copies the workbook at <paramref name="source"/> to <paramref name="output"/> with the page setup; <paramref name="titleRows"/> rows repeat on every page.</summary>
    public static async Task CopyAsync(Stream source, Stream output, int titleRows, CancellationToken ct)
    {
        using var input = new ZipArchive(source, ZipArchiveMode.Read, leaveOpen: true);
        var sheetNames = new List<string>();
        using var result = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var entry in input.Entries)
        {
            ct.ThrowIfCancellationRequested();
            var copy = result.CreateEntry(entry.FullName, CompressionLevel.Optimal);
            await using var from = entry.Open();
            await using var to = copy.Open();
            bool sheet = entry.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal) && entry.FullName.EndsWith(".xml", StringComparison.Ordinal);
            if (!sheet && entry.FullName != "xl/workbook.xml")
            {
                await from.CopyToAsync(to, ct);
                continue;
            }

            using var reader = new StreamReader(from, Encoding.UTF8);
            string xml = await reader.ReadToEndAsync(ct);
            xml = sheet ? WithPageSetup(xml) : WithPrintTitles(xml, titleRows);
            await to.WriteAsync(Encoding.UTF8.GetBytes(xml), ct);
        }
    }

    /// <summary>A sheet's XML with fit-to-page and the A4 landscape setup in their places of the schema's order.</summary>
    public static string WithPageSetup(string xml)
    {
        int start = xml.IndexOf("<worksheet", StringComparison.Ordinal);
        int open = xml.IndexOf('>', start) + 1;
        if (!xml.Contains("<sheetPr", StringComparison.Ordinal))
        {
            xml = xml.Insert(open, "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>");
        }

        int at = new[] { "<headerFooter", "<rowBreaks", "<drawing", "<legacyDrawing", "<tableParts", "<extLst", "</worksheet>" }
            .Select(tag => xml.IndexOf(tag, StringComparison.Ordinal)).Where(i => i >= 0).Min();
        return xml.Insert(at, PageSetup);
    }

    /// <summary>The workbook's XML with every sheet's first <paramref name="rows"/> rows as its print titles.</summary>
    public static string WithPrintTitles(string xml, int rows)
    {
        var names = System.Text.RegularExpressions.Regex.Matches(xml, "<sheet [^>]*name=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        var titles = string.Concat(names.Select((name, i) =>
            $"<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{i}\">'{name.Replace("'", "''", StringComparison.Ordinal)}'!$1:${rows}</definedName>"));
        int existing = xml.IndexOf("<definedNames>", StringComparison.Ordinal);
        return existing >= 0
            ? xml.Insert(existing + "<definedNames>".Length, titles)
            : xml.Insert(xml.IndexOf("</sheets>", StringComparison.Ordinal) + "</sheets>".Length, $"<definedNames>{titles}</definedNames>");
    }
}
