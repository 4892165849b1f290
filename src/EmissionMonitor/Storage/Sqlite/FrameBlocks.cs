using System.IO.Compression;

namespace EmissionMonitor.Storage.Sqlite;

/// <summary>
/// The raw archive's compression: a commit's frames are concatenated and deflated (zlib, fastest) into
/// one block — HJ 212 text shrinks several times over across a batch, where a lone frame barely would.
/// </summary>
internal static class FrameBlocks
{
    public static byte[] Compress(ReadOnlySpan<byte> raw)
    {
        using var output = new MemoryStream(raw.Length / 4 + 64);
        using (var z = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(raw);
        }

        return output.ToArray();
    }

    public static byte[] Decompress(byte[] block)
    {
        using var input = new ZLibStream(new MemoryStream(block), CompressionMode.Decompress);
        using var output = new MemoryStream(block.Length * 6);
        input.CopyTo(output);
        return output.ToArray();
    }
}
