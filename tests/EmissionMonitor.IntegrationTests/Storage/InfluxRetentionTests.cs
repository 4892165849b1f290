using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Intake;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Influx;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmissionMonitor.IntegrationTests.Storage;

/// <summary>Retention on the InfluxDB server: real-time data and its frames past their age are deleted there, hourly data and its frames stay.</summary>
public sealed class InfluxRetentionTests
{
    private static readonly TimeZoneInfo Zone = new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone();
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.FromHours(8));

    private static IntakeResult Frame(IntakeProcessor intake, string cn, DateTimeOffset at)
    {
        var b = new Hj212Builder { Qn = "20250701090000001", St = "31", Cn = cn, Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
            .DataTime(cn == "2061" ? at.DateTime.Date.AddHours(at.Hour) : at.DateTime, milliseconds: cn == "2011")
            .Value("a21026", cn == "2011" ? "Rtd" : "Avg", 20m).Value("a21026", "Flag", "N");
        var result = intake.Process(Some.Received(b.Build(), Transport.Import, at: at));
        Assert.True(result.IsAccepted, result.Detail);
        return result;
    }

    [Fact]
    public async Task RealTimeDataAndFramesPastTheirAge_AreDeletedOnTheServer_HourlyDataStays()
    {
        await using var influx = await InfluxFixture.StartAsync();
        await using var store = new InfluxStore(new InfluxOptions { Url = influx.Url, Bucket = "emission", WriteApi = "v1" }, Some.TempDirectory(), Zone,
            NullLogger<InfluxStore>.Instance);
        await store.InitializeAsync(CancellationToken.None);
        var registry = Some.Registry();
        var intake = new IntakeProcessor(() => registry, new IntakeOptions(), Zone, TimeProvider.System);
        var old = Now.AddDays(-200);
        var recent = Now.AddDays(-1);
        await store.CommitAsync([Frame(intake, "2011", old), Frame(intake, "2011", recent), Frame(intake, "2061", old), Frame(intake, "2061", recent)], CancellationToken.None);
        Assert.True(await store.FlushAsync(TimeSpan.FromSeconds(30), CancellationToken.None));

        var span = (From: Now.AddDays(-400).DateTime, To: Now.DateTime);
        Assert.Equal(2, (await store.QueryReadingsAsync(new ReadingQuery("2011", span.From, span.To), CancellationToken.None)).Count);
        Assert.Equal(4, (await store.QueryFramesAsync(new FrameQuery(), CancellationToken.None)).Count);

        await store.PruneAsync(new RetentionOptions(), Now, Zone, ["QHXN0010001"], CancellationToken.None); // real-time 180 days, hourly kept

        var realTime = await store.QueryReadingsAsync(new ReadingQuery("2011", span.From, span.To), CancellationToken.None);
        Assert.Equal([recent.DateTime], realTime.Select(r => r.Period));
        var hourly = await store.QueryReadingsAsync(new ReadingQuery("2061", span.From, span.To), CancellationToken.None);
        Assert.Equal(2, hourly.Count);
        var frames = await store.QueryFramesAsync(new FrameQuery(), CancellationToken.None);
        Assert.Equal(["2011", "2061", "2061"], frames.Select(f => f.Cn).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(frames, f => f.Cn == "2011" && f.ReceivedAt == old);
    }
}
