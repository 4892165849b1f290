using System.Text;
using System.Text.Json;
using EmissionMonitor.Hj212.Encoders;

namespace EmissionMonitor.IntegrationTests.Compliance;

/// <summary>
/// <c>report means</c> and <c>GET /api/means</c>: daily means valid with 20 valid hours, an invalid
/// day shown with its counts and no mean; pages read with X-Total-Count; a people's download in words.
/// </summary>
public sealed class MeansTests
{
    /// <summary>Three days of SO2 at 20 (the second day 19 hours only) and NOx at 30.</summary>
    private static string Frames()
    {
        var frames = new StringBuilder();
        for (int h = 0; h < 72; h++)
        {
            if (h >= 24 && h < 29)
            {
                continue; // day two: 19 hours
            }

            frames.Append(new Hj212Builder { Qn = "20250701000000000", St = "31", Cn = "2061", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
                .DataTime(new DateTime(2025, 7, 1).AddHours(h))
                .Value("a21026", "Avg", 20m).Value("a21026", "Flag", "N").Value("a21002", "Avg", 30m).Value("a21002", "Flag", "N").Build().ToString());
        }

        return frames.ToString();
    }

    [Fact]
    public async Task DailyMeans_NeedTwentyValidHours_AndAnInvalidDayKeepsItsCounts()
    {
        string root = Some.TempDirectory();
        string config = Path.Combine(root, "config"), data = Path.Combine(root, "data"), file = Path.Combine(root, "days.h212");
        Directory.CreateDirectory(config);
        await File.WriteAllTextAsync(Path.Combine(config, "stations.json"), Some.RegistryJson);
        await File.WriteAllTextAsync(file, Frames());
        Assert.Equal(0, (await CliRunner.RunAsync(["import", file, "--config", config, "--data", data])).ExitCode);

        var result = await CliRunner.RunAsync(["report", "means", "--period", "day", "--from", "2025-07-01", "--to", "2025-07-04", "--mn", "QHXN0010001",
            "--pollutant", "a21026", "--format", "json", "--config", config, "--data", data]);
        Assert.True(result.ExitCode == 0, result.StdErr);
        var rows = JsonDocument.Parse(result.StdOut).RootElement.EnumerateArray().ToList();
        Assert.Equal(["2025-07-01", "2025-07-02", "2025-07-03"], rows.Select(r => r.GetProperty("period").GetString()));
        Assert.Equal(20, rows[0].GetProperty("mean").GetDouble(), 9);
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("mean").ValueKind);
        Assert.False(rows[1].GetProperty("valid").GetBoolean());
        Assert.Equal((19, 20), (rows[1].GetProperty("validCount").GetInt32(), rows[1].GetProperty("requiredCount").GetInt32()));

        // A month of three days: each of them must be valid; one is not.
        var month = await CliRunner.RunAsync(["report", "means", "--period", "month", "--from", "2025-07-01", "--to", "2025-07-04", "--mn", "QHXN0010001",
            "--pollutant", "a21026", "--format", "json", "--config", config, "--data", data]);
        var m = JsonDocument.Parse(month.StdOut).RootElement.EnumerateArray().Single();
        Assert.Equal(("2025-07", 2, 3), (m.GetProperty("period").GetString(), m.GetProperty("validCount").GetInt32(), m.GetProperty("requiredCount").GetInt32()));
        Assert.Equal(JsonValueKind.Null, m.GetProperty("mean").ValueKind);

        var bad = await CliRunner.RunAsync(["report", "means", "--period", "week", "--config", config, "--data", data]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--period", bad.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheApi_PagesMeans_AndDownloadsThemForPeople()
    {
        await using var service = await ServiceFixture.StartAsync(prepare: async (config, data) =>
        {
            string file = Path.Combine(Path.GetDirectoryName(config)!, "days.h212");
            await File.WriteAllTextAsync(file, Frames());
            Assert.Equal(0, (await CliRunner.RunAsync(["import", file, "--config", config, "--data", data])).ExitCode);
        });
        using var http = new HttpClient { BaseAddress = service.HttpBase };
        // The gas outlet's three pollutants and the water outlet's three, three days each: 18 rows.
        var page = await http.GetAsync("/api/means?from=2025-07-01&to=2025-07-04&limit=4&offset=7");
        Assert.True(page.IsSuccessStatusCode, await page.Content.ReadAsStringAsync());
        Assert.Equal("18", page.Headers.GetValues("X-Total-Count").Single());
        var rows = JsonDocument.Parse(await page.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal(("QHXN0010001", "a34013", "2025-07-02"), (rows[0].GetProperty("mn").GetString(), rows[0].GetProperty("pollutant").GetString(), rows[0].GetProperty("period").GetString()));
        Assert.Equal("QHXN0020001", rows[3].GetProperty("mn").GetString());

        var book = Api.XlsxExportTests.Workbook.Read(await http.GetByteArrayAsync("/api/means?from=2025-07-01&to=2025-07-04&period=day&mn=QHXN0010001&format=xlsx&lang=zh"));
        var header = book.Row(4);
        Assert.Contains("均值", header);
        Assert.Contains("日均值", book.Row(5));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.GetAsync("/api/means?period=week")).StatusCode);
    }
}
