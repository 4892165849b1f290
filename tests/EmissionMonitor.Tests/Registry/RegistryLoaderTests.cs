using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Tests.Registry;

public sealed class RegistryLoaderTests
{
    [Fact]
    public void DesignExample_Loads()
    {
        var registry = Some.Registry();
        Assert.Equal(2, registry.Enterprises.Count);
        var gas = registry.FindOutlet("QHXN0010001")!;
        Assert.Equal(MediumKind.Gas, gas.Kind);
        Assert.Equal(6.0, gas.ReferenceO2);
        Assert.Equal(new DateOnly(2024, 1, 1), gas.ActiveFrom);
        Assert.Equal(35, gas.Limits["a21026"].Max);
        var water = registry.FindOutlet("QHXN0020001")!;
        Assert.Equal(new Limit(6, 9), water.Limits["w01001"]);
        Assert.Equal("L/s", water.FlowUnit);
        Assert.Equal("西宁市", registry.EnterpriseOf(water).City);
        Assert.Equal(1200.0, registry.FindEnterprise("QH-XN-001")!.Permits["a21026"]);
    }

    [Theory]
    [InlineData("\"a21026\": 35", "\"x99999\": 35", "QHXN0010001): limits: unknown pollutant code x99999")]
    [InlineData("\"mn\": \"QHXN0020001\"", "\"mn\": \"QHXN0010001\"", "duplicate mn QHXN0010001")]
    [InlineData("\"password\": \"654321\", ", "", "(QHXN0020001): missing password")]
    [InlineData("\"a21002\": 50,", "\"a21002\": -5,", "limits.a21002: impossible limit")]
    [InlineData("{ \"min\": 6, \"max\": 9 }", "{ \"min\": 9, \"max\": 6 }", "limits.w01001: impossible limit")]
    [InlineData("\"kind\": \"water\"", "\"kind\": \"air\"", "kind must be \"gas\" or \"water\"")]
    [InlineData("\"mn\": \"QHXN0020001\"", "\"mn\": \"QHXN/0020001\"", "mn must not contain")]
    [InlineData("\"activeFrom\": \"2024-01-01\"", "\"activeFrom\": \"2024-13-01\"", "activeFrom must be a date")]
    [InlineData("\"a21026\": 1200.0", "\"x99999\": 1200.0", "(QH-XN-001): permits: unknown pollutant code x99999")]
    [InlineData("\"a21002\": 1500.0", "\"a21002\": 0", "(QH-XN-001): permits.a21002: needs a positive number of tonnes per year")]
    [InlineData("\"activeFrom\": \"2024-01-01\",", "\"activeFrom\": \"2024-01-01\", \"rangeMax\": { \"a21026\": -1 },", "(QHXN0010001): rangeMax.a21026: the analyser's range is a positive number")]
    [InlineData("\"activeFrom\": \"2024-01-01\",", "\"activeFrom\": \"2024-01-01\", \"rangeMax\": { \"w01018\": 100 },", "(QHXN0010001): rangeMax.w01018: not a monitored pollutant of this outlet (limits)")]
    public void Problems_NameTheEntry(string from, string to, string expected)
    {
        var (registry, problems) = RegistryLoader.Parse(Some.RegistryJson.Replace(from, to, StringComparison.Ordinal), "stations.json");
        Assert.Null(registry);
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal) && p.StartsWith("stations.json: enterprises[", StringComparison.Ordinal));
    }

    /// <summary>The design example with national identifiers: the two enterprises' permit numbers and their outlets' codes.</summary>
    private static string Identified(string gasCode = "DA001", string waterCode = "DW001", string secondPermit = "91630100MA752ABC2L001P") => Some.RegistryJson
        .Replace("\"industry\": \"thermal-power\",", "\"industry\": \"thermal-power\", \"permitNumber\": \"91630100MA752XYZ1K001P\",", StringComparison.Ordinal)
        .Replace("\"industry\": \"wastewater\",", $"\"industry\": \"wastewater\", \"permitNumber\": \"{secondPermit}\",", StringComparison.Ordinal)
        .Replace("\"name\": \"1号锅炉排口\",", $"\"name\": \"1号锅炉排口\", \"code\": \"{gasCode}\",", StringComparison.Ordinal)
        .Replace("\"name\": \"总排口\",", $"\"name\": \"总排口\", \"code\": \"{waterCode}\",", StringComparison.Ordinal);

    [Fact]
    public void Identifiers_Load_AndNameAnOutlet()
    {
        var (registry, problems) = RegistryLoader.Parse(Identified(), "stations.json");
        Assert.Empty(problems);
        Assert.Equal("91630100MA752XYZ1K001P", registry!.FindEnterprise("QH-XN-001")!.PermitNumber);
        Assert.Equal("DA001", registry.FindOutlet("QHXN0010001")!.Code);
        Assert.Equal("DW001", registry.FindOutlet("QHXN0020001")!.Code);
        Assert.Equal("总排口（DW001）", Identifiers.NameWithCode(registry.FindOutlet("QHXN0020001")!));
        Assert.Null(Some.Registry().FindOutlet("QHXN0010001")!.Code); // optional: a registry without them still loads
    }

    [Theory]
    [InlineData("DW001", "DW001", "91630100MA752ABC2L001P", "(QHXN0010001): code DW001 is for a water outlet; a gas outlet's code starts with DA")]
    [InlineData("DA001", "DA001", "91630100MA752ABC2L001P", "(QHXN0020001): code DA001 is for a gas outlet; a water outlet's code starts with DW")]
    [InlineData("DA01", "DW001", "91630100MA752ABC2L001P", "(QHXN0010001): code must be DA or DW and a serial of 3 or 4 digits")]
    [InlineData("da001", "DW001", "91630100MA752ABC2L001P", "(QHXN0010001): code must be DA or DW")]
    [InlineData("DA001", "DW001", "91630100ma752abc2l001p", "(QH-XN-002): permitNumber must be upper-case letters and digits")]
    [InlineData("DA001", "DW001", "9163 0100", "(QH-XN-002): permitNumber must be upper-case letters and digits")]
    [InlineData("DA001", "DW001", "91630100MA752XYZ1K001P", "(QH-XN-002): duplicate permitNumber 91630100MA752XYZ1K001P")]
    public void Identifiers_AreChecked(string gasCode, string waterCode, string secondPermit, string expected)
    {
        var (registry, problems) = RegistryLoader.Parse(Identified(gasCode, waterCode, secondPermit), "stations.json");
        Assert.Null(registry);
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void OutletCodes_AreUniqueWithinTheirEnterprise()
    {
        const string Last = "\"limits\": { \"a21026\": 35, \"a21002\": 50, \"a34013\": 10 } } ] },";
        string json = Identified().Replace(Last, "\"limits\": { \"a21026\": 35, \"a21002\": 50, \"a34013\": 10 } }, { \"mn\": \"QHXN0010002\", \"password\": \"123456\", "
            + "\"kind\": \"gas\", \"name\": \"2号锅炉排口\", \"code\": \"DA001\", \"limits\": { \"a21026\": 35 } } ] },", StringComparison.Ordinal);
        var (registry, problems) = RegistryLoader.Parse(json, "stations.json");
        Assert.Null(registry);
        Assert.Contains(problems, p => p.Contains("(QHXN0010002): duplicate code DA001 within the enterprise", StringComparison.Ordinal));
    }

    [Fact]
    public void NotJson_IsAProblem()
    {
        var (registry, problems) = RegistryLoader.Parse("{ nope", "stations.json");
        Assert.Null(registry);
        Assert.Contains("not valid JSON", Assert.Single(problems), StringComparison.Ordinal);
    }
}
