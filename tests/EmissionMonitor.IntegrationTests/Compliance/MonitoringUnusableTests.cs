using System.Text;
using System.Text.Json;
using EmissionMonitor.Hj212.Encoders;

namespace EmissionMonitor.IntegrationTests.Compliance;

/// <summary>
/// The 25 % rule at its boundary, through <c>import</c> and <c>report</c>: a quarter of a gas outlet
/// whose missing hours are exactly a quarter of the expected ones stands as the actual emissions; one
/// hour more and it does not — the totals row says so, and (Cards:MonitoringUnusable) the quarter's
/// card names <c>monitoring-unusable</c>. Every hour carries the same concentration and flow, so each filled
/// hour is worth the same kg whatever rule fills it: 20 mg/m³ × 100 m³/s × 3600 s × 10⁻⁶ = 7.2 kg.
/// </summary>
public sealed class MonitoringUnusableTests
{
    private const int Hours = 92 * 24;
    private const double HourKg = 20 * 100 * 3600 * 1e-6;

    private static async Task<(string Config, string Data)> QuarterAsync(int missing)
    {
        string root = Some.TempDirectory();
        string config = Path.Combine(root, "config"), data = Path.Combine(root, "data"), file = Path.Combine(root, "q3.h212");
        Directory.CreateDirectory(config);
        await File.WriteAllTextAsync(Path.Combine(config, "stations.json"), Some.RegistryJson);
        await File.WriteAllTextAsync(Path.Combine(config, "appsettings.json"), """{ "Cards": { "MonitoringUnusable": true } }""");
        var frames = new StringBuilder();
        for (int h = 0; h < Hours; h++)
        {
            if (h >= 1000 && h < 1000 + missing)
            {
                continue; // one outage in the middle of the quarter
            }

            frames.Append(new Hj212Builder { Qn = "20250701000000000", St = "31", Cn = "2061", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
                .DataTime(new DateTime(2025, 7, 1).AddHours(h))
                .Value("a21026", "Avg", 20m).Value("a21026", "Flag", "N").Value("a21002", "Avg", 20m).Value("a21002", "Flag", "N")
                .Value("a34013", "Avg", 5m).Value("a34013", "Flag", "N").Value("a00000", "Avg", 100m).Value("a00000", "Flag", "N").Build().ToString());
        }

        await File.WriteAllTextAsync(file, frames.ToString());
        var import = await CliRunner.RunAsync(["import", file, "--config", config, "--data", data]);
        Assert.True(import.ExitCode == 0, import.StdErr);
        return (config, data);
    }

    private static async Task<JsonElement> Report(string config, string data, params string[] args)
    {
        var result = await CliRunner.RunAsync(["report", .. args, "--quarter", "2025Q3", "--format", "json", "--config", config, "--data", data]);
        Assert.True(result.ExitCode == 0, result.StdErr);
        return JsonDocument.Parse(result.StdOut).RootElement;
    }

    [Theory]
    [InlineData(Hours / 4, true)]
    [InlineData((Hours / 4) + 1, false)]
    public async Task AQuarterMissingMoreThanAQuarter_CannotStandAsTheEmissions(int missing, bool usable)
    {
        var (config, data) = await QuarterAsync(missing);
        var so2 = (await Report(config, data, "totals", "--mn", "QHXN0010001", "--pollutant", "a21026")).EnumerateArray().Single();
        Assert.Equal((Hours - missing) * HourKg, so2.GetProperty("kg").GetDouble(), 6);
        Assert.Equal(missing * HourKg, so2.GetProperty("substitutedKg").GetDouble(), 6);
        Assert.Equal(missing, so2.GetProperty("substitutedHours").GetInt32());
        Assert.Equal(Hours * HourKg, so2.GetProperty("reportedKg").GetDouble(), 6);
        Assert.Equal((double)missing / Hours, so2.GetProperty("missingShare").GetDouble(), 12);
        Assert.Equal(usable, so2.GetProperty("monitoringUsable").GetBoolean());

        var cards = await Report(config, data, "cards");
        var reasons = cards.EnumerateArray().Where(c => c.GetProperty("enterprise").GetString() == "QH-XN-001")
            .SelectMany(c => c.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!)).ToList();
        string share = (100.0 * missing / Hours).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(usable ? [] : [$"monitoring-unusable:a21002:QHXN0010001:{share}%>25%", $"monitoring-unusable:a21026:QHXN0010001:{share}%>25%"], reasons.Order(StringComparer.Ordinal));

        // The water works sent nothing all quarter: both its totalled pollutants are unusable.
        var water = cards.EnumerateArray().Single(c => c.GetProperty("enterprise").GetString() == "QH-XN-002");
        Assert.Equal(["monitoring-unusable:w01018:QHXN0020001:100.00%>25%", "monitoring-unusable:w21003:QHXN0020001:100.00%>25%"],
            water.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!));

        // People read it in words.
        var zh = await CliRunner.RunAsync(["report", "totals", "--quarter", "2025Q3", "--mn", "QHXN0010001", "--config", config, "--data", data, "--lang", "zh"]);
        Assert.Contains("自动监测数据可作为实际排放量依据", zh.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithSubstitutionOff_NothingIsAdded_ButTheRuleStillJudges()
    {
        var (config, data) = await QuarterAsync((Hours / 4) + 1);
        await File.WriteAllTextAsync(Path.Combine(config, "appsettings.json"), """{ "Totals": { "Substitution": "none" }, "Cards": { "MonitoringUnusable": true } }""");
        var so2 = (await Report(config, data, "totals", "--mn", "QHXN0010001", "--pollutant", "a21026")).EnumerateArray().Single();
        Assert.Equal(0, so2.GetProperty("substitutedKg").GetDouble());
        Assert.Equal(so2.GetProperty("kg").GetDouble(), so2.GetProperty("reportedKg").GetDouble());
        Assert.False(so2.GetProperty("monitoringUsable").GetBoolean());
    }
}
