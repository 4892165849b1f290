using System.Text;
using System.Text.Json;
using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.IntegrationTests.Api;

namespace EmissionMonitor.IntegrationTests.Registry;

/// <summary>
/// Permit numbers and outlet codes (issue: figures a bureau can sign, item 6): every report row names
/// them beside the enterprise and the outlet, <c>--permit</c>/<c>permit=</c> and <c>--code</c>/<c>code=</c>
/// filter by them (an unknown one is a usage error naming the option), and a people's download
/// shows them beside the names.
/// </summary>
public sealed class IdentifierTests
{
    private const string GasPermit = "91630100MA752XYZ1K001P";
    private const string WaterPermit = "91630100MA752ABC2L001P";

    private static readonly string Registry = Some.RegistryJson
        .Replace("\"industry\": \"thermal-power\",", $"\"industry\": \"thermal-power\", \"permitNumber\": \"{GasPermit}\",", StringComparison.Ordinal)
        .Replace("\"industry\": \"wastewater\",", $"\"industry\": \"wastewater\", \"permitNumber\": \"{WaterPermit}\",", StringComparison.Ordinal)
        .Replace("\"name\": \"1号锅炉排口\",", "\"name\": \"1号锅炉排口\", \"code\": \"DA001\",", StringComparison.Ordinal)
        .Replace("\"name\": \"总排口\",", "\"name\": \"总排口\", \"code\": \"DW001\",", StringComparison.Ordinal);

    private static async Task<(string Config, string Data)> ImportedAsync()
    {
        string root = Some.TempDirectory();
        string config = Path.Combine(root, "config"), data = Path.Combine(root, "data"), file = Path.Combine(root, "day.h212");
        Directory.CreateDirectory(config);
        await File.WriteAllTextAsync(Path.Combine(config, "stations.json"), Registry);
        await File.WriteAllTextAsync(file, Frames());
        var import = await CliRunner.RunAsync(["import", file, "--config", config, "--data", data]);
        Assert.True(import.ExitCode == 0, import.StdErr);
        return (config, data);
    }

    private static string Frames()
    {
        var frames = new StringBuilder();
        for (int h = 0; h < 24; h++)
        {
            var at = new DateTime(2025, 7, 1).AddHours(h);
            frames.Append(new Hj212Builder { Qn = "20250701000000000", St = "31", Cn = "2061", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }.DataTime(at)
                .Value("a21026", "Avg", 20m).Value("a21026", "Cou", 1.0m).Value("a21026", "Flag", "N").Build().ToString());
            frames.Append(new Hj212Builder { Qn = "20250701000000000", St = "32", Cn = "2061", Pw = "654321", Mn = "QHXN0020001", Flag = 4 }.DataTime(at)
                .Value("w01018", "Avg", 20m).Value("w01018", "Cou", 1.0m).Value("w01018", "Flag", "N").Build().ToString());
        }

        return frames.ToString();
    }

    [Fact]
    public async Task ReportRows_NameTheCodes_AndFilterByThem()
    {
        var (config, data) = await ImportedAsync();
        async Task<CliRunner.Result> Report(params string[] args) =>
            await CliRunner.RunAsync(["report", .. args, "--from", "2025-07-01", "--to", "2025-07-02", "--format", "json", "--config", config, "--data", data]);

        var all = JsonDocument.Parse((await Report("rates", "--by", "outlet")).StdOut).RootElement;
        Assert.Equal(2, all.GetArrayLength());
        var gas = all.EnumerateArray().Single(r => r.GetProperty("mn").GetString() == "QHXN0010001");
        Assert.Equal("DA001", gas.GetProperty("code").GetString());
        Assert.Equal(GasPermit, gas.GetProperty("permitNumber").GetString());

        var byPermit = JsonDocument.Parse((await Report("rates", "--by", "outlet", "--permit", WaterPermit)).StdOut).RootElement;
        Assert.Equal("QHXN0020001", Assert.Single(byPermit.EnumerateArray()).GetProperty("mn").GetString());
        var byCode = JsonDocument.Parse((await Report("totals", "--code", "DA001")).StdOut).RootElement;
        Assert.All(byCode.EnumerateArray(), r => Assert.Equal("QHXN0010001", r.GetProperty("mn").GetString()));
        Assert.NotEqual(0, byCode.GetArrayLength());

        var enterprises = JsonDocument.Parse((await Report("totals", "--by", "enterprise")).StdOut).RootElement;
        Assert.All(enterprises.EnumerateArray(), r =>
        {
            Assert.Equal(JsonValueKind.Null, r.GetProperty("code").ValueKind); // an enterprise row has no outlet
            Assert.Equal(r.GetProperty("enterprise").GetString() == "QH-XN-001" ? GasPermit : WaterPermit, r.GetProperty("permitNumber").GetString());
        });

        var unknown = await Report("rates", "--permit", "91630100MA752NOPE1001P");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--permit", unknown.StdErr, StringComparison.Ordinal);
        var badCode = await Report("rates", "--code", "DA999");
        Assert.Equal(2, badCode.ExitCode);
        Assert.Contains("--code", badCode.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PeoplesDownloads_ShowPermitNumberAndCodeBesideTheNames_AndTheApiFilters()
    {
        string registry = Path.Combine(Some.TempDirectory(), "stations.json");
        await File.WriteAllTextAsync(registry, Registry);
        await using var service = await ServiceFixture.StartAsync(registryPath: registry, prepare: async (config, data) =>
        {
            string file = Path.Combine(Path.GetDirectoryName(config)!, "day.h212");
            await File.WriteAllTextAsync(file, Frames());
            Assert.Equal(0, (await CliRunner.RunAsync(["import", file, "--config", config, "--data", data])).ExitCode);
        });
        using var http = new HttpClient { BaseAddress = service.HttpBase };
        var book = XlsxExportTests.Workbook.Read(await http.GetByteArrayAsync("/api/rates?from=2025-07-01&to=2025-07-02&by=outlet&format=xlsx&lang=zh"));
        var header = book.Row(4);
        Assert.Equal(["市/州", "企业名称", "企业编号", "排污许可证编号", "排口名称", "排放口编码", "排口编号(MN)"], header.Take(7));
        var rows = new[] { book.Row(5), book.Row(6) };
        Assert.Contains(rows, r => r[3] == GasPermit && r[4] == "1号锅炉排口" && r[5] == "DA001");
        Assert.Contains(rows, r => r[3] == WaterPermit && r[4] == "总排口" && r[5] == "DW001");

        var filtered = JsonDocument.Parse(await http.GetStringAsync("/api/rates?from=2025-07-01&to=2025-07-02&by=outlet&code=DW001")).RootElement;
        Assert.Equal("DW001", Assert.Single(filtered.EnumerateArray()).GetProperty("code").GetString());
        var stations = JsonDocument.Parse(await http.GetStringAsync("/api/stations")).RootElement;
        Assert.Contains(stations.EnumerateArray(), e => e.GetProperty("permitNumber").GetString() == GasPermit
            && e.GetProperty("outlets")[0].GetProperty("code").GetString() == "DA001");
        var bad = await http.GetAsync("/api/rates?permit=nope");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("permit", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
