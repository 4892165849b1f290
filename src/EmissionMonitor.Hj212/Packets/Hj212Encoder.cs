using System.Globalization;
using System.Text;

namespace EmissionMonitor.Hj212.Packets;

/// <summary>
/// Writes packets as frames. A decoded packet is written from its raw tokens, CRC text and line end,
/// so it comes out byte for byte as received; packets made by <see cref="Hj212Builder"/> carry a
/// computed CRC, so their frames are correct by construction.
/// </summary>
public static class Hj212Encoder
{
    /// <summary>The data segment: header tokens, <c>CP=&amp;&amp;</c>, CP tokens, <c>&amp;&amp;</c>.</summary>
    public static string EncodeSegment(Hj212Packet packet) => EncodeSegment(packet.Header, packet.Cp);

    /// <summary>The whole frame as text: <c>##</c>, length, segment, CRC, line end.</summary>
    public static string EncodeText(Hj212Packet packet)
    {
        string segment = EncodeSegment(packet);
        int length = packet.LengthCountsCharacters ? segment.Length : TextEncoding(packet).GetByteCount(segment);
        return "##" + length.ToString("D4", CultureInfo.InvariantCulture) + segment + packet.Crc + packet.LineEnd;
    }

    /// <summary>The whole frame as bytes on the wire (a decoded packet's own bytes).</summary>
    public static byte[] Encode(Hj212Packet packet) =>
        packet.RawFrame.IsEmpty ? TextEncoding(packet).GetBytes(EncodeText(packet)) : packet.RawFrame.ToArray();

    /// <summary>The data segment's bytes of a built packet.</summary>
    internal static byte[] SegmentBytes(Hj212Packet packet) => TextEncoding(packet).GetBytes(EncodeSegment(packet));

    internal static string EncodeSegment(IReadOnlyList<Hj212Field> header, IReadOnlyList<Hj212Field> cp)
    {
        var sb = new StringBuilder(256);
        foreach (var field in header)
        {
            Append(sb, field);
        }

        sb.Append("CP=&&");
        foreach (var field in cp)
        {
            Append(sb, field);
        }

        return sb.Append("&&").ToString();
    }

    /// <summary>Makes a packet from tokens with a computed CRC and CR LF: a correct frame.</summary>
    internal static Hj212Packet Seal(IReadOnlyList<Hj212Field> header, IReadOnlyList<Hj212Field> cp)
    {
        string segment = EncodeSegment(header, cp);
        ushort crc = Crc.Hj212Crc.Compute(System.Text.Encoding.UTF8.GetBytes(segment));
        return new Hj212Packet(header, cp, Crc.Hj212Crc.Format(crc), "\r\n", lengthCountsCharacters: false);
    }

    private static System.Text.Encoding TextEncoding(Hj212Packet packet) =>
        packet.IsLatin1 ? System.Text.Encoding.Latin1 : System.Text.Encoding.UTF8;

    private static void Append(StringBuilder sb, Hj212Field field)
    {
        sb.Append(field.Key);
        if (field.Value is not null)
        {
            sb.Append('=').Append(field.Value);
        }

        sb.Append(field.Separator);
    }
}
