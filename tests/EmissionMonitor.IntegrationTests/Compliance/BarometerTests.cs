using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EmissionMonitor.Alerts;
using EmissionMonitor.Hj212.Encoders;
using Microsoft.Extensions.DependencyInjection;

namespace EmissionMonitor.IntegrationTests.Compliance;

/// <summary>
/// The city target barometer (晴雨表) against figures computed here by hand from the data the test
/// writes: January of a year, every hour, SO2 2 kg and COD 0.5 kg an hour, both outlets in 西宁市.
/// </summary>
public sealed class BarometerTests
{
    private const int Hours = 31 * 24;

    private static string Frames(int year)
    {
        var frames = new StringBuilder();
        for (var t = new DateTime(year, 1, 1); t < new DateTime(year, 2, 1); t = t.AddHours(1))
        {
            frames.Append(new Hj212Builder { St = "31", Cn = "2061", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
                .DataTime(t).Value("a21026", "Avg", 20m).Value("a21026", "Cou", 2m).Value("a21026", "Flag", "N").Build().ToString());
            frames.Append(new Hj212Builder { St = "32", Cn = "2061", Pw = "654321", Mn = "QHXN0020001", Flag = 4 }
                .DataTime(t).Value("w01018", "Avg", 20m).Value("w01018", "Cou", 0.5m).Value("w01018", "Flag", "N").Build().ToString());
        }

        return frames.ToString();
    }

    private static Dictionary<string, string?> Targets(int year) => new()
    {
        [$"Compliance:CityTargets:{year}:西宁市:a21026"] = "1.2", // 1,488 kg by the end of January: red
        [$"Compliance:CityTargets:{year}:西宁市:w01018"] = "0.38", // 372 kg: yellow (0.979)
        [$"Compliance:CityTargets:{year}:海东市:a21026"] = "5", // no enterprise there: nothing emitted, green
    };

    private static async Task<(string Config, string Data)> PrepareAsync(int year, Dictionary<string, string?> settings)
    {
        var (config, data, file) = await ConfigureAsync(settings);
        await File.WriteAllTextAsync(file, Frames(year));
        var import = await CliRunner.RunAsync(["import", file, "--config", config, "--data", data]);
        Assert.True(import.ExitCode == 0, import.StdErr);
        return (config, data);
    }

    private static async Task<(string Config, string Data, string File)> ConfigureAsync(Dictionary<string, string?> settings)
    {
        string root = Some.TempDirectory();
        string config = Path.Combine(root, "config"), data = Path.Combine(root, "data"), file = Path.Combine(root, "frames.h212");
        Directory.CreateDirectory(config);
        await File.WriteAllTextAsync(Path.Combine(config, "stations.json"), Some.RegistryJson);
        var json = new Dictionary<string, object>();
        foreach (var (key, value) in settings)
        {
            var parts = key.Split(':');
            var node = json;
            foreach (var part in parts[..^1])
            {
                node = (Dictionary<string, object>)(node.TryGetValue(part, out var child) ? child : node[part] = new Dictionary<string, object>());
            }

            node[parts[^1]] = double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double number) ? number : value!;
        }

        await File.WriteAllTextAsync(Path.Combine(config, "appsettings.json"), JsonSerializer.Serialize(json));
        return (config, data, file);
    }

