using System.Globalization;
using System.Text;

namespace EmissionMonitor.Storage.Influx;

/// <summary>InfluxDB line protocol: escaping of measurements, tags and fields, and nanosecond timestamps.</summary>
public static class LineProtocol
{
    /// <summary>Appends one point; null fields are left out; a point without fields is not written.</summary>
    public static void Append(StringBuilder sb, string measurement, IEnumerable<(string Key, string? Value)> tags,
        IEnumerable<(string Key, object? Value)> fields, long unixNanoseconds)
    {
        var fieldText = string.Join(",", fields.Where(f => f.Value is not null).Select(f => Escape(f.Key, KeyChars) + "=" + FieldValue(f.Value!)));
        if (fieldText.Length == 0)
        {
            return;
        }

        sb.Append(Escape(measurement, MeasurementChars));
        foreach (var (key, value) in tags.Where(t => !string.IsNullOrEmpty(t.Value)).OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            sb.Append(',').Append(Escape(key, KeyChars)).Append('=').Append(Escape(value!, KeyChars));
        }

        sb.Append(' ').Append(fieldText).Append(' ').Append(unixNanoseconds.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    /// <summary>Nanoseconds since the Unix epoch of an instant.</summary>
    public static long Nanoseconds(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    private const string MeasurementChars = ", ";
    private const string KeyChars = ",= ";

    private static string Escape(string s, string chars)
    {
        if (s.AsSpan().IndexOfAny(chars + "\\\n") < 0)
        {
            return s;
        }

        var sb = new StringBuilder(s.Length + 4);
        foreach (char c in s)
        {
            if (c == '\n')
            {
                sb.Append("\\n");
                continue;
            }

            if (chars.Contains(c, StringComparison.Ordinal) || c == '\\')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static string FieldValue(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "i",
        int i => i.ToString(CultureInfo.InvariantCulture) + "i",
        bool b => b ? "true" : "false",
        string s => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"",
        _ => throw new ArgumentException($"unsupported field type {value.GetType()}"),
    };
}
