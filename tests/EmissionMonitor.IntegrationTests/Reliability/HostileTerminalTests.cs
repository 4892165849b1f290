using System.Net.Sockets;
using System.Text;
using EmissionMonitor.IntegrationTests.Ingestion;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EmissionMonitor.IntegrationTests.Reliability;

/// <summary>
/// The adversarial suite, terminal side (issue "hostile networks"): what a hostile or broken
/// terminal tries over MQTT and the HJ 212 TCP link, against the real service on loopback. Quick
/// sizes by default, long ones with EM_LONG=1; each test prints its counts.
/// </summary>
public sealed class HostileTerminalTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static MqttClientOptions Login(ServiceFixture service, string user, string password, string clientId) =>
        new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", service.MqttPort).WithCredentials(user, password).WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500).WithCleanSession(false).WithTimeout(TimeSpan.FromSeconds(10)).Build();

    private static async Task<MqttClientConnectResultCode> TryConnectAsync(IMqttClient client, MqttClientOptions options) =>
        (await client.ConnectAsync(options)).ResultCode; // MQTTnet 5 reports a refusal in the result, it does not throw

    [Fact]
    public async Task ReservedAndForeignClientIds_AreRefusedAtConnect_AndOneMnHasOneSession()
    {
        await using var service = await ServiceFixture.StartAsync();
        var factory = new MqttClientFactory();

        // The service's own id, with any prefix case: its publish checks must never be skipped for a terminal.
        foreach (var id in new[] { "emission-monitor", "Emission-Monitor-2" })
        {
            using var forger = factory.CreateMqttClient();
            Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, await TryConnectAsync(forger, Login(service, "QHXN0020001", "654321", id)));
        }

        // The victim is connected under a client id of its own choosing.
        using var victim = factory.CreateMqttClient();
        Assert.Equal(MqttClientConnectResultCode.Success, await TryConnectAsync(victim, Login(service, "QHXN0010001", "123456", "gas-terminal")));

        // Another terminal, with its own valid login, tries the victim's MN and the victim's id as client id.
        foreach (var id in new[] { "QHXN0010001", "gas-terminal" })
        {
            using var thief = factory.CreateMqttClient();
            Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, await TryConnectAsync(thief, Login(service, "QHXN0020001", "654321", id)));
        }

        Assert.True(victim.IsConnected, "the victim's session was not taken over");

        // Its own MN as client id, or any other free id, is fine; a second connection of the same MN replaces the first.
        using var again = factory.CreateMqttClient();
        Assert.Equal(MqttClientConnectResultCode.Success, await TryConnectAsync(again, Login(service, "QHXN0010001", "123456", "QHXN0010001")));
        await Waiting.UntilAsync(() => !victim.IsConnected);
        Assert.True(again.IsConnected);

        // The forged 'service' publish of a terminal is a terminal frame like any other: checked and archived.
        using var water = factory.CreateMqttClient();
        Assert.Equal(MqttClientConnectResultCode.Success, await TryConnectAsync(water, Login(service, "QHXN0020001", "654321", "water-1")));
        var forged = Some.Hourly(mn: "QHXN0010001", pw: "123456").Value("a21026", "Avg", 1m).Build().ToString();
        var result = await water.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("emission/QHXN0010001/down").WithPayload(forged)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
        output.WriteLine("client ids: 2 reserved and 2 foreign refused; same-MN reconnect replaced the first session; a forged reply was refused");
    }

    [Fact]
    public async Task OversizedMqttPayloads_AreRefusedAndArchivedAsTheirHead_AndHugePacketsCloseTheConnectionUnread()
    {
        await using var service = await ServiceFixture.StartAsync();
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(Login(service, "QHXN0010001", "123456", "big-1"));
        var big = new byte[40 * 1024]; // past Intake:MaxFrameBytes (16 KiB), within the packet cap (4 times that)
        Array.Fill(big, (byte)'x');
        var refused = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("emission/QHXN0010001/up").WithPayload(big)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientPublishReasonCode.QuotaExceeded, refused.ReasonCode);
        await using (var store = new EmissionMonitor.Storage.Sqlite.SqliteStore(service.DataDirectory))
        {
            await store.InitializeAsync(CancellationToken.None);
            var archived = Assert.Single(await store.QueryFramesAsync(new EmissionMonitor.Storage.FrameQuery(), CancellationToken.None));
            Assert.Equal(("rejected", "too-large", 1024), (archived.Status, archived.Reason, archived.Raw.Length));
            Assert.Contains("40960 bytes", archived.Detail, StringComparison.Ordinal);
        }

        // A packet far beyond the limit is never buffered: the connection closes while it is sent.
        var huge = new byte[Scale.Pick(10, 100) * 1024 * 1024];
        await Assert.ThrowsAnyAsync<Exception>(() => client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("emission/QHXN0010001/up").WithPayload(huge)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build()));
        await Waiting.UntilAsync(() => !client.IsConnected);
        Assert.Equal(1, (await service.CountsAsync()).Frames);
        output.WriteLine($"MQTT: 40 KiB payload archived as 1 KiB (too-large); {huge.Length / 1048576} MiB packet closed the connection, not archived");
    }

    [Fact]
    public async Task GarbageOverTcp_IsArchivedOnceAsItsHeadAndByteCount()
    {
        await using var service = await ServiceFixture.StartAsync();
        long size = Scale.Pick(4, 100) * 1024L * 1024L;
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
            var chunk = new byte[64 * 1024];
            new Random(6).NextBytes(chunk);
            for (int i = 0; i < chunk.Length; i++)
            {
                chunk[i] = chunk[i] == (byte)'#' ? (byte)'x' : chunk[i]; // no header anywhere
            }

            for (long sent = 0; sent < size; sent += chunk.Length)
            {
                await tcp.GetStream().WriteAsync(chunk);
            }

            // Then a valid frame: the run ends, is archived, and the frame is answered.
            await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(Some.Hourly(flag: 5).Value("a21026", "Avg", 5m).Build().ToString()));
            var buffer = new byte[512];
            int n = await tcp.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Contains("CN=9014", Encoding.ASCII.GetString(buffer, 0, n), StringComparison.Ordinal);
        }

        await using var store = new EmissionMonitor.Storage.Sqlite.SqliteStore(service.DataDirectory);
        await store.InitializeAsync(CancellationToken.None);
        var frames = await store.QueryFramesAsync(new EmissionMonitor.Storage.FrameQuery(), CancellationToken.None);
        Assert.Equal(2, frames.Count);
        Assert.Equal(("no-header", 1024), (frames[0].Reason, frames[0].Raw.Length));
        Assert.StartsWith($"{size} bytes before a frame header", frames[0].Detail, StringComparison.Ordinal);
        Assert.Equal("accepted", frames[1].Status);
        output.WriteLine($"TCP: {size / 1048576} MiB of garbage archived as 1 row of {frames[0].Raw.Length} bytes; the frame after it accepted");
    }

    [Fact]
    public async Task FailedLogins_AreThrottledPerAddressAndMn_EvenTheRightPasswordThen()
    {
        await using var service = await ServiceFixture.StartAsync();
        using var attacker = await LoopbackPorts.ConnectFromAsync(LoopbackPorts.Address(7), service.GatewayPort);
        var guesses = new StringBuilder();
        for (int i = 0; i < Scale.Pick(1000, 10_000); i++)
        {
            guesses.Append(Some.Hourly(pw: $"guess{i:D5}", at: new DateTime(2025, 7, 1, 8, 0, 0).AddHours(i % 24)).Value("a21026", "Avg", 1m).Build().ToString());
        }

        guesses.Append(Some.Hourly(flag: 5).Value("a21026", "Avg", 1m).Build().ToString()); // the right PW, last
        await attacker.GetStream().WriteAsync(Encoding.ASCII.GetBytes(guesses.ToString()));
        var counts = await WaitForFramesAsync(service, Scale.Pick(1000, 10_000) + 1);
        Assert.Equal(5, counts.FramesByReason["bad-password"]); // the first failures, then the pair is locked out
        Assert.Equal(Scale.Pick(1000, 10_000) + 1 - 5, counts.FramesByReason["throttled"]);
        Assert.Equal(0, counts.Readings);

        // Another address is not locked out: the terminal itself still gets in.
        using var terminal = await LoopbackPorts.ConnectFromAsync(LoopbackPorts.Address(8), service.GatewayPort);
        await terminal.GetStream().WriteAsync(Encoding.ASCII.GetBytes(Some.Hourly(flag: 5).Value("a21026", "Avg", 1m).Build().ToString()));
        var buffer = new byte[512];
        int n = await terminal.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("CN=9014", Encoding.ASCII.GetString(buffer, 0, n), StringComparison.Ordinal);

        // MQTT logins too: five wrong passwords, then the right one is refused from that address.
        var factory = new MqttClientFactory();
        for (int i = 0; i < 5; i++)
        {
            using var wrong = factory.CreateMqttClient();
            Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await TryConnectAsync(wrong, Login(service, "QHXN0020001", "nope" + i, "w" + i)));
        }

        using var right = factory.CreateMqttClient();
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await TryConnectAsync(right, Login(service, "QHXN0020001", "654321", "w-right")));
        output.WriteLine($"throttling: {counts.FramesByReason["bad-password"]} bad-password, {counts.FramesByReason["throttled"]} throttled (the right PW among them); other address answered; MQTT locked after 5");
    }

    [Fact]
    public async Task IdleSocketsFromOneAddress_AreCappedThere_AndDoNotLockOutOtherTerminals()
    {
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?> { ["Gateway:MaxConnectionsPerAddress"] = "50", ["Mqtt:MaxConnectionsPerAddress"] = "50",
            ["Mqtt:ConnectTimeout"] = "00:01:00", // so that only the cap closes MQTT sockets here
        });
        var idle = new List<TcpClient>();
        try
        {
            for (int i = 0; i < 80; i++)
            {
                idle.Add(await LoopbackPorts.ConnectFromAsync(LoopbackPorts.Address(20), service.GatewayPort));
                idle.Add(await LoopbackPorts.ConnectFromAsync(LoopbackPorts.Address(20), service.MqttPort));
            }

            // Connections past the cap are accepted by the kernel and closed by the service at once.
            int closed = (await Task.WhenAll(idle.Select(IsClosedByPeerAsync))).Count(c => c);

            Assert.Equal(2 * (80 - 50), closed);
            using var live = await LoopbackPorts.ConnectFromAsync(LoopbackPorts.Address(21), service.GatewayPort);
            await live.GetStream().WriteAsync(Encoding.ASCII.GetBytes(Some.Hourly(flag: 5).Value("a21026", "Avg", 5m).Build().ToString()));
            var buffer = new byte[512];
            int n = await live.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Contains("CN=9014", Encoding.ASCII.GetString(buffer, 0, n), StringComparison.Ordinal);
            output.WriteLine($"per-address cap 50: {closed} of {idle.Count} sockets from one address closed at once; a terminal from another address answered");
        }
        finally
        {
            idle.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task MqttConnectionsThatNeverSendConnect_AreClosedWithinTheTimeout()
    {
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?> { ["Mqtt:ConnectTimeout"] = "00:00:02" });
        using var bare = await LoopbackPorts.ConnectFromAsync(LoopbackPorts.Address(30), service.MqttPort);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var buffer = new byte[16];
        int n;
        try
        {
            n = await bare.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (IOException)
        {
            n = 0;
        }

        Assert.Equal(0, n);
        output.WriteLine($"a socket that sent no CONNECT was closed after {started.Elapsed.TotalSeconds:F1} s (Mqtt:ConnectTimeout 2 s)");
    }

    [Fact]
    public async Task ATerminalThatNeverReadsItsReplies_IsDropped_AndBackfillRequestsToItDoNotHang()
    {
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?> { ["Gateway:WriteTimeout"] = "00:00:02" });
        var gateway = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<EmissionMonitor.Ingestion.Hj212Gateway>(service.App.Services);
        using var stuck = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024 };
        stuck.Bind(new System.Net.IPEndPoint(LoopbackPorts.Address(40), 0));
        await stuck.ConnectAsync(System.Net.IPAddress.Loopback, service.GatewayPort);
        // Each frame asks for a reply (Flag=5) the terminal never reads; its replies pile up until writes block.
        var frames = new StringBuilder();
        // More replies (about 100 bytes each) than the kernel's socket buffers hold on loopback (a few MB).
        int count = Scale.Pick(60_000, 300_000);
        for (int i = 0; i < count; i++)
        {
            frames.Append(Some.Hourly(flag: 5, at: new DateTime(2020, 1, 1).AddHours(i)).Value("a21026", "Avg", 5m).Build().ToString());
        }

        var bytes = Encoding.ASCII.GetBytes(frames.ToString());
        var started = System.Diagnostics.Stopwatch.StartNew();
        var sending = Task.Run(async () =>
        {
            try
            {
                await stuck.SendAsync(bytes);
            }
            catch (SocketException)
            {
                // dropped by the service: expected
            }
        });
        await Waiting.UntilAsync(() => gateway.ConnectionCount == 1);
        await WaitForFramesAsync(service, count * 3 / 4); // by now the replies fill the buffers and writes block
        var backfill = gateway.SendAsync("QHXN0010001", EmissionMonitor.Hj212.Replies.Hj212Replies.HistoryRequest(
            new EmissionMonitor.Hj212.Replies.HistoryRequest("QHXN0010001", "123456", "31", "2061", new DateTime(2025, 1, 1), new DateTime(2025, 1, 2), new DateTime(2025, 1, 2))),
            CancellationToken.None);
        Assert.False(await backfill.WaitAsync(TimeSpan.FromSeconds(30)), "a back-fill request to a terminal that does not read returns false, not never");
        await Waiting.UntilAsync(() => gateway.ConnectionCount == 0, 30_000);
        await sending.WaitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"a terminal that sent {count} frames and never read its replies was dropped {started.Elapsed.TotalSeconds:F1} s after it began (Gateway:WriteTimeout 2 s); back-fill to it returned false");
    }

    [Fact]
    public async Task AFloodOfBareConnectionsPastTheFileLimit_NeitherStopsTheServiceNorLocksItOutForLong()
    {
        string config = Some.TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(config, "stations.json"), Some.RegistryJson);
        int mqttPort = LoopbackPorts.Free(), gatewayPort = LoopbackPorts.Free(), httpPort = LoopbackPorts.Free();
        using var service = await ServiceProcess.StartAsync(config, Some.TempDirectory(), mqttPort, gatewayPort,
            new Dictionary<string, string> { ["Http__Urls"] = $"http://127.0.0.1:{httpPort}", ["Intake__MaxAge"] = "3650.00:00:00" }, fileLimit: 1024);
        var flood = new List<TcpClient>();
        try
        {
            // More sockets than the process may open (1,600 > 1,024), from 8 addresses so that no per-address cap is met:
            // the MQTT listener takes its share of the budget (1,024 less the reserve) and closes the rest at once.
            int count = Scale.Pick(1600, 6000);
            for (int i = 0; i < count; i++)
            {
                try
                {
                    flood.Add(await LoopbackPorts.ConnectFromAsync(LoopbackPorts.Address(50 + (i % Math.Max(8, count / 200))), mqttPort));
                }
                catch (SocketException)
                {
                    // the backlog is full while the service sheds connections: the flood goes on
                }
            }

            Assert.True(service.IsRunning, "the service stopped under the flood");

            // The bare sockets never send CONNECT: they are closed after Mqtt:ConnectTimeout and the budget frees.
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(5) };
            var started = System.Diagnostics.Stopwatch.StartNew();
            string answer = string.Empty;
            while (started.Elapsed < TimeSpan.FromSeconds(60) && !answer.Contains("CN=9014", StringComparison.Ordinal))
            {
                try
                {
                    using var terminal = await LoopbackPorts.ConnectFromAsync(LoopbackPorts.Address(90), gatewayPort);
                    await terminal.GetStream().WriteAsync(Encoding.ASCII.GetBytes(Some.Hourly(flag: 5).Value("a21026", "Avg", 5m).Build().ToString()));
                    var buffer = new byte[512];
                    answer = Encoding.ASCII.GetString(buffer, 0, await terminal.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
                }
                catch (Exception e) when (e is IOException or SocketException or TimeoutException)
                {
                    await Task.Delay(500);
                }
            }

            Assert.Contains("CN=9014", answer, StringComparison.Ordinal);
            Assert.Equal("ok", await http.GetStringAsync("/healthz"));
            Assert.True(service.IsRunning);
            output.WriteLine($"{flood.Count} bare MQTT sockets against ulimit -n 1024: the service kept running; a terminal was answered {started.Elapsed.TotalSeconds:F1} s after the flood");
        }
        finally
        {
            flood.ForEach(c => c.Dispose());
        }
    }

    private static async Task<bool> IsClosedByPeerAsync(TcpClient client)
    {
        try
        {
            var buffer = new byte[1];
            int n = await client.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            return n == 0;
        }
        catch (TimeoutException)
        {
            return false; // still open
        }
        catch (IOException)
        {
            return true; // reset
        }
    }

    private static async Task<EmissionMonitor.Storage.StoreCounts> WaitForFramesAsync(ServiceFixture service, long frames)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var counts = await service.CountsAsync();
            if (counts.Frames >= frames || DateTime.UtcNow > deadline)
            {
                return counts;
            }

            await Task.Delay(100);
        }
    }
}
