using EmissionMonitor.Storage;
using System.IO.Pipelines;
using System.Text.Json;
using EmissionMonitor.Hj212.Crypto;
using EmissionMonitor.Hj212.Framing;
using EmissionMonitor.Hj212.Packets;

namespace EmissionMonitor.Cli;

/// <summary>
/// <c>decode [FILE|-]</c>: HJ 212 frames to JSON lines on stdout, a summary on stderr. Encrypted
/// (HJ 212-2025) data segments are decrypted with <c>--key KEY</c> (one key for every frame), or with
/// the registry's keys by MN (<c>--config DIR</c>), and with <c>--data DIR</c> also the keys kept in
/// the store (rotated or set by an operator, with the previous one of each terminal).
/// </summary>
public static class DecodeCommand
{
    /// <summary>Runs the command.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArguments.Parse(args, ["--config", "--data", "--key"], ["--accept-modbus-crc"]);
        if (parsed.Positional.Count > 1)
        {
            throw new UsageException("decode takes one input (a file, or - for standard input)");
        }

        var options = new DecodeOptions { AcceptModbusCrc = parsed.Has("--accept-modbus-crc"), Keys = await KeysAsync(parsed, cancellationToken) };
        await using var input = InputFiles.Open(parsed.Positional.Count == 1 ? parsed.Positional[0] : null);
        await using var stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
        var tally = await DecodeAsync(input, stdout, options, cancellationToken);
        await stdout.FlushAsync(cancellationToken);
        await Console.Error.WriteLineAsync(tally.ToString());
        return 0;
    }

    /// <summary>The keys <c>--key</c>, <c>--config</c> and <c>--data</c> give; null without any.</summary>
    private static async Task<Sm4KeyLookup?> KeysAsync(CliArguments parsed, CancellationToken cancellationToken)
    {
        if (parsed.Value("--key") is { } text)
        {
            if (!Sm4Key.TryParse(text, out var key, out string? why))
            {
                throw new UsageException($"--key: {why}");
            }

            return _ => [key!];
        }

        if (parsed.Value("--config") is not { } config)
        {
            return null;
        }

        var settings = Configuration.AppSettings.Load(config, parsed.Value("--data"));
        var registry = settings.LoadRegistry();
        var byMn = registry.Outlets.Where(o => o.Sm4Key is not null).ToDictionary(o => o.Mn, o => new List<Sm4Key> { o.Sm4Key! }, StringComparer.Ordinal);
        if (parsed.Value("--data") is not null)
        {
            await using var store = settings.CreateStore();
            await store.InitializeAsync(cancellationToken);
            foreach (var record in await store.QueryTerminalKeysAsync(cancellationToken))
            {
                if (Sm4Key.TryParse(record.Key, out var key, out _))
                {
                    if (!byMn.TryGetValue(record.Mn, out var list))
                    {
                        byMn[record.Mn] = list = [];
                    }

                    list.Remove(key!);
                    list.Insert(0, key!); // newest first
                }
            }
        }

        return mn => byMn.TryGetValue(mn, out var keys) ? keys : [];
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
                    DecodeJson.WritePacket(writer, result.Packet!, result.Encrypted);
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
