using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using EmissionMonitor.Hj212.Encoders;

namespace EmissionMonitor.IntegrationTests.Tax;

/// <summary>
/// The environmental-tax pre-check of a generated August through <c>import</c>, the running service and
/// <c>report tax</c>: a gas outlet (SO2 half its limit, NOx with one hour above it, 烟尘 at 60 %, CO
/// smallest by equivalents) and a water outlet (COD, BOD5 and TOC — only the largest taxed —, NH3-N,
/// SS at 80 %, TP with one day above its limit). Every figure is written here from the values sent:
/// kg from concentration × flow volume, equivalents, the month's concentration, ratio, reduction,
/// items and tax.
/// </summary>
public sealed class TaxTests
{
    private const string Operator = "operator-token-1", GasUser = "enterprise-token-1";
    private const string GasMn = "QHXN0030001", WaterMn = "QHXN0040001";
    private static readonly DateTime August = new(2025, 8, 1);
    private const int Hours = 31 * 24;

    private const string RegistryJson = """
        { "enterprises": [
          { "id": "T-GAS-001", "name": "某热电有限公司", "city": "西宁市", "industry": "thermal-power",
            "outlets": [ { "mn": "QHXN0030001", "password": "123456", "kind": "gas", "name": "1号锅炉排口", "flowUnit": "m3/s", "activeFrom": "2025-01-01",
              "limits": { "a21026": 35, "a21002": 50, "a34013": 10, "a21005": 100 } } ] },
          { "id": "T-WAT-001", "name": "某污水处理厂", "city": "海东市", "industry": "wastewater",
            "outlets": [ { "mn": "QHXN0040001", "password": "654321", "kind": "water", "name": "总排口", "flowUnit": "L/s", "activeFrom": "2025-01-01",
              "limits": { "w01018": 50, "w01017": 10, "w01020": 20, "w21003": 5, "w01012": 10, "w21011": 0.5 } } ] } ] }
        """;

    /// <summary>The gas outlet's hourly values by code (flow 100 m³/s): NOx 60 at one hour, 30 otherwise.</summary>
    private static double GasValue(string code, int hour) => code switch
    {
        "a21026" => 10,
        "a21002" => hour == 200 ? 60 : 30,
        "a34013" => 6,
        _ => 20, // a21005
    };

    /// <summary>The water outlet's hourly values (flow 10 L/s): TP 0.8 all of 15 August, 0.3 otherwise.</summary>
    private static double WaterValue(string code, int hour) => code switch
    {
        "w01018" => 20,
        "w01017" => 6,
        "w01020" => 8,
        "w21003" => 2,
        "w01012" => 8,
        _ => hour / 24 == 14 ? 0.8 : 0.3, // w21011
    };

    private static readonly string[] GasCodes = ["a21026", "a21002", "a34013", "a21005"];
    private static readonly string[] WaterCodes = ["w01018", "w01017", "w01020", "w21003", "w01012", "w21011"];

    private static async Task PrepareAsync(string config, string data)
    {
        var frames = new StringBuilder();
        for (int h = 0; h < Hours; h++)
        {
            var gas = new Hj212Builder { Qn = "20250801000000000", St = "31", Cn = "2061", Pw = "123456", Mn = GasMn, Flag = 4 }.DataTime(August.AddHours(h))
                .Value("a00000", "Avg", 100m).Value("a00000", "Flag", "N");
            var water = new Hj212Builder { Qn = "20250801000000000", St = "32", Cn = "2061", Pw = "654321", Mn = WaterMn, Flag = 4 }.DataTime(August.AddHours(h))
                .Value("w00000", "Avg", 10m).Value("w00000", "Flag", "N");
            foreach (var code in GasCodes)
            {
                gas.Value(code, "Avg", (decimal)GasValue(code, h)).Value(code, "Flag", "N");
            }

            foreach (var code in WaterCodes)
            {
                water.Value(code, "Avg", (decimal)WaterValue(code, h)).Value(code, "Flag", "N");
            }

            frames.Append(gas.Build().ToString()).Append(water.Build().ToString());
        }

        string file = Path.Combine(Path.GetDirectoryName(data)!, "august.h212");
        await File.WriteAllTextAsync(file, frames.ToString());
        var import = await CliRunner.RunAsync(["import", file, "--config", config, "--data", data]);
        Assert.True(import.ExitCode == 0, import.StdErr);
    }

