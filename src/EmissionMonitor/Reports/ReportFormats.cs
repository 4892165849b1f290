using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EmissionMonitor.Reports;

/// <summary>Writes a <see cref="ReportTable"/> as JSON (an array of objects), CSV (RFC 4180) or an aligned text table.</summary>
public static class ReportFormats
{
    public static string TimeFormat => "yyyy-MM-ddTHH:mm:sszzz";

    /// <summary>An instant as the API writes it: in <paramref name="zone"/>'s local time with its offset.</summary>
    public static string Instant(DateTimeOffset t, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(t, zone).ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>As <see cref="Instant(DateTimeOffset, TimeZoneInfo)"/>; null for none.</summary>
    public static string? Instant(DateTimeOffset? t, TimeZoneInfo zone) => t is { } v ? Instant(v, zone) : null;

    public static void WriteJson(ReportTable table, Stream output)
    {
        using var w = JsonWriter(output);
        w.WriteStartArray();
        WriteJsonRows(w, table);
        w.WriteEndArray();
        w.Flush();
        output.WriteByte((byte)'\n');
    }

    /// <summary>One JSON array of the rows of <paramref name="tables"/> as they arrive (a report too large to hold whole).</summary>
    public static async Task WriteJsonAsync(IAsyncEnumerable<ReportTable> tables, Stream output)
    {
        using var w = JsonWriter(output);
        w.WriteStartArray();
        await foreach (var table in tables)
        {
            WriteJsonRows(w, table);
        }

        w.WriteEndArray();
        w.Flush();
        output.WriteByte((byte)'\n');
    }

    /// <summary>One CSV of the rows of <paramref name="tables"/> as they arrive, the header from the first.</summary>
    public static async Task WriteCsvAsync(IAsyncEnumerable<ReportTable> tables, TextWriter output)
    {
        bool header = true;
        await foreach (var table in tables)
        {
            if (header)
            {
                WriteCsvHeader(table, output);
                header = false;
            }

            WriteCsvRows(table, output);
        }
    }

    private static Utf8JsonWriter JsonWriter(Stream output) =>
        new(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true });

    private static void WriteJsonRows(Utf8JsonWriter w, ReportTable table)
    {
        var names = table.Columns.Select(c => JsonEncodedText.Encode(c, JavaScriptEncoder.UnsafeRelaxedJsonEscaping)).ToArray(); // encoded once per table, not per row
        foreach (var row in table.Rows)
        {
            w.WriteStartObject();
            for (int i = 0; i < names.Length; i++)
            {
                w.WritePropertyName(names[i]);
                WriteJsonValue(w, row[i]);
            }

            w.WriteEndObject();
            if (w.BytesPending > 1 << 16)
            {
                w.Flush(); // stream out: a report of many rows is never held whole in memory as JSON
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
        WriteCsvHeader(table, output);
        WriteCsvRows(table, output);
    }

    private static void WriteCsvHeader(ReportTable table, TextWriter output)
    {
        output.Write(string.Join(",", table.Columns.Select(Quote)));
        output.Write("\r\n");
    }

    private static void WriteCsvRows(ReportTable table, TextWriter output)
    {
        foreach (var row in table.Rows)
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
    }

    public static string Table(ReportTable table)
    {
        var cells = new List<string[]> { table.Columns.ToArray() };
        cells.AddRange(table.Rows.Select(r => r.Select(v => Text(v, csv: false)).ToArray()));
        var widths = Enumerable.Range(0, table.Columns.Count).Select(i => cells.Max(c => DisplayWidth(c[i]))).ToArray();
        var sb = new StringBuilder();
        foreach (var (row, index) in cells.Select((c, i) => (c, i)))
        {
            for (int i = 0; i < row.Length; i++)
            {
                bool right = index > 0 && table.Rows.Count > 0 && table.Rows[0][i] is double or int or long;
                string pad = new(' ', widths[i] - DisplayWidth(row[i]));
                sb.Append(right ? pad + row[i] : row[i] + pad).Append(i < row.Length - 1 ? "  " : string.Empty);
            }

            sb.Append('\n');
            if (index == 0)
            {
                sb.Append(string.Join("  ", widths.Select(w => new string('-', w)))).Append('\n');
            }
        }

        sb.Append($"({table.Rows.Count} rows)\n");
        return sb.ToString();
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

    private static void WriteJsonValue(Utf8JsonWriter w, object? v)
    {
        switch (v)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case int i: w.WriteNumberValue(i); break;
            case long l: w.WriteNumberValue(l); break;
            case double d: w.WriteNumberValue(d); break;
            case DateTimeOffset t:
                Span<byte> text = stackalloc byte[32]; // the format's 25 bytes, formatted as UTF-8 without a string
                t.TryFormat(text, out int length, TimeFormat, CultureInfo.InvariantCulture);
                w.WriteStringValue(text[..length]);
                break;
            case IEnumerable<string> list:
                w.WriteStartArray();
                foreach (var item in list)
                {
                    w.WriteStringValue(item);
                }

                w.WriteEndArray();
                break;
            case JsonElement e: e.WriteTo(w); break;
            default: w.WriteStringValue(Convert.ToString(v, CultureInfo.InvariantCulture)); break;
        }
    }

    private static string Text(object? v, bool csv) => v switch
    {
        null => string.Empty,
        bool b => b ? "true" : "false",
        double d => csv ? d.ToString("R", CultureInfo.InvariantCulture) : d.ToString("0.####", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString(csv ? TimeFormat : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        string s => s,
        IEnumerable<string> list => string.Join("; ", list),
        JsonElement e => e.GetRawText(),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static string Quote(string s) =>
        s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
