using System.Net.Sockets;
using System.Text;
using EmissionMonitor.Hj212.Decoding;
using EmissionMonitor.Hj212.Framing;

namespace EmissionMonitor.Tests.Ingestion;

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
        await EmbeddedMqttTests.WaitUntilAsync(() => service.CountsAsync().Result.Frames == 2);
        Assert.Equal(1, (await service.CountsAsync()).FramesByReason["bad-password"]);
    }
}
