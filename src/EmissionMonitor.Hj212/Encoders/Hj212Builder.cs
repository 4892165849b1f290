using System.Globalization;
using EmissionMonitor.Hj212.Packets;

namespace EmissionMonitor.Hj212.Encoders;

/// <summary>
/// Builds a normalised packet: header fields in the standard's order separated by <c>;</c>, CP
/// parameters first (DataTime leading), then each code's items joined by <c>,</c> and codes by
/// <c>;</c>; length and CRC computed. Numbers are written invariantly, keeping their scale.
/// </summary>
public sealed class Hj212Builder
{
    private readonly List<KeyValuePair<string, string>> _params = [];
    private readonly List<(string Code, List<(string Suffix, string Text)> Items)> _codes = [];

    /// <summary>Request id, normally a 17-digit local time.</summary>
    public string? Qn { get; set; }

    /// <summary>System code (e.g. 31 gas, 32 water, 91 interaction).</summary>
    public string? St { get; set; }

    /// <summary>Command code.</summary>
    public string? Cn { get; set; }

    /// <summary>Password.</summary>
    public string? Pw { get; set; }

    /// <summary>Device id.</summary>
    public string? Mn { get; set; }

    /// <summary>Flag, or null to leave it out (2005 style).</summary>
    public int? Flag { get; set; }

    /// <summary>Total sub-packets; with <see cref="Pno"/> only for split packets.</summary>
    public int? Pnum { get; set; }

    /// <summary>Sub-packet number.</summary>
    public int? Pno { get; set; }

    /// <summary>HJ 212-2025 back-fill mark: 1 for a back-filled frame, null for an ordinary one (no <c>RF=0</c>).</summary>
    public int? Rf { get; set; }

    /// <summary>Sets <c>DataTime</c> (local time), with milliseconds when asked.</summary>
    public Hj212Builder DataTime(DateTime local, bool milliseconds = false) =>
        Param("DataTime", milliseconds ? Hj212Time.FormatQn(local) : Hj212Time.Format(local));

    /// <summary>Adds a dash-less CP key; DataTime always goes first.</summary>
    public Hj212Builder Param(string key, string value)
    {
        var item = new KeyValuePair<string, string>(key, value);
        if (string.Equals(key, "DataTime", StringComparison.Ordinal))
        {
            _params.Insert(0, item);
        }
        else
        {
            _params.Add(item);
        }

        return this;
    }

    /// <summary>Adds <c>code-suffix=value</c> with the number written invariantly.</summary>
    public Hj212Builder Value(string code, string suffix, decimal value) =>
        Value(code, suffix, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds <c>code-suffix=text</c>.</summary>
    public Hj212Builder Value(string code, string suffix, string text)
    {
        var group = _codes.Find(g => string.Equals(g.Code, code, StringComparison.Ordinal));
        if (group.Items is null)
        {
            group = (code, []);
            _codes.Add(group);
        }

        group.Items.Add((suffix, text));
        return this;
    }

    /// <summary>The packet, with a correct length and CRC.</summary>
    public Hj212Packet Build()
    {
        var header = new List<Hj212Field>(8);
        AddHeader(header, "QN", Qn);
        AddHeader(header, "ST", St);
        AddHeader(header, "CN", Cn);
        AddHeader(header, "PW", Pw);
        AddHeader(header, "MN", Mn);
        AddHeader(header, "Flag", Flag?.ToString(CultureInfo.InvariantCulture));
        AddHeader(header, "PNUM", Pnum?.ToString(CultureInfo.InvariantCulture));
        AddHeader(header, "PNO", Pno?.ToString(CultureInfo.InvariantCulture));
        AddHeader(header, "RF", Rf?.ToString(CultureInfo.InvariantCulture));

        var cp = new List<Hj212Field>();
        foreach (var p in _params)
        {
            cp.Add(new Hj212Field(p.Key, p.Value, ";"));
        }

        foreach (var (code, items) in _codes)
        {
            foreach (var (suffix, text) in items)
            {
                cp.Add(new Hj212Field(code + "-" + suffix, text, ","));
            }

            cp[^1] = cp[^1] with { Separator = ";" };
        }

        if (cp.Count > 0)
        {
            cp[^1] = cp[^1] with { Separator = string.Empty };
        }

        return Hj212Encoder.Seal(header, cp);
    }

    private static void AddHeader(List<Hj212Field> header, string key, string? value)
    {
        if (value is not null)
        {
            header.Add(new Hj212Field(key, value, ";"));
        }
    }
}
