using System.Globalization;
using EmissionMonitor.Hj212.Codes;

namespace EmissionMonitor.Hj212.Packets;

/// <summary>
/// A decoded HJ 212 frame, immutable. It keeps the raw tokens (header and CP, as sent, in order,
/// with their separators), the CRC text and the line end, so encoding it reproduces the frame byte
/// for byte; the typed properties and <see cref="Values"/> are derived from those tokens.
/// Two packets are equal when their tokens, CRC text and line end are equal.
/// </summary>
public sealed partial class Hj212Packet : IEquatable<Hj212Packet>
{
    // A decoded packet keeps its segment's bytes and reads them lazily: the header strings, the
    // token lists and the values are made on first use (the ingestion path needs few of them and
    // walks CP with EnumerateCp). A built packet starts from its tokens.
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly Range _qnRange, _stRange, _cnRange, _pwRange, _mnRange, _dataTimeRange;
    private string? _crcText;
    private string? _qn, _st, _cn, _pw, _mn, _dataTimeText;
    private Tokens? _tokens;
    private Items? _items;

    internal Hj212Packet(IReadOnlyList<Hj212Field> header, IReadOnlyList<Hj212Field> cp, string crc, string lineEnd, bool lengthCountsCharacters, bool latin1 = false)
    {
        IsLatin1 = latin1;
        _tokens = new Tokens(header, cp);
        _crcText = crc;
        LineEnd = lineEnd;
        LengthCountsCharacters = lengthCountsCharacters;

        _qn = HeaderValue("QN") ?? CpValue("QN");
        _st = HeaderValue("ST");
        _cn = HeaderValue("CN");
        _pw = HeaderValue("PW");
        _mn = HeaderValue("MN");
        Flag = ParseInt(HeaderValue("Flag"));
        Pnum = ParseInt(HeaderValue("PNUM"));
        Pno = ParseInt(HeaderValue("PNO"));
        Rf = ParseInt(HeaderValue("RF"));
        _dataTimeText = CpValue("DataTime");
        (DataTime, DataTimeHasMilliseconds) = Hj212Time.Parse(_dataTimeText);
        Version = DetectVersion();
    }

    /// <summary>A decoded packet over <paramref name="frame"/>'s bytes (kept, not copied): segment, then 4 CRC characters, then the line end.</summary>
    internal Hj212Packet(ReadOnlyMemory<byte> frame, int segmentLength, in Hj212Reader reader, bool lengthCountsCharacters, bool latin1)
    {
        _bytes = frame;
        SegmentLength = segmentLength;
        IsLatin1 = latin1;
        LengthCountsCharacters = lengthCountsCharacters;
        LineEnd = (frame.Length - segmentLength - 10) switch
        {
            0 => string.Empty,
            1 => frame.Span[^1] == (byte)'\n' ? "\n" : "\r",
            _ => "\r\n",
        };
        _qnRange = reader.QnRange;
        _stRange = reader.StRange;
        _cnRange = reader.CnRange;
        _pwRange = reader.PwRange;
        _mnRange = reader.MnRange;
        _dataTimeRange = reader.DataTimeRange;
        Flag = reader.Flag;
        Pnum = reader.Pnum;
        Pno = reader.Pno;
        Rf = reader.Rf;
        DataTime = reader.DataTime;
        DataTimeHasMilliseconds = reader.DataTimeHasMilliseconds;
        Version = reader.Version;
    }

    private int SegmentLength { get; }

    /// <summary>The frame a decoded packet was read from; empty for a built packet.</summary>
    internal ReadOnlyMemory<byte> RawFrame => _bytes;

    /// <summary>The data segment's bytes (what the length counts and the CRC covers).</summary>
    public ReadOnlySpan<byte> SegmentBytes => _bytes.IsEmpty ? Hj212Encoder.SegmentBytes(this) : _bytes.Span.Slice(6, SegmentLength);

    /// <summary>The CP tokens as spans over the segment, in order, without materialising them.</summary>
    public Hj212Reader.TokenEnumerator EnumerateCp()
    {
        var segment = SegmentBytes;
        int cp = segment.IndexOf("CP=&&"u8);
        return new Hj212Reader.TokenEnumerator(segment[(cp + 5)..^2]);
    }

    /// <summary>Header tokens as sent (everything before <c>CP=&amp;&amp;</c>).</summary>
    public IReadOnlyList<Hj212Field> Header => TokenLists.Header;

    /// <summary>CP tokens as sent (between <c>CP=&amp;&amp;</c> and the closing <c>&amp;&amp;</c>).</summary>
    public IReadOnlyList<Hj212Field> Cp => TokenLists.Cp;

    /// <summary>The CRC's four hex characters as sent.</summary>
    public string Crc => _crcText ??= System.Text.Encoding.ASCII.GetString(_bytes.Span.Slice(6 + SegmentLength, 4));

    /// <summary>The line end as sent: CR LF, LF, a lone CR, or empty at the end of the input.</summary>
    public string LineEnd { get; }

    /// <summary>True when the sender's length field counted characters, not UTF-8 bytes.</summary>
    public bool LengthCountsCharacters { get; }

    /// <summary>True when the segment was not valid UTF-8 and was read byte for byte as Latin-1.</summary>
    public bool IsLatin1 { get; }

