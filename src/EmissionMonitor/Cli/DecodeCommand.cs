using System.IO.Pipelines;
using System.Text.Json;
using EmissionMonitor.Hj212.Framing;
using EmissionMonitor.Hj212.Packets;

namespace EmissionMonitor.Cli;

/// <summary><c>decode [FILE|-]</c>: HJ 212 frames to JSON lines on stdout, a summary on stderr.</summary>
public static class DecodeCommand
{
    /// <summary>Runs the command.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArguments.Parse(args, ["--config", "--data"], ["--accept-modbus-crc"]);
        if (parsed.Positional.Count > 1)
        {
            throw new UsageException("decode takes one input (a file, or - for standard input)");
        }

        var options = new DecodeOptions { AcceptModbusCrc = parsed.Has("--accept-modbus-crc") };
        await using var input = InputFiles.Open(parsed.Positional.Count == 1 ? parsed.Positional[0] : null);
        await using var stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
        var tally = await DecodeAsync(input, stdout, options, cancellationToken);
        await stdout.FlushAsync(cancellationToken);
        await Console.Error.WriteLineAsync(tally.ToString());
        return 0;
    }

    /// <summary>Decodes every frame of <paramref name="input"/> to JSON lines on <paramref name="output"/>.</summary>
    public static async Task<DecodeTally> DecodeAsync(Stream input, Stream output, DecodeOptions options, CancellationToken cancellationToken)
    {
        var tally = new DecodeTally();
        var reader = PipeReader.Create(input, new StreamPipeReaderOptions(bufferSize: 1 << 16));
        using var writer = new Utf8JsonWriter(output, DecodeJson.WriterOptions);
        await foreach (var chunk in Hj212Framer.ReadAsync(reader, cancellationToken: cancellationToken))
        {
            if (!chunk.IsFrame)
            {
                tally.Fail(chunk.Scan.Error!);
                DecodeJson.WriteError(writer, chunk.Scan.Error!, chunk.Scan.Detail!);
            }
            else
            {
                var result = Hj212Decoder.DecodeFrame(chunk.Bytes.Span, chunk.Scan, options);
                if (result.IsOk)
                {
                    tally.Ok();
                    DecodeJson.WritePacket(writer, result.Packet!);
                }
                else
                {
                    tally.Fail(result.Error!);
                    DecodeJson.WriteError(writer, result.Error!, result.Detail!);
                }
            }

            writer.Flush();
            output.WriteByte((byte)'\n');
            writer.Reset();
        }

        await reader.CompleteAsync();
        return tally;
    }
}
