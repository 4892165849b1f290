using System.Globalization;
using System.Text.Json;
using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Intake;
using EmissionMonitor.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace EmissionMonitor.IntegrationTests.Api;

/// <summary>
/// The data query (<c>GET /api/outlets/{mn}/readings</c>) read a window at a time: its count, its pages
/// and its download are those of the whole period, in period order, across the windows' edges.
/// </summary>
public sealed class DataQueryTests
{
    [Fact]
    public async Task RealTimeData_PagedAndDownloaded_AcrossReadWindows_InPeriodOrder_WithTheWholeCount()
    {
        await using var service = await ServiceFixture.StartAsync();
        var registry = Some.Registry();
        var intake = new IntakeProcessor(() => registry, new IntakeOptions(), new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone(), TimeProvider.System);
        var start = new DateTime(2025, 7, 1, 0, 0, 0);
        var frames = new List<IntakeResult>();
        for (var at = start; at < start.AddHours(30); at = at.AddMinutes(20)) // three records an hour, over five windows of six hours
        {
            var b = new Hj212Builder { Qn = at.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "001", St = "31", Cn = "2011", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
                .DataTime(at).Value("a21026", "Rtd", 10m + at.Minute).Value("a21002", "Rtd", 40m + at.Hour);
            if (at.Hour == 5)
            {
                b.Value("a01012", "Rtd", 120m); // a third pollutant in the hour before the first window's edge
            }

            frames.Add(intake.Process(Some.Received(b.Build(), Transport.Import, new DateTimeOffset(at, TimeSpan.FromHours(8)))));
        }

        Assert.All(frames, f => Assert.True(f.IsAccepted, f.Detail));
        await service.App.Services.GetRequiredService<IReadingStore>().CommitAsync(frames, CancellationToken.None);
        var expected = frames.SelectMany(f => f.Readings).OrderBy(r => r.Period).ThenBy(r => r.Pollutant, StringComparer.Ordinal)
            .Select(r => $"{r.Period:yyyy-MM-ddTHH:mm} {r.Pollutant} {r.Rtd}").ToList();
        Assert.Equal(90 * 2 + 6, expected.Count); // 05:xx of both days with the third

        using var http = new HttpClient { BaseAddress = service.HttpBase };
        const string Query = "/api/outlets/QHXN0010001/readings?cn=2011&from=2025-07-01&to=2025-07-03";
        using var page = await http.GetAsync($"{Query}&offset=30&limit=20"); // readings 30–49: the first window ends at 06:00, after reading 38 (39 readings)
        page.EnsureSuccessStatusCode();
        Assert.Equal(expected.Count.ToString(CultureInfo.InvariantCulture), page.Headers.GetValues("X-Total-Count").Single());
        var rows = JsonDocument.Parse(await page.Content.ReadAsStringAsync()).RootElement.EnumerateArray()
            .Select(r => $"{r.GetProperty("period").GetString()![..16]} {r.GetProperty("pollutant").GetString()} {r.GetProperty("rtd").GetDouble()}").ToList();
        Assert.Equal(expected.Skip(30).Take(20), rows);

        // The last page is short; a page past the end is empty with the same count.
        var last = JsonDocument.Parse(await http.GetStringAsync($"{Query}&offset={expected.Count - 5}&limit=20")).RootElement;
        Assert.Equal(5, last.GetArrayLength());
        Assert.Equal(0, JsonDocument.Parse(await http.GetStringAsync($"{Query}&offset={expected.Count + 5}")).RootElement.GetArrayLength());

        // The machine download: every reading, a line each after the header, in the same order.
        string csv = await http.GetStringAsync($"{Query}&format=csv&columns=raw");
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("mn,cn,period,pollutant,rtd", lines[0], StringComparison.Ordinal);
        Assert.Equal(expected.Count, lines.Length - 1);
        Assert.Equal(expected.Select(e => e.Split(' ')[1]), lines.Skip(1).Select(l => l.Split(',')[3]));

        // An empty period: no rows, a count of 0, and a download with its header alone.
        using var none = await http.GetAsync("/api/outlets/QHXN0010001/readings?cn=2011&from=2025-08-01&to=2025-08-02");
        Assert.Equal("0", none.Headers.GetValues("X-Total-Count").Single());
        var empty = (await http.GetStringAsync("/api/outlets/QHXN0010001/readings?cn=2011&from=2025-08-01&to=2025-08-02&format=csv&columns=raw"))
            .TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("mn,cn,period", Assert.Single(empty), StringComparison.Ordinal);
    }
}
