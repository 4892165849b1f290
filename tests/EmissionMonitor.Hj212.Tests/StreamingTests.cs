using System.IO.Pipelines;
using System.Text;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Hj212.Framing;

namespace EmissionMonitor.Hj212.Tests;

public sealed class StreamingTests
{
    [Fact]
    public async Task RandomChunksWithGarbage_GiveTheSameResultsAsTheWholeBuffer()
    {
        var random = new Random(2017);
        var input = new MemoryStream();
        var frames = TestData.Samples("samples-valid.tsv").Concat(TestData.Samples("samples-invalid.tsv")).Select(s => s.Frame).ToList();
        string[] garbage = ["noise", "\r\n", "#", "#1", "\0\0\x7f", "2BC0\r\n", "##12ab\r\n", "  "];
        for (int round = 0; round < 5; round++)
        {
            foreach (var frame in frames.OrderBy(_ => random.Next()))
            {
                if (random.Next(3) == 0)
                {
                    input.Write(Encoding.ASCII.GetBytes(garbage[random.Next(garbage.Length)]));
                }

                input.Write(Encoding.UTF8.GetBytes(frame));
            }
        }

        var bytes = input.ToArray();
        var whole = Hj212Framer.Split(bytes).Select(Describe).ToList();
        Assert.True(whole.Count(d => d.StartsWith("ok", StringComparison.Ordinal)) >= 5 * 56, "every valid frame decodes");

        for (int trial = 0; trial < 20; trial++)
        {
            var streamed = await ReadInChunksAsync(bytes, random, maxChunk: trial < 10 ? 7 : 700);
            Assert.Equal(whole, streamed);
        }
    }

    [Fact]
    public async Task SeveralFramesInOneRead_AreAllFound()
    {
        var frames = TestData.Samples("samples-valid.tsv").Take(10).Select(s => s.Frame);
        var bytes = Encoding.UTF8.GetBytes(string.Concat(frames));
        var streamed = await ReadInChunksAsync(bytes, new Random(1), maxChunk: bytes.Length);
        Assert.Equal(10, streamed.Count);
        Assert.All(streamed, d => Assert.StartsWith("ok", d, StringComparison.Ordinal));
    }

    private static async Task<List<string>> ReadInChunksAsync(byte[] bytes, Random random, int maxChunk)
    {
        var pipe = new Pipe();
        var writer = Task.Run(async () =>
        {
            int offset = 0;
            while (offset < bytes.Length)
            {
                int n = Math.Min(bytes.Length - offset, random.Next(1, maxChunk + 1));
                await pipe.Writer.WriteAsync(bytes.AsMemory(offset, n));
                offset += n;
            }

            await pipe.Writer.CompleteAsync();
        });
        var results = new List<string>();
        await foreach (var chunk in Hj212Framer.ReadAsync(pipe.Reader))
        {
            results.Add(Describe(chunk));
        }

        await writer;
        return results;
    }

    private static string Describe(FrameChunk chunk)
    {
        if (!chunk.IsFrame)
        {
            return $"{chunk.Scan.Error} {chunk.Bytes.Length}";
        }

        var result = Hj212Decoder.DecodeFrame(chunk.Bytes.Span, chunk.Scan);
        return result.IsOk ? $"ok {result.Packet!.Crc} {chunk.Bytes.Length}" : $"{result.Error} {chunk.Bytes.Length}";
    }
}
