using EmissionMonitor.Hj212;
using EmissionMonitor.Hj212.Framing;

namespace EmissionMonitor.Intake;

/// <summary>
/// Consecutive bytes before a frame header on one stream (the framer reports them in pieces of at
/// most 16 KiB), taken together: archived once, as their first <see cref="IntakeOptions.MaxArchivedGarbage"/>
/// bytes and their byte count, so a flood of garbage costs the archive one small row.
/// </summary>
public sealed class GarbageRun(int keep)
{
    private byte[]? _head;
    private int _headLength;
    private long _bytes;
    private DateTimeOffset _since;

    /// <summary>True when bytes are held.</summary>
    public bool IsEmpty => _bytes == 0;

    /// <summary>Adds a chunk when it is garbage (<c>no-header</c>); false for any other chunk.</summary>
    public bool TryAdd(in FrameChunk chunk, DateTimeOffset at)
    {
        if (chunk.Scan.Kind != ScanKind.Error || chunk.Scan.Error != Hj212Errors.NoHeader)
        {
            return false;
        }

        if (_bytes == 0)
        {
            _head = new byte[keep];
            _headLength = 0;
            _since = at;
        }

        int take = Math.Min(keep - _headLength, chunk.Bytes.Length);
        chunk.Bytes.Span[..take].CopyTo(_head.AsSpan(_headLength));
        _headLength += take;
        _bytes += chunk.Bytes.Length;
        return true;
    }

    /// <summary>The run as one rejected frame (its head and byte count), and empties the run; null when empty.</summary>
    public IntakeResult? Take(Transport transport, string? peer)
    {
        if (_bytes == 0)
        {
            return null;
        }

        var head = _head.AsMemory(0, _headLength);
        string kept = _bytes > _headLength ? $"; the first {_headLength} are kept" : string.Empty;
        var result = IntakeResult.Reject(new ReceivedFrame(head, transport, peer, _since), Hj212Errors.NoHeader,
            $"{_bytes} bytes before a frame header: '{FrameScanner.Preview(head.Span)}'{kept}");
        _bytes = 0;
        _head = null;
        return result;
    }
}