    private static Task<ServiceFixture> StartAsync()
    {
        string registry = Path.Combine(Some.TempDirectory(), "stations.json");
        File.WriteAllText(registry, RegistryJson);
        return ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Api:Users:0:Token"] = Operator, ["Api:Users:0:Role"] = "operator",
            ["Api:Users:1:Token"] = GasUser, ["Api:Users:1:Role"] = "enterprise", ["Api:Users:1:Enterprise"] = "T-GAS-001",
        }, PrepareAsync, registryPath: registry);
    }

    /// <summary>One expected row, computed from the values sent.</summary>
    private sealed record Expected(string Mn, string Code, double Kg, double PerEquivalent, double Concentration, double Limit, int Exceeding, double Reduction,
        string ReductionReason, bool Taxed, string TaxedReason, double Rate)
    {
        public double Equivalents => Kg / PerEquivalent;

        public double TaxYuan => Taxed ? Math.Round(Equivalents * Rate * Reduction, 2, MidpointRounding.AwayFromZero) : 0;
    }

    private static List<Expected> ExpectedRows()
    {
        // Gas: 100 m³/s × 3600 s = 360,000 m³ an hour; kg = mg/m³ × m³ × 10⁻⁶.
        double GasKg(string code) => Enumerable.Range(0, Hours).Sum(h => GasValue(code, h) * 360_000 * 1e-6);
        double GasMean(string code) => Enumerable.Range(0, Hours).Average(h => GasValue(code, h));

        // Water: 10 L/s × 3600 s = 36 m³ an hour; kg = mg/L × m³ ÷ 1000; the month's concentration the mean of its 31 daily means.
        double WaterKg(string code) => Enumerable.Range(0, Hours).Sum(h => WaterValue(code, h) * 36 / 1000);
        double WaterMean(string code) => Enumerable.Range(0, 31).Average(d => Enumerable.Range(d * 24, 24).Average(h => WaterValue(code, h)));
        return // in the reports' order: city (海东市 before 西宁市), enterprise, outlet, pollutant
        [
            // COD 535.7 eq beats TOC 437.3 and BOD5 321.4; then NH3-N 67.0 and SS 53.6; TP 33.9 is fourth.
            new(WaterMn, "w01012", WaterKg("w01012"), 4, 8, 10, 0, 1, "none", true, "largest", 1.4),
            new(WaterMn, "w01017", WaterKg("w01017"), 0.5, 6, 10, 0, 0.75, "below-70", false, "cod-bod5-toc-largest-only", 1.4),
            new(WaterMn, "w01018", WaterKg("w01018"), 1, 20, 50, 0, 0.5, "below-50", true, "largest", 1.4),
            new(WaterMn, "w01020", WaterKg("w01020"), 0.49, 8, 20, 0, 0.5, "below-50", false, "cod-bod5-toc-largest-only", 1.4),
            new(WaterMn, "w21003", WaterKg("w21003"), 0.8, 2, 5, 0, 0.5, "below-50", true, "largest", 1.4),
            new(WaterMn, "w21011", WaterKg("w21011"), 0.25, WaterMean("w21011"), 0.5, 1, 1, "exceeding", false, "not-among-largest", 1.4),

            // NOx 8,049.6 kg / 0.95 ≈ 8,473 eq, SO2 ≈ 2,819, 烟尘 1,607 / 2.18 ≈ 737, CO 5,357 / 16.7 ≈ 321: CO is the fourth.
            new(GasMn, "a21002", GasKg("a21002"), 0.95, GasMean("a21002"), 50, 1, 1, "exceeding", true, "largest", 1.2),
            new(GasMn, "a21005", GasKg("a21005"), 16.7, 20, 100, 0, 0.5, "below-50", false, "not-among-largest", 1.2),
            new(GasMn, "a21026", GasKg("a21026"), 0.95, 10, 35, 0, 0.5, "below-50", true, "largest", 1.2),
            new(GasMn, "a34013", GasKg("a34013"), 2.18, 6, 10, 0, 0.75, "below-70", true, "largest", 1.2),
        ];
    }

    [Fact]
    public async Task AMonthsTax_EqualsTheFiguresWrittenFromTheValuesSent_ThroughTheApiAndTheCommandLine()
    {
        await using var service = await StartAsync();
        using var op = ApiCalls.Client(service.HttpBase, Operator);
        var response = await op.GetAsync(new Uri("/api/tax?month=2025-08&limit=1000", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
        var expected = ExpectedRows();
        Assert.Equal(expected.Select(e => (e.Mn, e.Code)), rows.Select(r => (r.GetProperty("mn").GetString()!, r.GetProperty("pollutant").GetString()!)));
        foreach (var (e, row) in expected.Zip(rows))
        {
            string at = $"{e.Mn} {e.Code}";
            Assert.True(Math.Abs(e.Kg - row.GetProperty("kg").GetDouble()) < 1e-6, $"{at} kg {e.Kg} / {row.GetProperty("kg")}");
            Assert.True(Math.Abs(e.Equivalents - row.GetProperty("equivalents").GetDouble()) < 1e-6, $"{at} equivalents");
            Assert.True(Math.Abs(e.Concentration - row.GetProperty("monthlyConcentration").GetDouble()) < 1e-9, $"{at} concentration {row.GetProperty("monthlyConcentration")}");
            Assert.True(Math.Abs((e.Concentration / e.Limit) - row.GetProperty("ratio").GetDouble()) < 1e-9, $"{at} ratio");
            Assert.Equal((e.Limit, e.Exceeding, e.Reduction, e.ReductionReason, e.Taxed, e.TaxedReason, e.Rate, e.TaxYuan, "2025-08", true),
                (row.GetProperty("limit").GetDouble(), row.GetProperty("exceedingPeriods").GetInt32(), row.GetProperty("reduction").GetDouble(),
                    row.GetProperty("reductionReason").GetString(), row.GetProperty("taxed").GetBoolean(), row.GetProperty("taxedReason").GetString(),
                    row.GetProperty("rate").GetDouble(), row.GetProperty("taxYuan").GetDouble(), row.GetProperty("month").GetString(), row.GetProperty("monitoringUsable").GetBoolean()));
        }

        // Enterprise and month totals: the taxed rows summed.
        var byEnterprise = JsonDocument.Parse(await op.GetStringAsync(new Uri("/api/tax?month=2025-08&by=enterprise", UriKind.Relative))).RootElement.EnumerateArray().ToList();
        Assert.Equal(["T-GAS-001", "T-WAT-001"], byEnterprise.Select(r => r.GetProperty("enterprise").GetString()).Order(StringComparer.Ordinal));
        foreach (var row in byEnterprise)
        {
            string mn = row.GetProperty("enterprise").GetString() == "T-GAS-001" ? GasMn : WaterMn;
            var taxed = expected.Where(e => e.Mn == mn && e.Taxed).ToList();
            Assert.Equal(Math.Round(taxed.Sum(e => e.TaxYuan), 2), row.GetProperty("taxYuan").GetDouble(), 6);
            Assert.Equal(taxed.Count, row.GetProperty("items").GetInt32());
            Assert.Equal(1, row.GetProperty("outlets").GetInt32());
            Assert.Equal(taxed.Sum(e => e.Equivalents), row.GetProperty(mn == GasMn ? "airEquivalents" : "waterEquivalents").GetDouble(), 6);
        }

        var month = JsonDocument.Parse(await op.GetStringAsync(new Uri("/api/tax?month=2025-08&by=province", UriKind.Relative))).RootElement.EnumerateArray().Single();
        Assert.Equal(Math.Round(expected.Where(e => e.Taxed).Sum(e => e.TaxYuan), 2), month.GetProperty("taxYuan").GetDouble(), 6);

        // The command line gives the same table.
        string config = Path.Combine(Path.GetDirectoryName(service.DataDirectory)!, "config");
        var cli = await CliRunner.RunAsync(["report", "tax", "--month", "2025-08", "--format", "json", "--config", config, "--data", service.DataDirectory]);
        Assert.True(cli.ExitCode == 0, cli.StdErr);
        Assert.Equal(JsonDocument.Parse(await op.GetStringAsync(new Uri("/api/tax?month=2025-08&limit=1000", UriKind.Relative))).RootElement.ToString(),
            JsonDocument.Parse(cli.StdOut).RootElement.ToString());
        var byCity = await CliRunner.RunAsync(["report", "tax", "--month", "2025-08", "--by", "city", "--config", config, "--data", service.DataDirectory, "--lang", "zh"]);
        Assert.True(byCity.ExitCode == 0, byCity.StdErr);
        Assert.Contains("应纳税额(元)", byCity.StdOut, StringComparison.Ordinal);
        Assert.Contains("海东市", byCity.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEnterpriseSeesItsOwnTax_TheWorkbookSpeaksChinese_AndABadMonthIsRefusedByName()
    {
        await using var service = await StartAsync();
        using var mine = ApiCalls.Client(service.HttpBase, GasUser);
        var own = JsonDocument.Parse(await mine.GetStringAsync(new Uri("/api/tax?month=2025-08", UriKind.Relative))).RootElement.EnumerateArray().ToList();
        Assert.Equal(4, own.Count);
        Assert.All(own, r => Assert.Equal(GasMn, r.GetProperty("mn").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await mine.GetAsync(new Uri("/api/tax?month=2025-08&enterprise=T-WAT-001", UriKind.Relative))).StatusCode);

        // The rules in force, as the page shows them: the national minimums unless a province's are configured.
        var rules = JsonDocument.Parse(await mine.GetStringAsync(new Uri("/api/tax/rates", UriKind.Relative))).RootElement;
        Assert.Equal((JsonValueKind.Null, 1.2, 1.4, 3, 0.95), (rules.GetProperty("name").ValueKind, rules.GetProperty("airRate").GetDouble(),
            rules.GetProperty("waterRate").GetDouble(), rules.GetProperty("airItems").GetInt32(), rules.GetProperty("equivalents").GetProperty("a21026").GetDouble()));

        using var op = ApiCalls.Client(service.HttpBase, Operator);
        foreach (var (query, parameter) in new[] { ("month=2025-13", "month"), ("month=August", "month"), ("month=2025-08&from=2025-08-01", "month"), ("month=2025-08&by=pollutant", "by"),
            ("month=2025-08&mn=NOPE", "mn") })
        {
            var bad = await op.GetAsync(new Uri("/api/tax?" + query, UriKind.Relative));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains(parameter, await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var xlsx = await op.GetAsync(new Uri("/api/tax?month=2025-08&format=xlsx&lang=zh", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        var book = Api.XlsxExportTests.Workbook.Read(await xlsx.Content.ReadAsByteArrayAsync());
        var text = string.Join("|", Enumerable.Range(1, 20).SelectMany(r => Enumerable.Range(0, 30).Select(c => book.Text((uint)r, c))));
        Assert.Contains("环境保护税预核算", text, StringComparison.Ordinal);
        Assert.Contains("应纳税额(元)", text, StringComparison.Ordinal);
        Assert.Contains("当月有超标时段，不减征", text, StringComparison.Ordinal);
        Assert.Contains(ExpectedRows().Single(e => e.Code == "a21002").TaxYuan.ToString(CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
    }
}
