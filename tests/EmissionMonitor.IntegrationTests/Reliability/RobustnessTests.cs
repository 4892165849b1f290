using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using EmissionMonitor.Hj212.Framing;
using EmissionMonitor.IntegrationTests.Ingestion;
using MQTTnet;
using MQTTnet.Protocol;

namespace EmissionMonitor.IntegrationTests.Reliability;

/// <summary>
/// Quick versions of the reliability runs (the long ones are documented commands): mutated frames
/// through the TCP gateway and MQTT never crash the service and every byte is accounted for; idle
/// and slow-loris connections do not starve a live terminal.
/// </summary>
public sealed class RobustnessTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static byte[] Mutate(byte[] frame, Random random)
    {
        var bytes = frame.ToArray();
        switch (random.Next(6))
        {
            case 0: // bit flips
                for (int i = 0; i < 1 + random.Next(4); i++)
                {
                    int at = random.Next(bytes.Length);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            case 1: // truncation
                return bytes[..random.Next(1, bytes.Length)];
            case 2: // a huge or non-numeric length field
                Encoding.ASCII.GetBytes(random.Next(2) == 0 ? "9999" : "12x4").CopyTo(bytes, 2);
                return bytes;
            case 3: // NUL bytes
                bytes[random.Next(bytes.Length)] = 0;
                return bytes;
            case 4: // random bytes
                var noise = new byte[random.Next(1, 300)];
                random.NextBytes(noise);
                return noise;
            default: // intact
                return bytes;
        }
    }

    [Fact]
    public async Task MutatedFrames_OverTcpAndMqtt_NeverCrashTheService_AndEveryArrivalIsArchived()
    {
        await using var service = await ServiceFixture.StartAsync();
        var random = new Random(212);
        var samples = TestData.Samples("samples-valid.tsv").Select(s => s.Frame)
            .Append(Some.Hourly().Value("a21026", "Avg", 1m).Build().ToString())
            .Select(f => Encoding.UTF8.GetBytes(f)).ToList();

        // TCP: 20,000 mutated frames in one stream (1,000,000 with EM_LONG=1).
        var stream = new MemoryStream();
        for (int i = 0; i < Scale.Pick(20_000, 1_000_000); i++)
        {
            stream.Write(Mutate(samples[random.Next(samples.Count)], random));
        }

        var bytes = stream.ToArray();
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
            var reading = Task.Run(async () =>
            {
                var sink = new byte[65536];
                try
                {
                    while (await tcp.GetStream().ReadAsync(sink) > 0)
                    {
                    }
                }
                catch (IOException)
                {
                }
            });
            await tcp.GetStream().WriteAsync(bytes);
            tcp.Client.Shutdown(SocketShutdown.Send); // end of input: a last truncated frame is reported as such
            await reading.WaitAsync(TimeSpan.FromSeconds(Scale.Pick(60, 1800)));
        }

        int chunks = Hj212Framer.Split(bytes).Count();
        await Waiting.UntilAsync(() => service.CountsAsync().Result.Frames >= chunks, Scale.Pick(60_000, 1_800_000));
        Assert.Equal(chunks, (await service.CountsAsync()).Frames);

        // MQTT: 2,000 mutated payloads from a logged-in terminal, each one archived once.
        using var terminal = new MqttClientFactory().CreateMqttClient();
        await terminal.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", service.MqttPort).WithCredentials("QHXN0010001", "123456").Build());
        for (int i = 0; i < 2000; i++)
        {
            var payload = Mutate(samples[random.Next(samples.Count)], random);
            await terminal.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("emission/QHXN0010001/up").WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        }

        var counts = await service.CountsAsync();
        output.WriteLine($"mutated: {chunks} chunks over TCP + 2,000 payloads over MQTT; archived {counts.Frames} "
            + $"(accepted {counts.FramesByStatus.GetValueOrDefault("accepted")}, rejected {counts.FramesByStatus.GetValueOrDefault("rejected")}); "
            + $"unaccounted {chunks + 2000 - counts.Frames}; service RSS {Environment.WorkingSet / 1048576} MB (in-process)");
        Assert.Equal(chunks + 2000, counts.Frames); // PUBACK came after each commit
        using var http = new HttpClient { BaseAddress = service.HttpBase };
        Assert.Equal("ok", await http.GetStringAsync("/healthz"));
        Assert.True(counts.FramesByStatus["rejected"] > Scale.Pick(5000, 250_000), $"rejected {counts.FramesByStatus["rejected"]}");
    }

    [Fact]
    public async Task IdleAndSlowLorisConnections_DoNotStarveALiveTerminal()
    {
        await using var service = await ServiceFixture.StartAsync();
        var idle = new List<TcpClient>();
        try
        {
            // Spread over loopback addresses: the gateway caps connections per address (256 by default).
            for (int i = 0; i < Scale.Pick(1000, 5000); i++)
            {
                idle.Add(await LoopbackPorts.ConnectFromAsync(LoopbackPorts.Address(i / 200), service.GatewayPort));
            }

            var frame = Encoding.ASCII.GetBytes(Some.Hourly(flag: 5).Value("a21026", "Avg", 5m).Build().ToString());
            using var stop = new CancellationTokenSource();
            var loris = Enumerable.Range(0, 50).Select(async _ =>
            {
                using var c = await LoopbackPorts.ConnectFromAsync(LoopbackPorts.Address(100), service.GatewayPort);
                for (int b = 0; b < frame.Length && !stop.IsCancellationRequested; b++)
                {
                    await c.GetStream().WriteAsync(frame.AsMemory(b, 1));
                    await Task.Delay(100);
                }
            }).ToList();

            using var live = await LoopbackPorts.ConnectFromAsync(LoopbackPorts.Address(101), service.GatewayPort);
            await live.GetStream().WriteAsync(frame);
            var buffer = new byte[256];
            var started = System.Diagnostics.Stopwatch.StartNew();
            int n = await live.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5)); // answered while 1,050 others hang on
            output.WriteLine($"{idle.Count} idle connections, 50 slow-loris senders: the live terminal was answered in {started.Elapsed.TotalMilliseconds:F0} ms");
            Assert.Contains("CN=9014", Encoding.ASCII.GetString(buffer, 0, n), StringComparison.Ordinal);
            await stop.CancelAsync();
            await Task.WhenAll(loris);
        }
        finally
        {
            idle.ForEach(c => c.Dispose());
        }
    }
}
