using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using EmissionMonitor.Hj212;
using EmissionMonitor.Hj212.Crc;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Hj212.Framing;

namespace EmissionMonitor.Benchmarks;

/// <summary>
/// Framing + CRC + decode of real frames, per frame, beside two baselines in the same run: a
/// CRC-only pass over each frame (reading the bytes once: the floor) and a straightforward
/// string-split decoder written here.
/// </summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    private byte[][] _frames = [];

    [Params("field-day-2005", "samples-2017")]
    public string Set { get; set; } = "field-day-2005";

    [GlobalSetup]
    public void Setup() => _frames = Set == "field-day-2005" ? Frames.FieldDay(20_000) : Frames.Samples2017();

    private int N => _frames.Length;

    [Benchmark(Baseline = true, Description = "CRC only (floor)")]
    public int CrcOnly()
    {
        int sum = 0;
        foreach (var f in _frames)
        {
            sum += Hj212Crc.Compute(f.AsSpan(6, f.Length - 12));
        }

        return sum;
    }

    [Benchmark(Description = "scan + CRC + span reader, every item's number parsed")]
    public int Read()
    {
        int numbers = 0;
        foreach (var f in _frames)
        {
            var scan = FrameScanner.Scan(f, isFinal: true);
            if (Hj212Decoder.TryRead(f.AsSpan(0, scan.Consumed), scan, out var reader, out _) is not null)
            {
                continue;
            }

            numbers += reader.HasMn && reader.DataTime is not null ? 1 : 0;
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

    [Benchmark(Description = "scan + decode to a packet (header fields read)")]
    public int Decode()
    {
        int ok = 0;
        ReadOnlyMemory<byte> memory;
        foreach (var f in _frames)
        {
            var scan = FrameScanner.Scan(f, isFinal: true);
            memory = f.AsMemory(0, scan.Consumed);
            if (Hj212Decoder.DecodeFrame(memory, scan) is { IsOk: true } r && r.Packet!.Mn is not null && r.Packet.Cn is not null)
            {
                ok++;
            }
        }

        return ok;
    }

    [Benchmark(Description = "scan + decode to a packet + every value materialised")]
    public int DecodeValues()
    {
        int values = 0;
        foreach (var f in _frames)
        {
            var scan = FrameScanner.Scan(f, isFinal: true);
            if (Hj212Decoder.DecodeFrame(f.AsMemory(0, scan.Consumed), scan) is { IsOk: true } r)
            {
                values += r.Packet!.Values.Count;
            }
        }

        return values;
    }

    [Benchmark(Description = "naive Split + Dictionary")]
    public int NaiveSplit()
    {
        int ok = 0;
        foreach (var f in _frames)
        {
            string text = Encoding.UTF8.GetString(f).TrimEnd('\r', '\n');
            int len = int.Parse(text.AsSpan(2, 4), CultureInfo.InvariantCulture);
            string segment = text.Substring(6, len);
            if (NaiveCrc(Encoding.UTF8.GetBytes(segment)).ToString("X4", CultureInfo.InvariantCulture) != text.Substring(6 + len, 4).ToUpperInvariant())
            {
                continue;
            }

            var fields = new Dictionary<string, string>();
            int cp = segment.IndexOf("CP=&&", StringComparison.Ordinal);
            foreach (var part in segment[..cp].Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = part.Split('=', 2);
                if (kv.Length == 2)
                {
                    fields[kv[0]] = kv[1];
                }
            }

            foreach (var item in segment[(cp + 5)..^2].Split([';', ','], StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = item.Split('=', 2);
                if (kv.Length == 2)
                {
                    fields[kv[0]] = kv[1];
                }
            }

            ok += fields.Count > 0 ? 1 : 0;
        }

        return ok;
    }

    /// <summary>The standard's bit loop, as a straightforward implementation writes it.</summary>
    private static ushort NaiveCrc(byte[] data)
    {
        int reg = 0xFFFF;
        foreach (byte b in data)
        {
            reg = (reg >> 8) ^ b;
            for (int j = 0; j < 8; j++)
            {
                bool lsb = (reg & 1) != 0;
                reg >>= 1;
                if (lsb)
                {
                    reg ^= 0xA001;
                }
            }
        }

        return (ushort)reg;
    }
}
