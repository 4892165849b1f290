using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EmissionMonitor.Reports;

/// <summary>Writes a <see cref="ReportTable"/> as JSON (an array of objects), CSV (RFC 4180) or an aligned text table.</summary>
public static partial class ReportFormats
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

    /// <summary>
    /// A table's rows formatted on their own, to be written with others as one answer
    /// (<see cref="WriteJsonPartsAsync"/>, <see cref="WriteCsvPartsAsync"/>): the parts of a large
    /// report are formatted on several threads and written in order. Its bytes are pooled: written
    /// once, then disposed.
    /// </summary>
    public sealed class Part(IReadOnlyList<string> columns, PooledStream bytes, int skip) : IDisposable
    {
        public IReadOnlyList<string> Columns => columns;

        /// <summary>How many bytes the part holds.</summary>
        public long Length => bytes.Length - skip;

        public void WriteTo(Stream output) => bytes.WriteTo(output, skip);

        public void Dispose() => bytes.Dispose();
    }

    /// <summary>The JSON of a table's rows as a part of one array: its objects as <see cref="WriteJson"/> writes them, without the brackets.</summary>
    public static Part JsonPart(ReportTable table)
    {
        var bytes = new PooledStream();
        if (table.Rows.Count == 0)
        {
            return new Part(table.Columns, bytes, 0);
        }

        using (var w = new Utf8JsonWriter((System.Buffers.IBufferWriter<byte>)bytes, JsonOptions))
        {
            w.WriteStartArray(); // "[" and the array's end are the writer's (WriteJsonPartsAsync): not written to the part
            WriteJsonRows(w, table);
        }

        return new Part(table.Columns, bytes, 1);
    }

    /// <summary>One JSON array of the parts' rows as they arrive, the same bytes as <see cref="WriteJson"/> of all their rows.</summary>
    public static async Task WriteJsonPartsAsync(IAsyncEnumerable<Part> parts, Stream output)
    {
        bool first = true;
        output.Write("["u8);
        await foreach (var part in parts)
        {
            using (part)
            {
                if (part.Length == 0)
                {
                    continue;
                }

                if (!first)
                {
                    output.WriteByte((byte)',');
                }

                part.WriteTo(output);
                first = false;
            }
        }

        output.Write(Encoding.UTF8.GetBytes(first ? "]\n" : JsonOptions.NewLine + "]\n"));
    }

    /// <summary>The CSV rows of a table, without the header, as UTF-8.</summary>
    public static Part CsvPart(ReportTable table)
    {
        var bytes = new PooledStream();
        using (var text = new StreamWriter(bytes, new UTF8Encoding(false), 1 << 14, leaveOpen: true))
        {
            WriteCsvRows(table, text);
        }

        return new Part(table.Columns, bytes, 0);
    }

    /// <summary>One CSV of the parts' rows as they arrive, the header from the first part's columns.</summary>
    public static async Task WriteCsvPartsAsync(IAsyncEnumerable<Part> parts, Stream output)
    {
        bool header = true;
        await foreach (var part in parts)
        {
            using (part)
            {
                if (header)
                {
                    using var line = new StringWriter(CultureInfo.InvariantCulture);
                    WriteCsvHeader(part.Columns, line);
                    output.Write(Encoding.UTF8.GetBytes(line.ToString()));
                    header = false;
                }

                part.WriteTo(output);
            }
        }
    }

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    private static Utf8JsonWriter JsonWriter(Stream output) => new(output, JsonOptions);

    /// <summary>
    /// The rows as the array's items, each object on one line of its own (compact within the line):
    /// a script parses the same JSON, a person reads or greps a row a line, and a province's episodes
    /// are a fifth fewer bytes than with every property on a line. Each row is written compact into
    /// a reused buffer, led by its line break, and then set into the array as one value.
    /// </summary>
    private static void WriteJsonRows(Utf8JsonWriter w, ReportTable table)
    {
        var names = table.Columns.Select(c => JsonEncodedText.Encode(c, JavaScriptEncoder.UnsafeRelaxedJsonEscaping)).ToArray(); // encoded once per table, not per row
        // The strings rows repeat from the row before (outlet, enterprise, city, pollutant, kinds: the
        // same instances) written from their JSON form kept per column, not converted and escaped again.
        var last = new string?[names.Length];
        var lastJson = new JsonEncodedText[names.Length];
        var line = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using var row = new Utf8JsonWriter(line, RowOptions);
        foreach (var values in table.Rows)
        {
            line.ResetWrittenCount();
            System.Buffers.BuffersExtensions.Write(line, "\n"u8); // whitespace before the value: the array's comma comes first, then the row's line
            row.Reset(line);
            row.WriteStartObject();
            for (int i = 0; i < names.Length; i++)
            {
                row.WritePropertyName(names[i]);
                if (values[i] is string text && (ReferenceEquals(text, last[i]) || text.Length <= 64))
                {
                    if (!ReferenceEquals(text, last[i]))
                    {
                        (last[i], lastJson[i]) = (text, JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping));
                    }

                    row.WriteStringValue(lastJson[i]);
                }
                else
                {
                    WriteJsonValue(row, values[i]);
                }
            }

            row.WriteEndObject();
            row.Flush();
            w.WriteRawValue(line.WrittenSpan, skipInputValidation: true); // made by a writer: valid JSON
            if (w.BytesPending > 1 << 16)
            {
                w.Flush(); // stream out: a report of many rows is never held whole in memory as JSON
            }
        }
    }

    /// <summary>A row's writer: compact, the same escaping as the array's.</summary>
    private static readonly JsonWriterOptions RowOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    private static void WriteJsonValue(Utf8JsonWriter w, object? v)
    {
        switch (v)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case int i: w.WriteNumberValue(i); break;
            case long l: w.WriteNumberValue(l); break;
            case double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 && (d != 0 || !double.IsNegative(d)):
                w.WriteNumberValue((long)d); // the same digits as the double's, without its shortest-form search (limits are mostly whole)
                break;
            case double d: w.WriteNumberValue(d); break;
            case DateTimeOffset t:
                Span<byte> text = stackalloc byte[InstantLength];
                w.WriteStringValue(text[..FormatInstant(t, text)]);
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
        int or long => Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty,
        DateTimeOffset t => csv ? InstantText(t) : t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        string s => csv ? Neutralised(s) : s,
        IEnumerable<string> list => csv ? Neutralised(string.Join("; ", list)) : string.Join("; ", list),
        JsonElement e => csv ? Neutralised(e.GetRawText()) : e.GetRawText(),
        _ => csv ? Neutralised(Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty) : Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>
    /// A text cell as a spreadsheet must not run it: one that begins with <c>= + - @</c>, a TAB or a
    /// CR (a formula, or a DDE call such as <c>=cmd|' /C calc'!A0</c>) gets a leading <c>'</c>, so
    /// Excel and WPS show it as text. Comments, names and answers come from users and terminals.
    /// Numbers are written as numbers and never pass here.
    /// </summary>
    public static string Neutralised(string s) =>
        s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + s : s;

    /// <summary>The longest instant of <see cref="TimeFormat"/>: a four-digit year, an offset of ±hh:mm.</summary>
    private const int InstantLength = 25;

    /// <summary>
    /// An instant as <see cref="TimeFormat"/> gives it, in ASCII: the date and time in the runtime's
    /// sortable standard form (its fast path; the custom pattern is read anew for every value), then
    /// the offset. A province's exceedances write two per row.
    /// </summary>
    private static int FormatInstant(DateTimeOffset t, Span<byte> into)
    {
        t.DateTime.TryFormat(into, out int n, "s", CultureInfo.InvariantCulture); // yyyy-MM-ddTHH:mm:ss
        int minutes = (int)(t.Offset.Ticks / TimeSpan.TicksPerMinute);
        into[n] = minutes < 0 ? (byte)'-' : (byte)'+';
        minutes = Math.Abs(minutes);
        (into[n + 1], into[n + 2], into[n + 3], into[n + 4], into[n + 5]) =
            ((byte)('0' + minutes / 600), (byte)('0' + minutes / 60 % 10), (byte)':', (byte)('0' + minutes % 60 / 10), (byte)('0' + minutes % 10));
        return n + 6;
    }

    private static string InstantText(DateTimeOffset t)
    {
        Span<byte> text = stackalloc byte[InstantLength];
        return Encoding.ASCII.GetString(text[..FormatInstant(t, text)]);
    }

    private static string Quote(string s) =>
        s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
