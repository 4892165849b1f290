using System.IO.Compression;

namespace EmissionMonitor.Cli;

/// <summary>Opens a command's input: a file or standard input (<c>-</c>), gunzipped when it starts with gzip's magic bytes.</summary>
public static class InputFiles
{
    /// <summary>Opens <paramref name="path"/> (or stdin for <c>-</c>/null) for reading raw frames.</summary>
    public static Stream Open(string? path)
    {
        Stream raw;
        if (path is null or "-")
        {
            raw = Console.OpenStandardInput();
        }
        else if (!File.Exists(path))
        {
            throw new UsageException($"input file not found: {path}");
        }
        else
        {
            raw = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }

        var magic = new byte[2];
        int n = raw.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        Stream whole = new PrefixedStream(magic.AsMemory(0, n), raw);
        return n == 2 && magic[0] == 0x1F && magic[1] == 0x8B
            ? new GZipStream(whole, CompressionMode.Decompress)
            : whole;
    }

    /// <summary>Bytes already read, then the rest of the inner stream.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.IsEmpty)
            {
                return inner.Read(buffer);
            }

            int n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _prefix.IsEmpty ? inner.ReadAsync(buffer, cancellationToken) : ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
