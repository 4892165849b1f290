using System.Text;
using System.Text.Json;
using EmissionMonitor.Hj212.Encoders;

namespace EmissionMonitor.IntegrationTests.Compliance;

/// <summary>
/// Hours derived from minute records through <c>import</c> and the store's facts: 50 valid minutes
/// make a valid derived hour, 40 an invalid one (too-few-minutes); a real hourly record imported
/// later replaces the derived hour in every figure.
/// </summary>
public sealed class DerivedHourTests
{
    private static string Minutes(DateTime hour, int count) => string.Concat(Enumerable.Range(0, count).Select(m =>
        new Hj212Builder { Qn = "20250701000000000", St = "31", Cn = "2051", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }.DataTime(hour.AddMinutes(m))
            .Value("a21026", "Avg", 20m).Value("a21026", "Cou", 0.01m).Value("a21026", "Flag", "N").Build().ToString()));

    [Fact]
    public async Task MinuteRecords_CompleteTheHours_UntilARealRecordComes()
    {
        string root = Some.TempDirectory();
        string config = Path.Combine(root, "config"), data = Path.Combine(root, "data");
        Directory.CreateDirectory(config);
        await File.WriteAllTextAsync(Path.Combine(config, "stations.json"), Some.RegistryJson);
        var eight = new DateTime(2025, 7, 1, 8, 0, 0);
        async Task ImportAsync(string name, string frames)
        {
            string file = Path.Combine(root, name);
            await File.WriteAllTextAsync(file, frames);
            var import = await CliRunner.RunAsync(["import", file, "--config", config, "--data", data]);
            Assert.True(import.ExitCode == 0, import.StdErr);
        }

        async Task<List<JsonElement>> HoursAsync()
        {
            var hours = await CliRunner.RunAsync(["report", "hours", "--mn", "QHXN0010001", "--pollutant", "a21026", "--from", "2025-07-01T08:00", "--to", "2025-07-01T10:00",
                "--format", "json", "--config", config, "--data", data]);
            Assert.True(hours.ExitCode == 0, hours.StdErr);
            return JsonDocument.Parse(hours.StdOut).RootElement.EnumerateArray().ToList();
        }

        async Task<JsonElement> TotalAsync()
        {
            var totals = await CliRunner.RunAsync(["report", "totals", "--mn", "QHXN0010001", "--pollutant", "a21026", "--from", "2025-07-01T08:00", "--to", "2025-07-01T10:00",
                "--format", "json", "--config", config, "--data", data]);
            return JsonDocument.Parse(totals.StdOut).RootElement.EnumerateArray().Single();
        }

        await ImportAsync("minutes.h212", Minutes(eight, 50) + Minutes(eight.AddHours(1), 40));
        var rows = await HoursAsync();
        Assert.Equal(("valid", true, "valid"), (rows[0].GetProperty("state").GetString(), rows[0].GetProperty("derived").GetBoolean(), rows[0].GetProperty("reason").GetString()));
        Assert.Equal(("invalid", true, "too-few-minutes"), (rows[1].GetProperty("state").GetString(), rows[1].GetProperty("derived").GetBoolean(), rows[1].GetProperty("reason").GetString()));
        var total = await TotalAsync();
        Assert.Equal(0.5 + 0.4, total.GetProperty("kg").GetDouble(), 9); // the derived hours' Cou: the minutes' sums (an invalid hour's kg counts as received)
        Assert.Equal(2, total.GetProperty("hours").GetInt32());

        await ImportAsync("hourly.h212", new Hj212Builder { Qn = "20250701090000000", St = "31", Cn = "2061", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }.DataTime(eight)
            .Value("a21026", "Avg", 99m).Value("a21026", "Cou", 3m).Value("a21026", "Flag", "N").Build().ToString());
        rows = await HoursAsync();
        Assert.False(rows[0].GetProperty("derived").GetBoolean()); // the real record wins
        Assert.Equal(3 + 0.4, (await TotalAsync()).GetProperty("kg").GetDouble(), 9);
    }
}
