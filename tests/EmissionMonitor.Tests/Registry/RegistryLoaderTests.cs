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
    public void Problems_NameTheEntry(string from, string to, string expected)
    {
        var (registry, problems) = RegistryLoader.Parse(Some.RegistryJson.Replace(from, to, StringComparison.Ordinal), "stations.json");
        Assert.Null(registry);
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal) && p.StartsWith("stations.json: enterprises[", StringComparison.Ordinal));
    }

    [Fact]
    public void NotJson_IsAProblem()
    {
        var (registry, problems) = RegistryLoader.Parse("{ nope", "stations.json");
        Assert.Null(registry);
        Assert.Contains("not valid JSON", Assert.Single(problems), StringComparison.Ordinal);
    }
}
