namespace EmissionMonitor.Ingestion.Connecting;

/// <summary>
/// A stream in front of one MQTT connection that follows the packets' fixed headers as the bytes
/// arrive and fails the read (closing the connection) as soon as a packet announces more than
/// <c>maxPacket</c> bytes, before MQTTnet would buffer it whole: a 100 MB PUBLISH costs nothing.
/// </summary>
public sealed class MqttPacketLimitStream(Stream inner, int maxPacket) : Stream
{
    private const int FixedHeader = 0, RemainingLength = 1, Body = 2;
    private int _state;
    private long _length;
    private int _shift;
    private long _bodyLeft;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Inspect(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override int Read(Span<byte> buffer) => Inspect(buffer[..inner.Read(buffer)]);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Inspect(buffer.Span[..n]);
    }

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Follows the packet boundaries through the bytes just read; returns their count.</summary>
    private int Inspect(ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        while (i < bytes.Length)
        {
            if (_state == Body)
            {
                int take = (int)Math.Min(_bodyLeft, bytes.Length - i);
                _bodyLeft -= take;
                i += take;
                _state = _bodyLeft == 0 ? FixedHeader : Body;
                continue;
            }

            byte b = bytes[i++];
            if (_state == FixedHeader)
            {
                _state = RemainingLength;
                _length = 0;
                _shift = 0;
                continue;
            }

            _length |= (long)(b & 0x7F) << _shift;
            _shift += 7;
            if ((b & 0x80) != 0)
            {
                if (_shift >= 28)
                {
                    throw new IOException("malformed MQTT remaining length");
                }

                continue;
            }

            if (_length > maxPacket)
            {
                throw new PacketTooLargeException(_length, maxPacket);
            }

            _bodyLeft = _length;
            _state = _bodyLeft == 0 ? FixedHeader : Body;
        }

        return bytes.Length;
    }
}

/// <summary>An MQTT packet announced more bytes than the limit; the connection is closed.</summary>
public sealed class PacketTooLargeException(long length, int limit)
    : IOException($"MQTT packet of {length} bytes exceeds the limit of {limit}");
