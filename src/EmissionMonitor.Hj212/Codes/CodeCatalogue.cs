namespace EmissionMonitor.Hj212.Codes;

/// <summary>
/// The 2005 ↔ 2017 code catalogue (DOMAIN.md 2.1, HJ 212-2017 表B.1/B.2) with names and default units.
/// </summary>
public static class CodeCatalogue
{
    /// <summary>Wastewater flow.</summary>
    public const string WaterFlow = "w00000";

    /// <summary>Flue-gas flow.</summary>
    public const string GasFlow = "a00000";

    /// <summary>Oxygen content (%).</summary>
    public const string Oxygen = "a19001";

    /// <summary>COD.</summary>
    public const string Cod = "w01018";

    /// <summary>Ammonia nitrogen.</summary>
    public const string AmmoniaNitrogen = "w21003";

    /// <summary>Sulphur dioxide.</summary>
    public const string SulphurDioxide = "a21026";

    /// <summary>Nitrogen oxides.</summary>
    public const string NitrogenOxides = "a21002";

    /// <summary>The four pollutants whose emissions are totalled and capped.</summary>
    public static IReadOnlyList<string> TotalledPollutants { get; } = [Cod, AmmoniaNitrogen, SulphurDioxide, NitrogenOxides];

    /// <summary>Every catalogued code.</summary>
    public static IReadOnlyList<PollutantCode> All { get; } =
    [
        new("w00000", "B01", "污水", "wastewater flow", "L/s", "m3", MediumKind.Water),
        new("w01001", "001", "pH值", "pH", "", null, MediumKind.Water),
        new("w01010", null, "水温", "water temperature", "℃", null, MediumKind.Water),
        new("w01012", "003", "悬浮物", "suspended solids", "mg/L", "kg", MediumKind.Water),
        new("w01017", "010", "五日生化需氧量", "BOD5", "mg/L", "kg", MediumKind.Water),
        new("w01018", "011", "化学需氧量", "COD", "mg/L", "kg", MediumKind.Water),
        new("w01019", null, "高锰酸盐指数", "permanganate index", "mg/L", "kg", MediumKind.Water),
        new("w01020", "015", "总有机碳", "TOC", "mg/L", "kg", MediumKind.Water),
        new("w21001", "065", "总氮", "total nitrogen", "mg/L", "kg", MediumKind.Water),
        new("w21003", "060", "氨氮", "ammonia nitrogen", "mg/L", "kg", MediumKind.Water),
        new("w21011", "101", "总磷", "total phosphorus", "mg/L", "kg", MediumKind.Water),
        new("w20116", "023", "总铬", "total chromium", "mg/L", "kg", MediumKind.Water),
        new("w20117", "024", "六价铬", "hexavalent chromium", "µg/L", "g", MediumKind.Water),
        new("w20111", "020", "总汞", "total mercury", "µg/L", "g", MediumKind.Water),
        new("w22001", "080", "石油类", "petroleum", "mg/L", "kg", MediumKind.Water),
        new("a00000", "B02", "废气", "flue-gas flow", "m3/s", "m3", MediumKind.Gas),
        new("a01011", "S02", "烟气流速", "flue-gas velocity", "m/s", null, MediumKind.Gas),
        new("a01012", "S03", "烟气温度", "flue-gas temperature", "℃", null, MediumKind.Gas),
        new("a01013", "S08", "烟气压力", "flue-gas pressure", "kPa", null, MediumKind.Gas),
        new("a01014", "S05", "烟气湿度", "flue-gas moisture", "%", null, MediumKind.Gas),
        new("a01015", "S06", "制冷温度", "cooling temperature", "℃", null, MediumKind.Gas),
        new("a01016", "S07", "烟道截面积", "duct cross-section", "m2", null, MediumKind.Gas),
        new("a01017", "S04", "烟气动压", "flue-gas dynamic pressure", "kPa", null, MediumKind.Gas),
        new("a19001", "S01", "氧气含量", "oxygen", "%", null, MediumKind.Gas),
        new("a34013", "01", "烟尘", "particulate matter", "mg/m3", "kg", MediumKind.Gas),
        new("a21026", "02", "二氧化硫", "sulphur dioxide", "mg/m3", "kg", MediumKind.Gas),
        new("a21002", "03", "氮氧化物", "nitrogen oxides", "mg/m3", "kg", MediumKind.Gas),
        new("a21005", "04", "一氧化碳", "carbon monoxide", "mg/m3", "kg", MediumKind.Gas),
        new("a21003", null, "一氧化氮", "nitric oxide", "mg/m3", "kg", MediumKind.Gas),
        new("a21004", null, "二氧化氮", "nitrogen dioxide", "mg/m3", "kg", MediumKind.Gas),
        new("a21024", "08", "氯化氢", "hydrogen chloride", "mg/m3", "kg", MediumKind.Gas),
        new("a24088", null, "非甲烷总烃", "non-methane hydrocarbons", "mg/m3", "kg", MediumKind.Gas),
        new("a01901", null, "炉膛内焚烧平均温度", "furnace mean temperature", "℃", null, MediumKind.Gas),
        new("a01902", null, "炉膛内DCS温度", "furnace DCS temperature", "℃", null, MediumKind.Gas),

        // HJ 212-2025 (DOMAIN.md 1.12): the data logger's identity (CN 1001), and the first codes of
        // electricity monitoring (ST=44) and key production conditions (ST=45) the standard names.
        new("i23005", null, "数采仪编号", "data logger ID", "", null, MediumKind.Other),
        new("i23006", null, "数采仪CPU序列号", "data logger CPU ID", "", null, MediumKind.Other),
        new("i23007", null, "数采仪MAC地址1", "data logger MAC address 1", "", null, MediumKind.Other),
        new("i23008", null, "数采仪MAC地址2", "data logger MAC address 2", "", null, MediumKind.Other),
        new("d20105", null, "用电监控量", "electricity monitoring value", "", null, MediumKind.Other),
        new("d30106", null, "用电监控量", "electricity monitoring value", "", null, MediumKind.Other),
        new("p99101", null, "生产工况量", "production condition value", "", null, MediumKind.Other),
    ];

