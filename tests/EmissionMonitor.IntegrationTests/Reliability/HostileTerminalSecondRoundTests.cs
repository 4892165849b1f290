using System.Net.Sockets;
using EmissionMonitor.Hj212.Crypto;
using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.IntegrationTests.Hj212v2025;
using EmissionMonitor.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace EmissionMonitor.IntegrationTests.Reliability;

/// <summary>
/// The second round of attacks by terminals that know only an outlet's password (issue "Hostile
/// users and terminals, second round"): key rotation, plain frames under required encryption,
/// identity floods.
/// </summary>
public sealed class HostileTerminalSecondRoundTests
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static string NowQn(int plus = 0) => EmissionMonitor.Hj212.Hj212Time.FormatQn(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Zone).DateTime.AddMilliseconds(plus));

    private static async Task SendAsync(ServiceFixture service, IEnumerable<byte[]> frames)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
        foreach (var frame in frames)
        {
            await tcp.GetStream().WriteAsync(frame);
        }

        var metrics = service.App.Services.GetRequiredService<EmissionMonitor.Diagnostics.IngestMetrics>();
        long expected = frames.Count();
        await Waiting.UntilAsync(() => metrics.Frames >= expected, 20_000);
        await Task.Delay(300); // the alerts' evaluation of the last commit
    }

    [Fact]
    public async Task APlainKeyRequestWithOnlyThePassword_RotatesNothing_ForAnOptionalTerminal()
    {
        await using var service = await EncryptedIntakeTests.StartAsync(EncryptedIntakeTests.Registry());
        var request = new Hj212Builder { Qn = NowQn(), St = "31", Cn = "1014", Pw = "123456", Mn = "QHXN0010001", Flag = 9 }.Param("SKCreateTime", "20251001000000000").Build();
        await SendAsync(service, [Hj212Encoder.Encode(request)]);
        var keys = await service.App.Services.GetRequiredService<IStore>().QueryTerminalKeysAsync(CancellationToken.None);
        Assert.Equal(["registry"], keys.Where(k => k.Mn == "QHXN0010001").Select(k => k.Source));
        Assert.Equal(EncryptedIntakeTests.GasKey, service.App.Services.GetRequiredService<EmissionMonitor.Security.KeyRing>().Current("QHXN0010001")!.Reveal());

        // The real terminal's encrypted request still rotates.
        var encrypted = new Hj212Builder { Qn = NowQn(1), St = "31", Cn = "1014", Pw = "123456", Mn = "QHXN0010001", Flag = 9 }.Param("SKCreateTime", "20251001000000000").Build();
        await SendAsync(service, [Hj212Cipher.Encrypt(Hj212Encoder.Encode(encrypted), Sm4Key.Parse(EncryptedIntakeTests.GasKey))]);
        keys = await service.App.Services.GetRequiredService<IStore>().QueryTerminalKeysAsync(CancellationToken.None);
        Assert.Equal(["registry", "rotation"], keys.Where(k => k.Mn == "QHXN0010001").Select(k => k.Source));
    }

    [Fact]
    public async Task UnderRequiredEncryption_APlainIdentityIsRefused_AndAPlainHeartbeatDoesNotMakeTheOutletOnline()
    {
        await using var service = await EncryptedIntakeTests.StartAsync(EncryptedIntakeTests.Registry(" \"encryption\": \"required\","));
        var alerts = service.App.Services.GetRequiredService<EmissionMonitor.Alerts.AlertService>();
        var seen = alerts.LastSeen("QHXN0010001");
        await Task.Delay(50);
        var identity = new Hj212Builder { Qn = NowQn(), St = "31", Cn = "1001", Pw = "123456", Mn = "QHXN0010001", Flag = 9 }
            .Value("i23005", "Info", "ATTACKER-LOGGER").Value("i23006", "Info", "CPU-X").Build();
        var heartbeat = new Hj212Builder { Qn = NowQn(1), St = "31", Cn = "9015", Pw = "123456", Mn = "QHXN0010001", Flag = 8 }.Build();
        await SendAsync(service, [Hj212Encoder.Encode(identity), Hj212Encoder.Encode(heartbeat)]);

        var store = service.App.Services.GetRequiredService<IStore>();
        Assert.Empty(await store.QueryTerminalIdentitiesAsync(CancellationToken.None));
        var frames = await store.QueryFramesAsync(new FrameQuery(Mn: "QHXN0010001", Limit: 10), CancellationToken.None);
        Assert.Contains(frames, f => f.Reason == "not-encrypted");
        Assert.Equal(seen, alerts.LastSeen("QHXN0010001"));

        // The terminal's own encrypted identity is taken.
        var real = new Hj212Builder { Qn = NowQn(2), St = "31", Cn = "1001", Pw = "123456", Mn = "QHXN0010001", Flag = 9 }.Value("i23005", "Info", "DL-REAL").Build();
        await SendAsync(service, [Hj212Cipher.Encrypt(Hj212Encoder.Encode(real), Sm4Key.Parse(EncryptedIntakeTests.GasKey))]);
        await Waiting.UntilAsync(async () => (await store.QueryTerminalIdentitiesAsync(CancellationToken.None)).Count == 1, TimeSpan.FromSeconds(10), "the real identity recorded");
        Assert.NotEqual(seen, alerts.LastSeen("QHXN0010001"));
    }

    [Fact]
    public async Task AlternatingIdentities_AreRecordedOncePerDistinctIdentityAndDay()
    {
        await using var service = await EncryptedIntakeTests.StartAsync(EncryptedIntakeTests.Registry());
        int n = Environment.GetEnvironmentVariable("EM_LONG") == "1" ? 10_000 : 400;
        var frames = Enumerable.Range(0, n).Select(i => Hj212Encoder.Encode(new Hj212Builder { Qn = NowQn(i), St = "31", Cn = "1001", Pw = "123456", Mn = "QHXN0010001", Flag = 9 }
            .Value("i23005", "Info", i % 2 == 0 ? "DL-A" : "DL-B").Build())).ToList();
        await SendAsync(service, frames);
        var store = service.App.Services.GetRequiredService<IStore>();
        await Task.Delay(500);
        Assert.Equal(2, (await store.QueryTerminalIdentitiesAsync(CancellationToken.None)).Count(i => i.Mn == "QHXN0010001"));
    }
}
