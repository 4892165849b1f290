using System.Globalization;
using System.Text;

namespace EmissionMonitor.Hj212.Packets;

/// <summary>
/// A zero-allocation reading of one data segment, in the manner of <c>Utf8JsonReader</c>: the
/// header fields, DataTime and Flag bits are found in one pass over the bytes and exposed as spans
/// and numbers, and <see cref="Items"/> walks the CP tokens without materialising them. It applies
/// the decoder's segment rules (a CP area closed with <c>&amp;&amp;</c>, header tokens with '=',
/// no header field sent twice with different values, Flag/PNUM/PNO/RF as non-negative integers), so a
/// segment reads here exactly when <see cref="Hj212Decoder"/> decodes it; the packet is built on it.
/// </summary>
public readonly ref partial struct Hj212Reader
{
    private readonly ReadOnlySpan<byte> _segment;
    private readonly int _cp;
    private readonly Range _qn, _st, _cn, _pw, _mn, _dataTime;

    private Hj212Reader(ReadOnlySpan<byte> segment, int cp, Range qn, Range st, Range cn, Range pw, Range mn, Range dataTime, int? flag, int? pnum, int? pno, int? rf, bool looks2017)
    {
        _segment = segment;
        _cp = cp;
        _qn = qn;
        _st = st;
        _cn = cn;
        _pw = pw;
        _mn = mn;
        _dataTime = dataTime;
        Flag = flag;
        Pnum = pnum;
        Pno = pno;
        Rf = rf;
        (DataTime, DataTimeHasMilliseconds) = Hj212Time.Parse(DataTimeText);
        Version = flag is { } f && Hj212Versions.FromFlag(f) is { } fromFlag ? fromFlag : looks2017 ? Hj212Version.V2017 : Hj212Version.V2005;
    }

    /// <summary>The data segment (what the length counts and the CRC covers).</summary>
    public ReadOnlySpan<byte> Segment => _segment;

    /// <summary>CP tokens (between <c>CP=&amp;&amp;</c> and the closing <c>&amp;&amp;</c>).</summary>
    public ReadOnlySpan<byte> CpArea => _segment[(_cp + 5)..^2];

    /// <summary>QN from the header, or from CP when a 2005 reply carries it there; empty when absent.</summary>
    public ReadOnlySpan<byte> Qn => _segment[_qn];

    /// <summary>ST as sent; empty when absent.</summary>
    public ReadOnlySpan<byte> St => _segment[_st];

    /// <summary>CN as sent; empty when absent.</summary>
    public ReadOnlySpan<byte> Cn => _segment[_cn];

    /// <summary>PW as sent; empty when absent.</summary>
    public ReadOnlySpan<byte> Pw => _segment[_pw];

    /// <summary>MN as sent; empty when absent.</summary>
    public ReadOnlySpan<byte> Mn => _segment[_mn];

    /// <summary>The CP DataTime as sent; empty when absent.</summary>
    public ReadOnlySpan<byte> DataTimeText => _segment[_dataTime];

    public bool HasQn => !IsAbsent(_qn);

    public bool HasSt => !IsAbsent(_st);

    public bool HasCn => !IsAbsent(_cn);

    public bool HasPw => !IsAbsent(_pw);

    public bool HasMn => !IsAbsent(_mn);

    public bool HasDataTime => !IsAbsent(_dataTime);

    internal Range QnRange => _qn;

    internal Range StRange => _st;

    internal Range CnRange => _cn;

    internal Range PwRange => _pw;

    internal Range MnRange => _mn;

    internal Range DataTimeRange => _dataTime;

    internal static bool IsAbsentRange(Range r) => IsAbsent(r);

    /// <summary>Flag bits, or null when absent.</summary>
    public int? Flag { get; }

    /// <summary>Total sub-packets of a split packet.</summary>
    public int? Pnum { get; }

    /// <summary>This sub-packet's number.</summary>
    public int? Pno { get; }

    /// <summary>HJ 212-2025 <c>RF</c>: 1 for a back-filled (补传) frame; null when absent (ordinary frames send none).</summary>
    public int? Rf { get; }

    /// <summary>DataTime as a local time, or null when absent or not 14/17 valid digits.</summary>
    public DateTime? DataTime { get; }

    /// <summary>True when DataTime has milliseconds.</summary>
    public bool DataTimeHasMilliseconds { get; }

    /// <summary>Protocol version from the Flag bits, or guessed from the CP codes.</summary>
    public Hj212Version Version { get; }

    /// <summary>The CP tokens in order, as spans.</summary>
    public TokenEnumerator Items => new(CpArea);

    /// <summary>
    /// Reads a data segment; false with a bad-field detail when it breaks a segment rule. The
    /// detail is the only allocation, and only on failure.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> segment, out Hj212Reader reader, out string? detail)
    {
        reader = default;
        int cp = segment.IndexOf("CP=&&"u8);
        if (cp < 0)
        {
            detail = "no CP=&&…&& data area";
            return false;
        }

        if (segment.Length < cp + 7 || !segment.EndsWith("&&"u8))
        {
            detail = "the CP data area is not closed with &&";
            return false;
        }

        var h = new HeaderFields();
        if (ReadHeader(segment[..cp], ref h) is { } bad)
        {
            detail = bad;
            return false;
        }

        Range dataTime = Absent;
        // One pass over CP for DataTime, a QN a 2005 reply carries there, and (without a Flag) a
        // 2017-shaped code; it stops as soon as nothing more is needed.
        int cpStart = cp + 5;
        bool needQn = IsAbsent(h.Qn), needVersion = h.Flag is null || Hj212Versions.FromFlag(h.Flag.Value) is null, looks2017 = false;
        foreach (var token in new TokenEnumerator(segment[cpStart..^2]))
        {
            if (needVersion && !looks2017 && Codes.CodeCatalogue.Looks2017(token.Code))
            {
                looks2017 = true;
            }

            if (token.HasValue)
            {
                var range = new Range(cpStart + token.ValueStart, cpStart + token.ValueStart + token.Value.Length);
                if (IsAbsent(dataTime) && Is(token.Key, "DataTime"u8))
                {
                    dataTime = range;
                }
                else if (needQn && IsAbsent(h.Qn) && Is(token.Key, "QN"u8))
                {
                    h.Qn = range;
                }
            }

            if (!IsAbsent(dataTime) && (!needQn || !IsAbsent(h.Qn)) && (!needVersion || looks2017))
            {
                break;
            }
        }

        reader = new Hj212Reader(segment, cp, h.Qn, h.St, h.Cn, h.Pw, h.Mn, dataTime, h.Flag, h.Pnum, h.Pno, h.Rf, looks2017);
        detail = null;
        return true;
    }

    /// <summary>The header fields before CP, each the first sent; a field's problem, or null.</summary>
    private static string? ReadHeader(ReadOnlySpan<byte> header, ref HeaderFields h)
    {
        foreach (var token in new TokenEnumerator(header))
        {
            if (!token.HasValue)
            {
                if (!IsBlank(token.Key))
                {
                    return $"header field '{Text(token.Key)}' has no '='";
                }

                continue;
            }

            if (SentBeforeWithAnotherValue(header, token) is { } twice)
            {
                return $"header field {twice} is sent twice with different values";
            }

            var range = new Range(token.ValueStart, token.ValueStart + token.Value.Length);
            if (Is(token.Key, "QN"u8)) { First(ref h.Qn, range); }
            else if (Is(token.Key, "ST"u8)) { First(ref h.St, range); }
            else if (Is(token.Key, "CN"u8)) { First(ref h.Cn, range); }
            else if (Is(token.Key, "PW"u8)) { First(ref h.Pw, range); }
            else if (Is(token.Key, "MN"u8)) { First(ref h.Mn, range); }
            else if (IntegerField(token.Key) is { } name)
            {
                if (!TryParseCount(token.Value, out int n))
                {
                    return $"{name} '{Text(token.Value)}' is not a non-negative integer";
                }

                if (name == "Flag") { h.Flag ??= n; }
                else if (name == "PNUM") { h.Pnum ??= n; }
                else if (name == "PNO") { h.Pno ??= n; }
                else { h.Rf ??= n; }
            }
        }

        return null;
    }

    /// <summary>Where the header's fields are in the segment (absent: an empty range at 0), and its counts.</summary>
    private struct HeaderFields
    {
        public Range Qn, St, Cn, Pw, Mn;
        public int? Flag, Pnum, Pno, Rf;
    }

    /// <summary>The text of a span of the segment (UTF-8, or Latin-1 where it is not valid UTF-8).</summary>
    public static string Text(ReadOnlySpan<byte> utf8) => Hj212Text.Of(utf8);

    private static readonly Range Absent = new(0, 0);

    private static bool IsAbsent(Range r) => r.End.Value == 0;

    private static void First(ref Range slot, Range value)
    {
        if (IsAbsent(slot))
        {
            slot = value;
        }
    }

    private static string? IntegerField(ReadOnlySpan<byte> key) =>
        Is(key, "Flag"u8) ? "Flag" : Is(key, "PNUM"u8) ? "PNUM" : Is(key, "PNO"u8) ? "PNO" : Is(key, "RF"u8) ? "RF" : null;

    private static bool Is(ReadOnlySpan<byte> key, ReadOnlySpan<byte> name) => Ascii.EqualsIgnoreCase(key, name);

    /// <summary>The name of a header field sent earlier under the same name with another value.</summary>
    private static string? SentBeforeWithAnotherValue(ReadOnlySpan<byte> header, Token token)
    {
        foreach (var earlier in new TokenEnumerator(header))
        {
            if (earlier.ValueStart >= token.ValueStart)
            {
                return null;
            }

            if (earlier.HasValue && Is(earlier.Key, token.Key) && !earlier.Value.SequenceEqual(token.Value))
            {
                return Text(token.Key);
            }
        }

        return null;
    }

    private static bool TryParseCount(ReadOnlySpan<byte> digits, out int value) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static bool IsBlank(ReadOnlySpan<byte> key) =>
        key.Trim(" \t\r\n\v\f"u8).IsEmpty || (!Ascii.IsValid(key) && Text(key).AsSpan().Trim().IsEmpty);
}
