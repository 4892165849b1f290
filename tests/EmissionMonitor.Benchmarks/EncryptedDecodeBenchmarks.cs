using BenchmarkDotNet.Attributes;
using EmissionMonitor.Hj212;
using EmissionMonitor.Hj212.Crypto;
using EmissionMonitor.Hj212.Framing;
using EmissionMonitor.Hj212.Packets;

namespace EmissionMonitor.Benchmarks;

/// <summary>
/// HJ 212-2025 encrypted frames: the 2017/2025 samples and 20,000 field-day frames, each
/// SM4-encrypted with a key (the length field counting the plain segment, as the standard's
/// examples do), then scanned, decrypted, CRC-checked and read — beside the same frames plain.
/// </summary>
[MemoryDiagnoser]
public class EncryptedDecodeBenchmarks
{
    private static readonly Sm4Key Key = Sm4Key.Parse("k7Qm2Xv9Lp4Rt8Wz");
    private static readonly DecodeOptions WithKey = new() { Keys = _ => [Key] };
    private byte[][] _plain = [];
    private byte[][] _encrypted = [];

    [Params("field-day-2005", "samples-2017")]
    public string Set { get; set; } = "samples-2017";

    [GlobalSetup]
    public void Setup()
    {
        _plain = (Set == "field-day-2005" ? Frames.FieldDay(20_000) : Frames.Samples2017())
            .Where(f => FrameScanner.Scan(f, isFinal: true) is { Kind: ScanKind.Frame } scan && Hj212Decoder.TryRead(f.AsSpan(0, scan.Consumed), scan, out _, out _) is null)
            .ToArray();
        _encrypted = _plain.Select(f => Hj212Cipher.Encrypt(f, Key)).ToArray();
        Console.WriteLine($"// {Set}: {_plain.Length} frames, {_encrypted.Sum(f => f.Length) / _encrypted.Length} bytes each on average encrypted");
    }

    [Benchmark(Baseline = true, Description = "plain: scan + CRC + span reader")]
    public int Plain() => Read(_plain);

    [Benchmark(Description = "encrypted: scan + SM4 decrypt + CRC + span reader")]
    public int Encrypted() => Read(_encrypted);

    [Benchmark(Description = "encrypted: scan + SM4 decrypt + CRC + decode to a packet")]
    public int EncryptedPacket()
    {
        int ok = 0;
        foreach (var f in _encrypted)
        {
            var scan = FrameScanner.Scan(f, isFinal: true);
            if (Hj212Decoder.DecodeFrame(f.AsMemory(0, scan.Consumed), scan, WithKey) is { IsOk: true } r && r.Packet!.Mn is not null)
            {
                ok++;
            }
        }

        return ok;
    }

    private static int Read(byte[][] frames)
    {
        int numbers = 0;
        foreach (var f in frames)
        {
            var scan = FrameScanner.Scan(f, isFinal: true);
            if (Hj212Decoder.TryRead(f.AsSpan(0, scan.Consumed), scan, out var reader, out _, WithKey) is not null)
            {
                continue;
            }

            foreach (var item in reader.Items)
            {
                if (item.HasValue && !item.Code.IsEmpty && Hj212Number.TryParse(item.Value, out _))
                {
                    numbers++;
                }
            }
        }

        return numbers;
    }
}
