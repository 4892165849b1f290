using System.Buffers;

namespace EmissionMonitor.Reports;

/// <summary>
/// Bytes written into segments taken from a pool of this class: a part of a report's answer (megabytes of
/// JSON) is made without one large array that grows by copying, and without the full collections
/// that new large arrays cause (the pool's segments are made once and reused); they go back to the
/// pool once the part is written (<see cref="WriteTo(Stream, int)"/>, then <see cref="Dispose"/>).
/// Written both as an <see cref="IBufferWriter{T}"/> (JSON) and as a <see cref="Stream"/> (CSV).
/// </summary>
public sealed class PooledStream : Stream, IBufferWriter<byte>
{
    /// <summary>A few segments per part.</summary>
    private const int SegmentSize = 1 << 20;

    /// <summary>
    /// Segments kept for the next parts: enough for every core's parts in flight. Not the shared array
    /// pool, which trims its large arrays after every full collection (1.3 s of a country's report spent
    /// trimming and making them again).
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentBag<byte[]> Pool = [];

    private const int Pooled = 64;

    private readonly List<(byte[] Array, int Length)> _full = [];
    private byte[]? _current;
    private int _used;
    private long _length;
    private bool _disposed;

    public override long Length => _length;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => Current(sizeHint).AsMemory(_used);

    public Span<byte> GetSpan(int sizeHint = 0) => Current(sizeHint).AsSpan(_used);

    public void Advance(int count)
    {
        _used += count;
        _length += count;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            var into = GetSpan(1);
            int n = Math.Min(into.Length, buffer.Length);
            buffer[..n].CopyTo(into);
            Advance(n);
            buffer = buffer[n..];
        }
    }

    /// <summary>Writes the bytes from <paramref name="skip"/> on to <paramref name="output"/>.</summary>
    public void WriteTo(Stream output, int skip)
    {
        foreach (var (array, length) in Segments())
        {
            int from = Math.Min(skip, length);
            output.Write(array, from, length - from);
            skip -= from;
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            foreach (var (array, _) in Segments())
            {
                if (array.Length == SegmentSize && Pool.Count < Pooled)
                {
                    Pool.Add(array);
                }
            }

            _full.Clear();
            _current = null;
        }

        base.Dispose(disposing);
    }

    private IEnumerable<(byte[] Array, int Length)> Segments() => _current is null ? _full : _full.Append((_current, _used));

    /// <summary>The segment being written, a new one when this has fewer than <paramref name="sizeHint"/> bytes left.</summary>
    private byte[] Current(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        sizeHint = Math.Max(sizeHint, 1);
        if (_current is null || _current.Length - _used < sizeHint)
        {
            if (_current is not null)
            {
                _full.Add((_current, _used));
            }

            _current = sizeHint <= SegmentSize && Pool.TryTake(out var pooled) ? pooled : new byte[Math.Max(sizeHint, SegmentSize)];
            _used = 0;
        }

        return _current;
    }
}