    private static readonly PollutantCode Electricity = new("d", null, "用电监控量", "electricity monitoring value", "", null, MediumKind.Other);
    private static readonly PollutantCode Production = new("p", null, "生产工况量", "production condition value", "", null, MediumKind.Other);

    /// <summary>
    /// The entry of a code, or for an uncatalogued HJ 212-2025 electricity-monitoring (<c>d2…</c>,
    /// <c>d3…</c>) or production-condition (<c>p9…</c>) code its class (with that code), or null.
    /// </summary>
    public static PollutantCode? Describe(string code) => Find(code) ?? (code.Length == 6 && Looks2017(code.AsSpan()) ? code[..2] switch
    {
        "d2" or "d3" => Electricity with { Code = code },
        "p9" => Production with { Code = code },
        _ => null,
    } : null);

    private static readonly Dictionary<string, PollutantCode> By2017 = All.ToDictionary(c => c.Code, StringComparer.Ordinal);

    private static readonly Dictionary<string, PollutantCode> By2005 =
        All.Where(c => c.Code2005 is not null).ToDictionary(c => c.Code2005!, StringComparer.Ordinal);

    /// <summary>The entry of a 2017 code, or null.</summary>
    public static PollutantCode? Find(string code) => By2017.GetValueOrDefault(code);

    /// <summary>The entry whose 2005 code is <paramref name="code2005"/>, or null.</summary>
    public static PollutantCode? Find2005(string code2005) => By2005.GetValueOrDefault(code2005);

    /// <summary>
    /// The 2017 code of a code as sent in a frame of <paramref name="version"/> (2005 codes
    /// translated), as the catalogue's own string when it knows the code: no allocation then.
    /// </summary>
    public static string Normalise(ReadOnlySpan<byte> sentCode, Hj212Version version, bool latin1 = false)
    {
        if (sentCode.Length > 16 || !System.Text.Ascii.IsValid(sentCode))
        {
            string text = latin1 ? System.Text.Encoding.Latin1.GetString(sentCode) : System.Text.Encoding.UTF8.GetString(sentCode);
            return version == Hj212Version.V2005 ? To2017(text) : text;
        }

        Span<char> chars = stackalloc char[sentCode.Length];
        System.Text.Ascii.ToUtf16(sentCode, chars, out _);
        if (version == Hj212Version.V2005)
        {
            return By2005Span.TryGetValue(chars, out var c) ? c.Code : new string(chars);
        }

        return By2017Span.TryGetValue(chars, out var known) ? known.Code : new string(chars);
    }

    private static readonly Dictionary<string, PollutantCode>.AlternateLookup<ReadOnlySpan<char>> By2017Span = By2017.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly Dictionary<string, PollutantCode>.AlternateLookup<ReadOnlySpan<char>> By2005Span = By2005.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The 2017 code of a 2005 code; codes outside the catalogue are returned as sent.</summary>
    public static string To2017(string code2005) => By2005.TryGetValue(code2005, out var c) ? c.Code : code2005;

    /// <summary>The 2005 code of a 2017 code, or null when it has none.</summary>
    public static string? To2005(string code) => By2017.GetValueOrDefault(code)?.Code2005;

    /// <summary>True when the code has the 2017 shape: a lower-case letter and five digits.</summary>
    public static bool Looks2017(ReadOnlySpan<byte> code) =>
        code.Length == 6 && code[0] is >= (byte)'a' and <= (byte)'z' && code[1..].IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;

    /// <summary>True when the code has the 2017 shape: a lower-case letter and five digits.</summary>
    public static bool Looks2017(ReadOnlySpan<char> code) =>
        code.Length == 6 && code[0] is >= 'a' and <= 'z' && char.IsAsciiDigit(code[1]) && char.IsAsciiDigit(code[2])
        && char.IsAsciiDigit(code[3]) && char.IsAsciiDigit(code[4]) && char.IsAsciiDigit(code[5]);
}
