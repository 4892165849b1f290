using System.Globalization;
using System.Text;

namespace EmissionMonitor.Reports;

/// <summary>CSV (streamed or whole) and the aligned text table of the command line.</summary>
public static partial class ReportFormats
{
    /// <summary>
    /// One CSV of the tables' rows as they arrive (the header from the first), written to
    /// <paramref name="output"/> in 64 KiB pieces: a download never holds more than a part.
    /// </summary>
    public static async Task WriteCsvAsync(IAsyncEnumerable<ReportTable> parts, Stream output, bool bom, CancellationToken ct)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        var utf8 = new UTF8Encoding(false);
        if (bom)
        {
            await output.WriteAsync(Encoding.UTF8.GetPreamble(), ct);
        }

        bool header = true;
        await foreach (var table in parts.WithCancellation(ct))
        {
            if (header)
            {
                WriteCsvHeader(table.Columns, text);
                header = false;
            }

            foreach (var row in table.Rows)
            {
                WriteCsvRow(row, text);
                if (text.GetStringBuilder().Length >= 1 << 16)
                {
                    await FlushAsync();
                }
            }
        }

        await FlushAsync();

        async Task FlushAsync()
        {
            var sb = text.GetStringBuilder();
            if (sb.Length > 0)
            {
                await output.WriteAsync(utf8.GetBytes(sb.ToString()), ct);
                sb.Clear();
            }
        }
    }

    public static string Csv(ReportTable table)
    {
        using var writer = new StringWriter();
        WriteCsv(table, writer);
        return writer.ToString();
    }

    /// <summary>The CSV form (RFC 4180) row by row onto <paramref name="output"/>.</summary>
    public static void WriteCsv(ReportTable table, TextWriter output)
    {
        WriteCsvHeader(table.Columns, output);
        WriteCsvRows(table, output);
    }

    private static void WriteCsvHeader(IReadOnlyList<string> columns, TextWriter output)
    {
        output.Write(string.Join(",", columns.Select(Quote)));
        output.Write("\r\n");
    }

    private static void WriteCsvRows(ReportTable table, TextWriter output)
    {
        foreach (var row in table.Rows)
        {
            WriteCsvRow(row, output);
        }
    }

    private static void WriteCsvRow(object?[] row, TextWriter output)
    {
        for (int i = 0; i < row.Length; i++)
        {
            if (i > 0)
            {
                output.Write(',');
            }

            output.Write(Quote(Text(row[i], csv: true)));
        }

        output.Write("\r\n");
    }

    /// <summary>The aligned text table; the registry's optional identifiers (code, permitNumber) are left out when no row has one.</summary>
    public static string Table(ReportTable table)
    {
        var layout = TextLayout.Of(table);
        var sb = new StringBuilder();
        layout.Write(table, header: true, sb);
        sb.Append($"({table.Rows.Count} rows)\n");
        return sb.ToString();
    }

    /// <summary>
    /// The aligned text table of rows that arrive in parts (a province's episodes), written as they
    /// come: the columns and their widths are set by the first part (a longer cell later pushes its
    /// line out rather than making the whole table wait), each part written then let go.
    /// </summary>
    public static async Task WriteTableAsync(IAsyncEnumerable<ReportTable> parts, Stream output, CancellationToken ct)
    {
        TextLayout? layout = null;
        long rows = 0;
        var sb = new StringBuilder();
        await foreach (var part in parts.WithCancellation(ct))
        {
            bool first = layout is null;
            layout ??= TextLayout.Of(part);
            layout.Write(part, header: first, sb);
            rows += part.Rows.Count;
            await output.WriteAsync(Encoding.UTF8.GetBytes(sb.ToString()), ct);
            sb.Clear();
        }

        await output.WriteAsync(Encoding.UTF8.GetBytes($"({rows} rows)\n"), ct);
    }

    /// <summary>The columns a text table shows and their widths, from the rows it was made of.</summary>
    private sealed class TextLayout(int[] kept, string[] headers, int[] widths, bool[] right)
    {
        public static TextLayout Of(ReportTable table)
        {
            var kept = Enumerable.Range(0, table.Columns.Count)
                .Where(i => !(table.Columns[i] is "code" or "permitNumber" && table.Rows.All(r => r[i] is null))).ToArray();
            var headers = kept.Select(i => table.Columns[i]).ToArray();
            var widths = kept.Select(i => Math.Max(DisplayWidth(table.Columns[i]), table.Rows.Count == 0 ? 0 : table.Rows.Max(r => DisplayWidth(Text(r[i], csv: false))))).ToArray();
            var right = kept.Select(i => table.Rows.Count > 0 && table.Rows[0][i] is double or int or long).ToArray();
            return new TextLayout(kept, headers, widths, right);
        }

        public void Write(ReportTable table, bool header, StringBuilder sb)
        {
            if (header)
            {
                Line(headers, alignRight: false, sb);
                sb.Append(string.Join("  ", widths.Select(w => new string('-', w)))).Append('\n');
            }

            var cells = new string[kept.Length];
            foreach (var row in table.Rows)
            {
                for (int i = 0; i < kept.Length; i++)
                {
                    cells[i] = Text(row[kept[i]], csv: false);
                }

                Line(cells, alignRight: true, sb);
            }
        }

        private void Line(string[] cells, bool alignRight, StringBuilder sb)
        {
            for (int i = 0; i < cells.Length; i++)
            {
                string pad = new(' ', Math.Max(0, widths[i] - DisplayWidth(cells[i])));
                sb.Append(alignRight && right[i] ? pad + cells[i] : cells[i] + pad).Append(i < cells.Length - 1 ? "  " : string.Empty);
            }

            sb.Append('\n');
        }
    }

    /// <summary>Terminal columns a string takes: East Asian wide and full-width characters take two.</summary>
    public static int DisplayWidth(string s)
    {
        int width = 0;
        foreach (var rune in s.EnumerateRunes())
        {
            int v = rune.Value;
            bool wide = v is >= 0x1100 and <= 0x115F or >= 0x2E80 and <= 0xA4CF or >= 0xAC00 and <= 0xD7A3
                or >= 0xF900 and <= 0xFAFF or >= 0xFE30 and <= 0xFE4F or >= 0xFF00 and <= 0xFF60 or >= 0xFFE0 and <= 0xFFE6
                or >= 0x20000 and <= 0x3FFFD;
            width += wide ? 2 : 1;
        }

        return width;
    }
}
