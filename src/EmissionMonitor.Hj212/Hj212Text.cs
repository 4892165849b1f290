using System.Text;

namespace EmissionMonitor.Hj212;

/// <summary>Text of HJ 212 bytes: UTF-8, or Latin-1 where the bytes are not valid UTF-8 (some devices send GBK or Latin-1).</summary>
public static class Hj212Text
{
    /// <summary>The text of a span of a segment.</summary>
    public static string Of(ReadOnlySpan<byte> bytes) =>
        System.Text.Unicode.Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);
}
