using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using EmissionMonitor.IntegrationTests.Ingestion;

namespace EmissionMonitor.IntegrationTests.Dashboard;

/// <summary>
/// The dashboard in Debian's headless Chromium, driven by playwright-core (tests/browser/dashboard.mjs)
/// against the running demo: live alert board, acknowledging, outlet charts with data points, the
/// exceedance filter and CSV download, the overview and the card list. Screenshots go to
/// EM_SCREENSHOTS (docs/screenshots when refreshing the README's pictures) or a temporary folder.
/// </summary>
public sealed class BrowserTests
{
    [Fact]
    public async Task Dashboard_OnTheDemo_WorksInARealBrowser()
    {
        string root = RepositoryRoot();
        // The demo's city targets (its first year's), for this year: the barometer page has figures.
        var settings = new Dictionary<string, string?> { ["Demo:BackfillHours"] = "48", ["Alerts:RequireComment"] = "true" }; // as the service ships: acknowledging asks what was checked
        var targets = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(root, "config", "demo", "appsettings.json"))).RootElement
            .GetProperty("Compliance").GetProperty("CityTargets").EnumerateObject().First().Value;
        int year = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).Year;
        foreach (var city in targets.EnumerateObject())
        {
            foreach (var code in city.Value.EnumerateObject())
            {
                settings[$"Compliance:CityTargets:{year}:{city.Name}:{code.Name}"] = code.Value.GetRawText();
            }
        }

        // And its province caps: the overview draws this year's totals against them.
        foreach (var cap in JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(root, "config", "demo", "appsettings.json"))).RootElement
            .GetProperty("Compliance").GetProperty("ProvinceCaps").EnumerateObject().First().Value.EnumerateObject())
        {
            settings[$"Compliance:ProvinceCaps:{year}:{cap.Name}"] = cap.Value.GetRawText();
        }

        await using var service = await ServiceFixture.StartAsync(settings, registryPath: Path.Combine(root, "config", "demo", "stations.json"), demo: true);
        using var http = new HttpClient { BaseAddress = service.HttpBase };
        // Wait for the simulator's 48 hours of history to be in: the hourly count stops growing
        // (live hourly records only come at the full hour).
        int last = -1, stableFor = 0;
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (stableFor < 4 && DateTime.UtcNow < deadline)
        {
            int received = (await http.GetFromJsonAsync<JsonElement>("/api/rates?by=province"))[0].GetProperty("received").GetInt32();
            stableFor = received == last && received >= 80 * 40 ? stableFor + 1 : 0;
            last = received;
            await Task.Delay(500);
        }

        Assert.True(stableFor >= 4, $"the demo history did not settle ({last} hourly records)");

        var stations = await http.GetFromJsonAsync<JsonElement>("/api/stations");
        var outlet = stations.EnumerateArray().SelectMany(e => e.GetProperty("outlets").EnumerateArray())
            .First(o => o.GetProperty("limits").TryGetProperty("a21026", out _));
        string mn = outlet.GetProperty("mn").GetString()!;
        string password = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(root, "config", "demo", "stations.json"))).RootElement
            .GetProperty("enterprises").EnumerateArray().SelectMany(e => e.GetProperty("outlets").EnumerateArray())
            .Single(o => o.GetProperty("mn").GetString() == mn).GetProperty("password").GetString()!;
        string shots = Environment.GetEnvironmentVariable("EM_SCREENSHOTS") ?? Some.TempDirectory();

        string output = await RunNodeAsync(root, "dashboard.mjs", service.HttpBase.ToString().TrimEnd('/'),
            service.GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture), mn, password, "a21026", shots);
        Assert.Contains("ok  acknowledging without a comment is refused and the dialog stays", output, StringComparison.Ordinal);
        Assert.Contains("ok  the board shows the last step, its comment and verdict in Chinese", output, StringComparison.Ordinal);
        Assert.Contains("ok  disposing and making an order are recorded on the board", output, StringComparison.Ordinal);
        Assert.Contains("ok  the handling page lists figures by city and kind", output, StringComparison.Ordinal);
        Assert.Contains("ok  the data query lists", output, StringComparison.Ordinal);
        Assert.Contains("ok  flags are named in the user's language", output, StringComparison.Ordinal);
        Assert.Contains("ok  the validity view's totals equal report hours", output, StringComparison.Ordinal);
        Assert.Contains("ok  a card is confirmed through its button with a comment", output, StringComparison.Ordinal);
        Assert.Contains("ok  publishing a quarter that has not ended asks first", output, StringComparison.Ordinal);
        Assert.Contains("ok  the wall carries every key figure", output, StringComparison.Ordinal);
        Assert.Contains("ok  the wall's key figures are at least 48 px at 1920×1080", output, StringComparison.Ordinal);
        Assert.Contains("ok  the wall's critical count follows a cleared alert without reload", output, StringComparison.Ordinal);
        Assert.Contains("ok  the alert is said in Chinese from its messageKey", output, StringComparison.Ordinal);
        Assert.Contains("ok  the board names the pollutant (二氧化硫), not its code", output, StringComparison.Ordinal);
        Assert.Contains("ok  a command sent from the outlet page ends done without reload", output, StringComparison.Ordinal);
        Assert.Contains("ok  the barometer shows the province and the eight prefectures", output, StringComparison.Ordinal);
        Assert.Contains("ok  and closes it with a comment", output, StringComparison.Ordinal);
        Assert.Contains("ok  a quarter with markup in the URL injects nothing", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(shots, "outlet.png")));

        // Every page, both languages, the drill-down and an Excel download.
        string pages = await RunNodeAsync(root, "pages.mjs", service.HttpBase.ToString().TrimEnd('/'), shots);
        Assert.Contains("ok  every page is a #/… link of the navigation", pages, StringComparison.Ordinal);
        foreach (string size in new[] { "1920×1080", "1440×900", "390×844" })
        {
            foreach (string lang in new[] { "zh", "en" })
            {
                foreach (string hash in new[] { "#/", "#/alerts", "#/exceedances", "#/data", "#/publish", "#/marks" })
                {
                    Assert.Contains($"ok  {hash} ({lang}, {size}) is no wider than the screen", pages, StringComparison.Ordinal);
                    Assert.Contains($"ok  {hash} ({lang}, {size}) shows no null, undefined or NaN", pages, StringComparison.Ordinal);
                }
            }

            Assert.Contains($"ok  #/totals (zh, {size}) shows no English enumeration word", pages, StringComparison.Ordinal);
            Assert.Contains($"ok  #/handling (en, {size}) has an English navigation", pages, StringComparison.Ordinal);
        }

        Assert.Contains("ok  #/cards (zh, 390×844) has a header of at most 64 px", pages, StringComparison.Ordinal);
        Assert.Contains("ok  the phone's menu opens the navigation", pages, StringComparison.Ordinal);
        Assert.Contains("ok  the overview drills down to", pages, StringComparison.Ordinal);
        Assert.Contains("ok  its cells are typed", pages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_WithApiUsers_LogsInWithAnHttpOnlyCookie()
    {
        string root = RepositoryRoot();
        const string token = "operator-token-browser";
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Api:Users:0:Token"] = token, ["Api:Users:0:Role"] = "operator", ["Api:Users:0:Name"] = "值班员",
        });
        string output = await RunNodeAsync(root, "session.mjs", service.HttpBase.ToString().TrimEnd('/'), token);
        Assert.Contains("ok  the credential is an HttpOnly, SameSite=Strict cookie", output, StringComparison.Ordinal);
        Assert.Contains("ok  logging out ends the session", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_EnterpriseFilesAndAnswers_OperatorReviews()
    {
        string root = RepositoryRoot();
        const string op = "operator-token-browser", enterprise = "enterprise-token-browser";
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Api:Users:0:Token"] = op, ["Api:Users:0:Role"] = "operator", ["Api:Users:0:Name"] = "值班员",
            ["Api:Users:1:Token"] = enterprise, ["Api:Users:1:Role"] = "enterprise", ["Api:Users:1:Enterprise"] = "QH-XN-001", ["Api:Users:1:Name"] = "热电厂环保专员",
        });
        string shots = Environment.GetEnvironmentVariable("EM_SCREENSHOTS") ?? Some.TempDirectory();
        string output = await RunNodeAsync(root, "review.mjs", service.HttpBase.ToString().TrimEnd('/'), op, enterprise, "QHXN0010001", "QHXN0020001", shots);
        Assert.Contains("ok  the enterprise files a mark with evidence: pending, 待审核", output, StringComparison.Ordinal);
        Assert.Contains("ok  the operator approves it from the review queue, with a comment", output, StringComparison.Ordinal);
        Assert.Contains("ok  the enterprise files manual data with its report: pending", output, StringComparison.Ordinal);
        Assert.Contains("ok  the enterprise home lists its manual data awaiting review, with withdraw", output, StringComparison.Ordinal);
        Assert.Contains("ok  the operator approves manual data from the review queue; its hours count as manual data", output, StringComparison.Ordinal);
        Assert.Contains("ok  the enterprise answers the order with a PDF from its page", output, StringComparison.Ordinal);
        Assert.Contains("ok  the operator closes the answered order from the review queue", output, StringComparison.Ordinal);
        Assert.Contains("ok  the enterprise home shows its own outlet and not the other enterprise", output, StringComparison.Ordinal);
        Assert.Contains("ok  an enterprise sees its own home and no barometer in its navigation", output, StringComparison.Ordinal);
    }

    internal static async Task<string> RunNodeAsync(string root, params string[] args)
    {
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.Combine(root, "tests", "browser") };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var node = Process.Start(psi)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token);
        string output = await stdout + await stderr;
        Assert.True(node.ExitCode == 0, output);
        return output;
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EmissionMonitor.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("repository root not found");
    }
}
