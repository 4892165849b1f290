using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using EmissionMonitor.Hj212;
using EmissionMonitor.Hj212.Packets;

namespace EmissionMonitor.Cli;

/// <summary>The JSON line of one frame, exactly as DESIGN.md's <c>decode</c> contract says.</summary>
public static class DecodeJson
{
    /// <summary>Writer options: UTF-8 text kept readable (Chinese as is), one object per line.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>Writes <c>{"ok":false,"error":…,"detail":…}</c>.</summary>
    public static void WriteError(Utf8JsonWriter writer, string error, string detail)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("ok", false);
        writer.WriteString("error", error);
        writer.WriteString("detail", detail);
        writer.WriteEndObject();
    }

    /// <summary>Writes a decoded packet with every key of the contract (null when absent).</summary>
    public static void WritePacket(Utf8JsonWriter writer, Hj212Packet p, bool encrypted = false)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("ok", true);
        writer.WriteString("version", p.Version.Name());
        WriteNullable(writer, "qn", p.Qn);
        WriteNullable(writer, "st", p.St);
        WriteNullable(writer, "cn", p.Cn);
        WriteNullable(writer, "pw", p.Pw);
        WriteNullable(writer, "mn", p.Mn);
        writer.WriteString("crc", p.Crc);
        WriteNullable(writer, "flag", p.Flag);
        WriteNullable(writer, "pnum", p.Pnum);
        WriteNullable(writer, "pno", p.Pno);
        WriteNullable(writer, "rf", p.Rf);
        writer.WriteBoolean("encrypted", encrypted);
        if (p.DataTime is { } t)
        {
            writer.WriteString("dataTime", t.ToString(p.DataTimeHasMilliseconds ? "yyyy-MM-ddTHH:mm:ss.fff" : "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull("dataTime");
        }

        writer.WriteStartObject("values");
        foreach (var v in p.Values)
        {
            WriteValue(writer, v);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("params");
        foreach (var (key, value) in p.Params)
        {
            writer.WriteString(key, Secret(key) ? "(hidden)" : value); // a 1014 answer's key never reaches the output
        }

        writer.WriteEndObject();
        if (p.Conflicts.Count == 0)
        {
            writer.WriteNull("conflicts");
        }
        else
        {
            writer.WriteStartObject("conflicts");
            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (var v in p.Conflicts)
            {
                if (written.Add(v.Key))
                {
                    WriteValue(writer, v);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, Hj212Value v)
    {
        if (v.Number is { } n)
        {
            writer.WriteNumber(v.Key, n);
        }
        else
        {
            writer.WriteString(v.Key, v.Text);
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>CP parameters that carry a secret: the new key of a CN 1014 answer, a new password (1072).</summary>
    private static bool Secret(string key) => key is "NewSK" or "NewPW";
}