    /// <summary>Request id (17-digit time); from CP when a 2005 reply carries it there.</summary>
    public string? Qn => _qn ??= Text(_qnRange);

    /// <summary>System code, kept as a string (non-standard values occur).</summary>
    public string? St => _st ??= Text(_stRange);

    /// <summary>Command code.</summary>
    public string? Cn => _cn ??= Text(_cnRange);

    /// <summary>Access password.</summary>
    public string? Pw => _pw ??= Text(_pwRange);

    /// <summary>Device id.</summary>
    public string? Mn => _mn ??= Text(_mnRange);

    /// <summary>Flag bits (version, D, A), or null when absent.</summary>
    public int? Flag { get; }

    /// <summary>Total sub-packets of a split packet.</summary>
    public int? Pnum { get; }

    /// <summary>This sub-packet's number (1-based).</summary>
    public int? Pno { get; }

    /// <summary>HJ 212-2025 <c>RF</c>: 1 for a back-filled (补传) frame; null when absent.</summary>
    public int? Rf { get; }

    /// <summary>True when the frame arrived with an SM4-encrypted data segment (HJ 212-2025) and was decrypted.</summary>
    public bool WasEncrypted { get; internal set; }

    /// <summary>The key that decrypted the frame (null for a plain one): the key the terminal holds, so an answer it must read is encrypted with it.</summary>
    public Crypto.Sm4Key? DecryptedWith { get; internal set; }

    /// <summary>True when <see cref="Rf"/> marks the frame as back-filled.</summary>
    public bool IsBackfill => Rf == 1;

    /// <summary>The CP <c>DataTime</c> text as sent.</summary>
    public string? DataTimeText => _dataTimeText ??= Text(_dataTimeRange);

    /// <summary>
    /// <c>DataTime</c> as a local date-time (HJ 212 times are local to the terminal, Asia/Shanghai by
    /// default; no offset is implied). Null when absent or not 14/17 valid digits.
    /// </summary>
    public DateTime? DataTime { get; }

    /// <summary>True when DataTime was sent with milliseconds (17 digits).</summary>
    public bool DataTimeHasMilliseconds { get; }

    /// <summary>Protocol version from the Flag bits, or guessed from the codes without a Flag.</summary>
    public Hj212Version Version { get; }

    /// <summary>True when the A bit asks for a reply.</summary>
    public bool NeedsReply => Flag is { } f && (f & 1) != 0;

    /// <summary>True when the D bit marks a split packet.</summary>
    public bool IsSplit => (Flag is { } f && (f & 2) != 0) || Pnum is not null;

    /// <summary>Pollutant items, normalised, first occurrence of each key.</summary>
    public IReadOnlyList<Hj212Value> Values => ItemLists.Values;

    /// <summary>Later items whose key was already taken with a different value.</summary>
    public IReadOnlyList<Hj212Value> Conflicts => ItemLists.Conflicts;

    /// <summary>Dash-less CP keys (DataTime, QnRtn, BeginTime, …) and their text, first occurrence.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Params => ItemLists.Params;

    /// <summary>The first value with this 2017 code and suffix, or null.</summary>
    public Hj212Value? Find(string code, string suffix)
    {
        foreach (var v in Values)
        {
            if (string.Equals(v.Code, code, StringComparison.Ordinal) && string.Equals(v.Suffix, suffix, StringComparison.Ordinal))
            {
                return v;
            }
        }

        return null;
    }

    /// <summary>The text of a dash-less CP key, or null.</summary>
    public string? Param(string key)
    {
        foreach (var p in Params)
        {
            if (string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return p.Value;
            }
        }

        return null;
    }

    /// <summary>The data segment's text (what the length counts and the CRC covers).</summary>
    public string Segment => Hj212Encoder.EncodeSegment(this);

    /// <inheritdoc/>
    public bool Equals(Hj212Packet? other) =>
        other is not null
        && Header.SequenceEqual(other.Header)
        && Cp.SequenceEqual(other.Cp)
        && string.Equals(Crc, other.Crc, StringComparison.Ordinal)
        && string.Equals(LineEnd, other.LineEnd, StringComparison.Ordinal)
        && LengthCountsCharacters == other.LengthCountsCharacters
        && IsLatin1 == other.IsLatin1;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Hj212Packet);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Header.Count, Cp.Count, Crc, Mn, Cn, DataTimeText);

    /// <inheritdoc/>
    public override string ToString() => Hj212Encoder.EncodeText(this);

    private string? HeaderValue(string key)
    {
        foreach (var f in TokenLists.Header)
        {
            if (f.Value is not null && string.Equals(f.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return f.Value;
            }
        }

        return null;
    }

    private string? CpValue(string key)
    {
        foreach (var f in TokenLists.Cp)
        {
            if (f.Value is not null && string.Equals(f.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return f.Value;
            }
        }

        return null;
    }

    private static int? ParseInt(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : null;

    private Hj212Version DetectVersion()
    {
        if (Flag is { } flag && Hj212Versions.FromFlag(flag) is { } fromFlag)
        {
            return fromFlag;
        }

        foreach (var f in Cp)
        {
            int dash = f.Key.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && CodeCatalogue.Looks2017(f.Key.AsSpan(0, dash)))
            {
                return Hj212Version.V2017;
            }
        }

        return Hj212Version.V2005;
    }
}
