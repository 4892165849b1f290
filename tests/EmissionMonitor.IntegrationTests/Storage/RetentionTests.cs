using System.Text;
using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Intake;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace EmissionMonitor.IntegrationTests.Storage;

/// <summary>Retention per kind of data: real-time and minute data age out with their raw frames, hourly data and summaries stay, events after their own age.</summary>
public sealed class RetentionTests
{
    private static readonly TimeZoneInfo Zone = new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone();

    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.FromHours(8));

    private static IntakeResult Frame(IntakeProcessor intake, string cn, DateTimeOffset at, int i)
    {
        var b = new Hj212Builder { Qn = "20250701090000001", St = "31", Cn = cn, Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
            .DataTime(at.DateTime.AddSeconds(-i), milliseconds: cn == "2011");
        if (cn != "9013")
        {
            b.Value("a21026", cn == "2011" ? "Rtd" : "Avg", 20m + i).Value("a21026", "Flag", "N");
        }

        var result = intake.Process(Some.Received(b.Build(), Transport.Import, at: at));
        Assert.True(result.IsAccepted, result.Detail);
        return result;
    }

    [Fact]
    public async Task RealTimeAndMinuteData_AgeOutWithTheirFrames_HourlyDataAndSummariesStay()
    {
        string dir = Some.TempDirectory();
        var registry = Some.Registry();
        var intake = new IntakeProcessor(() => registry, new IntakeOptions(), Zone, TimeProvider.System);
        var old = Now.AddDays(-200);
        await using (var store = new SqliteStore(dir))
        {
            await store.InitializeAsync(CancellationToken.None);
            await store.CommitAsync([.. Enumerable.Range(0, 50).Select(i => Frame(intake, "2011", old, i)), .. Enumerable.Range(0, 5).Select(i => Frame(intake, "2051", old, i * 60)),
                Frame(intake, "2061", old.AddHours(-1), 0), Frame(intake, "9013", old, 0)], CancellationToken.None);
        }

        await using var reopened = new SqliteStore(dir); // a later run: new blocks
        await reopened.InitializeAsync(CancellationToken.None);
        await reopened.CommitAsync([Frame(intake, "2011", Now.AddMinutes(-5), 0), Frame(intake, "2051", Now.AddMinutes(-5), 0), Frame(intake, "2061", Now.AddHours(-1), 0),
            Frame(intake, "9013", Now, 0)], CancellationToken.None);

        var result = await reopened.PruneAsync(new RetentionOptions(), Now, Zone, ["QHXN0010001"], CancellationToken.None);
        Assert.Equal(new PruneResult(55, 55, 0), result); // 50 real-time and 5 minute frames, and their readings
        var frames = await reopened.QueryFramesAsync(new FrameQuery(Limit: 100), CancellationToken.None);
        Assert.Equal(["2061", "9013", "2011", "2051", "2061", "9013"], frames.Select(f => f.Cn));
        Assert.All(frames, f => Assert.StartsWith("##", Encoding.ASCII.GetString(f.Raw), StringComparison.Ordinal));
        Assert.Empty(await reopened.QueryReadingsAsync(new ReadingQuery("2011", old.DateTime.AddDays(-1), old.DateTime.AddDays(1)), CancellationToken.None));
        Assert.Single(await reopened.QueryReadingsAsync(new ReadingQuery("2011", Now.DateTime.AddDays(-1), Now.DateTime.AddDays(1)), CancellationToken.None));
        Assert.Equal(2, (await reopened.QueryReadingsAsync(new ReadingQuery("2061", old.DateTime.AddDays(-1), Now.DateTime), CancellationToken.None)).Count);

        // A second pass finds nothing more; events go once past their own age. (A class's newest
        // block is never removed — the writer may still append to it — so old frames are removed
        // once newer ones of their class have arrived.)
        Assert.Equal(default, await reopened.PruneAsync(new RetentionOptions(), Now, Zone, ["QHXN0010001"], CancellationToken.None));
        var events = await reopened.PruneAsync(new RetentionOptions { Events = TimeSpan.FromDays(100) }, Now, Zone, ["QHXN0010001"], CancellationToken.None);
        Assert.Equal(1, events.Frames);
        Assert.Equal(["2061", "2011", "2051", "2061", "9013"], (await reopened.QueryFramesAsync(new FrameQuery(Limit: 100), CancellationToken.None)).Select(f => f.Cn));
    }

    [Fact]
    public async Task SummariesPastTheirAge_GoByWholeMonths_AndAnEpisodeCutByThemBeginsAtTheCut()
    {
        string dir = Some.TempDirectory();
        await using var store = new SqliteStore(dir);
        await store.InitializeAsync(CancellationToken.None);
        var cut = new DateTime(2026, 2, 1); // Summaries = 100 days before 2026-06-01: the month of 2026-02-21
        long Hour(DateTime t) => SqliteFacts.HourKey(t);
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={store.DatabasePath}"))
        {
            await db.OpenAsync();
            await using var rows = db.CreateCommand();
            // One episode of four hours across the cut, as the writer keeps it (its first hour begins it).
            rows.CommandText = $"""
                INSERT INTO names (id, name) VALUES (901, 'QHXN0010001'), (902, 'a21026');
                INSERT INTO exceed_hours (outlet, hour, pollutant, value, kind, bound, min_bound, start) VALUES
                    (901, {Hour(cut.AddHours(-2))}, 902, 50, 'zs-sent', 35, 0, 1), (901, {Hour(cut.AddHours(-1))}, 902, 51, 'zs-sent', 35, 0, 0),
                    (901, {Hour(cut)}, 902, 52, 'zs-sent', 35, 0, 0), (901, {Hour(cut.AddHours(1))}, 902, 53, 'zs-sent', 35, 0, 0);
                """;
            await rows.ExecuteNonQueryAsync();
        }

        var pruned = await store.PruneAsync(new RetentionOptions { Summaries = TimeSpan.FromDays(100) }, Now, Zone, ["QHXN0010001"], CancellationToken.None);
        Assert.Equal(2, pruned.Summaries);
        var hours = await store.QueryExceedHoursAsync(cut.AddDays(-30), cut.AddDays(30), null, CancellationToken.None);
        Assert.Equal([cut, cut.AddHours(1)], hours.Select(h => h.Hour));
        // What remains of the episode begins at the cut: counted from before it, as the listed episodes would.
        var counts = await store.CountEpisodesAsync(cut.AddDays(-15), cut.AddDays(15), null, CancellationToken.None);
        Assert.Equal(1, counts.Of("QHXN0010001", "a21026", "hour"));
        Assert.Equal(EmissionMonitor.Compliance.Exceedance.EpisodeCounts.Of(hours, [], cut.AddDays(-15)).Hourly, counts.Hourly);
    }

    [Fact]
    public async Task TheService_PrunesInTheBackground_AndKeepsHourlyData()
    {
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Retention:Interval"] = "00:00:01",
            ["Retention:RealTime"] = "01:00:00",
        });
        var store = service.App.Services.GetRequiredService<IStore>();
        var registry = Some.Registry();
        var intake = new IntakeProcessor(() => registry, new IntakeOptions(), Zone, TimeProvider.System);
        var now = TimeProvider.System.GetUtcNow().ToOffset(TimeSpan.FromHours(8));
        await store.CommitAsync([Frame(intake, "2011", now.AddHours(-3), 0), Frame(intake, "2061", now.AddHours(-3), 0)], CancellationToken.None);
        var from = now.DateTime.AddDays(-1);
        await Waiting.UntilAsync(async () => (await store.QueryReadingsAsync(new ReadingQuery("2011", from, now.DateTime.AddDays(1)), CancellationToken.None)).Count == 0,
            TimeSpan.FromSeconds(30), "the real-time reading three hours old to be pruned");
        Assert.Single(await store.QueryReadingsAsync(new ReadingQuery("2061", from, now.DateTime.AddDays(1)), CancellationToken.None));
    }
}