    [Fact]
    public async Task APastYear_GivesTheFiguresAHandComputationGives_ForEachCityAndTheProvince()
    {
        // January's data of a past year: with substitution on, February to December would be gaps filled
        // for totals; this test is about the barometer's arithmetic on the measured kg.
        var (config, data) = await PrepareAsync(2025, new Dictionary<string, string?>(Targets(2025)) { ["Totals:Substitution"] = "none" });
        var result = await CliRunner.RunAsync(["report", "barometer", "--year", "2025", "--format", "json", "--config", config, "--data", data]);
        Assert.True(result.ExitCode == 0, result.StdErr);
        var rows = JsonDocument.Parse(result.StdOut).RootElement.EnumerateArray()
            .ToDictionary(r => (r.GetProperty("city").GetString() ?? "province", r.GetProperty("pollutant").GetString()!), r => r.Clone());
        Assert.Equal(5, rows.Count); // 西宁市 ×2, 海东市, the province ×2

        void Expect(string city, string code, double allocationKg, double ytdKg, string level)
        {
            var r = rows[(city, code)];
            Assert.Equal(allocationKg, r.GetProperty("allocationKg").GetDouble(), 3);
            Assert.Equal(ytdKg, r.GetProperty("ytdKg").GetDouble(), 3);
            Assert.Equal(allocationKg, r.GetProperty("expectedToDateKg").GetDouble(), 3); // a past year: all of it was expected
            Assert.Equal(Math.Round(ytdKg / allocationKg, 4), r.GetProperty("progress").GetDouble(), 4);
            Assert.Equal(ytdKg, r.GetProperty("projectedKg").GetDouble(), 3);
            Assert.Equal(level, r.GetProperty("level").GetString());
        }

        Expect("西宁市", "a21026", 1200, 2.0 * Hours, "red");
        Expect("西宁市", "w01018", 380, 0.5 * Hours, "yellow");
        Expect("海东市", "a21026", 5000, 0, "green");
        Expect("province", "a21026", 6200, 2.0 * Hours, "green");
        Expect("province", "w01018", 380, 0.5 * Hours, "yellow");
        // The rate is the year's last quarter's: nothing was sent in 2025Q4.
        Assert.Equal(0, rows[("西宁市", "a21026")].GetProperty("effectiveRate").GetDouble());
        Assert.True(rows[("西宁市", "a21026")].GetProperty("belowThreshold").GetBoolean());

        // A year that has not begun: nothing expected, no progress, green.
        var (futureConfig, futureData) = await PrepareAsync(2025, Targets(2099));
        var future = await CliRunner.RunAsync(["report", "barometer", "--year", "2099", "--format", "json", "--config", futureConfig, "--data", futureData]);
        var first = JsonDocument.Parse(future.StdOut).RootElement[0];
        Assert.Equal((0.0, JsonValueKind.Null, "green"), (first.GetProperty("ytdKg").GetDouble(), first.GetProperty("progress").ValueKind, first.GetProperty("level").GetString()));
        Assert.Equal(2, (await CliRunner.RunAsync(["report", "barometer", "--year", "20x5", "--config", config, "--data", data])).ExitCode);
    }

    [Fact]
    public async Task ABadTarget_StopsStartUp_NamingTheKey()
    {
        foreach (var (key, value) in new[] { ("Compliance:CityTargets:2025:西宁市:a34013", "3"), ("Compliance:CityTargets:2025:西宁市:a21026", "-1") })
        {
            var (config, data, _) = await ConfigureAsync(new() { [key] = value });
            var result = await CliRunner.RunAsync(["report", "barometer", "--year", "2025", "--config", config, "--data", data]);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains(key, result.StdErr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheService_ServesTheBarometer_AndRaisesABarometerAlertPerCityAndPollutantBeyondGreen()
    {
        int year = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).Year;
        var values = new Dictionary<string, string?>(Targets(year))
        {
            ["Barometer:CheckInterval"] = "00:00:01",
            ["Alerts:SilentAfter"] = "00:00:02", // the alert service's tick (a quarter of it) runs the check
            ["Api:Users:0:Token"] = "operator-token-1", ["Api:Users:0:Role"] = "operator",
            ["Api:Users:1:Token"] = "enterprise-token-1", ["Api:Users:1:Role"] = "enterprise", ["Api:Users:1:Enterprise"] = "QH-XN-001",
        };
        // This January's data, tiny targets: far ahead of the pace.
        values[$"Compliance:CityTargets:{year}:西宁市:a21026"] = "0.001";
        await using var service = await ServiceFixture.StartAsync(values, prepare: async (config, data) =>
        {
            string file = Path.Combine(Some.TempDirectory(), "frames.h212");
            await File.WriteAllTextAsync(file, Frames(year));
            Assert.Equal(0, (await CliRunner.RunAsync(["import", file, "--config", config, "--data", data])).ExitCode);
        });
        var alerts = service.App.Services.GetRequiredService<AlertService>();
        await Waiting.UntilAsync(() => alerts.List(null).Any(a => a.IsOpen && a.Kind == "barometer" && a.Pollutant == "a21026"), 20_000);
        var alert = alerts.List(null).Single(a => a.Kind == "barometer" && a.Pollutant == "a21026");
        Assert.Equal(("西宁市", "西宁市"), (alert.Mn, alert.City));
        Assert.Contains("red", alert.Message, StringComparison.Ordinal);

        using var http = new HttpClient { BaseAddress = service.HttpBase };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "operator-token-1");
        var rows = JsonDocument.Parse(await http.GetStringAsync($"/api/barometer?year={year}")).RootElement;
        Assert.Contains(rows.EnumerateArray(), r => r.GetProperty("city").GetString() == "西宁市" && r.GetProperty("level").GetString() == "red");
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/barometer?year=abc")).StatusCode);
        Assert.StartsWith("city,pollutant,allocationKg", (await http.GetStringAsync($"/api/barometer?year={year}&format=csv&columns=raw")).TrimStart('\uFEFF'), StringComparison.Ordinal);
        using var enterprise = new HttpClient { BaseAddress = service.HttpBase };
        enterprise.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "enterprise-token-1");
        Assert.Equal(HttpStatusCode.Forbidden, (await enterprise.GetAsync($"/api/barometer?year={year}")).StatusCode);
    }
}
