using System.Net.Sockets;
using System.Text;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Hj212.Framing;
using Microsoft.Extensions.DependencyInjection;

namespace EmissionMonitor.IntegrationTests.Ingestion;

public sealed class GatewayTests
{
    [Fact]
    public async Task ChunkedAndConcatenatedWrites_AreStored_And9014RepliesComeAfterTheCommit()
    {
        await using var service = await ServiceFixture.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
        var stream = tcp.GetStream();
        var frames = Enumerable.Range(0, 20).Select(h => Some.Hourly(at: new DateTime(2025, 7, 1, 0, 0, 0).AddHours(h), flag: 5)
            .Value("a21026", "Avg", 5m).Build().ToString()).ToList();
        var bytes = Encoding.ASCII.GetBytes(string.Concat(frames.Take(10)) + "noise\r\n");

        // The first ten frames in pieces of 7 bytes, then ten in one write.
        for (int i = 0; i < bytes.Length; i += 7)
        {
            await stream.WriteAsync(bytes.AsMemory(i, Math.Min(7, bytes.Length - i)));
            await stream.FlushAsync();
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(string.Concat(frames.Skip(10))));

        var replies = new List<string>();
        var reader = System.IO.Pipelines.PipeReader.Create(stream);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var chunk in Hj212Framer.ReadAsync(reader, cancellationToken: cts.Token))
        {
            var reply = Hj212Decoder.DecodeFrame(chunk.Bytes.Span, chunk.Scan);
            Assert.True(reply.IsOk, reply.Detail); // the reply's CRC is correct
            Assert.Equal("9014", reply.Packet!.Cn);
            replies.Add(reply.Packet.Qn!);
            if (replies.Count == 1)
            {
                // A reply means the frame was committed: the store holds it now.
                Assert.True((await service.CountsAsync()).Readings >= 1);
            }

            if (replies.Count == 20)
            {
                break;
            }
        }

        var counts = await service.CountsAsync();
        Assert.Equal(20, counts.Readings);
        Assert.Equal(1, counts.FramesByReason["no-header"]);
    }

    [Fact]
    public async Task RejectedFrames_GetNoReply()
    {
        await using var service = await ServiceFixture.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
        var stream = tcp.GetStream();
        var bad = Some.Hourly(pw: "000000", flag: 5).Value("a21026", "Avg", 5m).Build().ToString();
        var good = Some.Hourly(flag: 5).Value("a21026", "Avg", 5m).Build().ToString();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(bad + good));
        var buffer = new byte[4096];
        int n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var text = Encoding.ASCII.GetString(buffer, 0, n);
        Assert.Single(Hj212Framer.Split(buffer.AsMemory(0, n)));
        Assert.Contains("CN=9014", text, StringComparison.Ordinal);
        await Waiting.UntilAsync(() => service.CountsAsync().Result.Frames == 2);
        Assert.Equal(1, (await service.CountsAsync()).FramesByReason["bad-password"]);
    }

    [Fact]
    public async Task HistoryRequest_ReachesTheConnectedTerminal_AndSplitPartsAreAnsweredEachAndTracked()
    {
        await using var service = await ServiceFixture.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
        var stream = tcp.GetStream();
        var at = new DateTime(2025, 7, 1, 8, 0, 0);
        var b1 = new EmissionMonitor.Hj212.Encoders.Hj212Builder { Qn = "20250701090000001", St = "31", Cn = "2061", Pw = "123456", Mn = "QHXN0010001", Flag = 7, Pnum = 2, Pno = 1 }
            .DataTime(at).Value("a21026", "Avg", 5m).Build();
        var b2 = new EmissionMonitor.Hj212.Encoders.Hj212Builder { Qn = "20250701090000002", St = "31", Cn = "2061", Pw = "123456", Mn = "QHXN0010001", Flag = 7, Pnum = 2, Pno = 2 }
            .DataTime(at).Value("a21002", "Avg", 9m).Build();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(b1.ToString() + b2.ToString()));
        var reader = System.IO.Pipelines.PipeReader.Create(stream);
        await using var replies = Hj212Framer.ReadAsync(reader).GetAsyncEnumerator();
        var qns = new List<string>();
        for (int i = 0; i < 2; i++)
        {
            Assert.True(await replies.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
            qns.Add(Hj212Decoder.DecodeFrame(replies.Current.Bytes.Span, replies.Current.Scan).Packet!.Qn!);
        }

        Assert.Equal(["20250701090000001", "20250701090000002"], qns); // one 9014 per sub-packet, echoing its QN
        var tracker = service.App.Services.GetRequiredService<EmissionMonitor.Ingestion.SplitPacketTracker>();
        Assert.Equal(1, tracker.Completed);
        Assert.Equal(2, (await service.CountsAsync()).Readings);

        var gateway = service.App.Services.GetRequiredService<EmissionMonitor.Ingestion.Hj212Gateway>();
        var request = EmissionMonitor.Hj212.Replies.Hj212Replies.HistoryRequest(new("QHXN0010001", "123456", "31", "2061",
            new DateTime(2025, 6, 30, 0, 0, 0), new DateTime(2025, 7, 1, 0, 0, 0), new DateTime(2025, 7, 1, 9, 30, 0)));
        Assert.True(await gateway.SendAsync("QHXN0010001", request, CancellationToken.None));
        Assert.False(await gateway.SendAsync("QHXN0020001", request, CancellationToken.None));
        Assert.True(await replies.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        var received = Hj212Decoder.DecodeFrame(replies.Current.Bytes.Span, replies.Current.Scan).Packet!;
        Assert.Equal("2061", received.Cn);
        Assert.Equal("20250630000000", received.Param("BeginTime"));
    }

    [Fact]
    public async Task IdleConnection_IsClosedAfterTheTimeout()
    {
        await using var service = await ServiceFixture.StartAsync(new Dictionary<string, string?> { ["Gateway:IdleTimeout"] = "00:00:01" });
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
        var buffer = new byte[16];
        int n = await tcp.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, n); // the server closed the connection
    }
}
