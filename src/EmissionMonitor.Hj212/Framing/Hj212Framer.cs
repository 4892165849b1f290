using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace EmissionMonitor.Hj212.Framing;

/// <summary>
/// Cuts a byte stream into frames and error runs with <see cref="FrameScanner"/>: over a whole
/// buffer, or incrementally from a <see cref="PipeReader"/> (a socket, a file). Both give the same
/// chunks for the same bytes, however the reads are cut.
/// </summary>
public static class Hj212Framer
{
    /// <summary>Every frame and error run of a complete input; blank runs are skipped.</summary>
    public static IEnumerable<FrameChunk> Split(ReadOnlyMemory<byte> input, FramingOptions? options = null)
    {
        int offset = 0;
        while (offset < input.Length)
        {
            var scan = FrameScanner.Scan(input.Span[offset..], isFinal: true, options);
            if (scan.Kind == ScanKind.NeedMore || scan.Consumed == 0)
            {
                yield break; // unreachable with isFinal, kept as a guard against looping
            }

            if (scan.Kind != ScanKind.Skip)
            {
                yield return new FrameChunk(scan, input.Slice(offset, scan.Consumed));
            }

            offset += scan.Consumed;
        }
    }

    /// <summary>Frames and error runs as they arrive; ends when the reader completes.</summary>
    public static async IAsyncEnumerable<FrameChunk> ReadAsync(
        PipeReader reader, FramingOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            bool final = read.IsCompleted || read.IsCanceled;
            var chunks = new List<FrameChunk>();
            long consumed = ScanAll(buffer, final, options, chunks);
            reader.AdvanceTo(buffer.GetPosition(consumed), buffer.End);
            foreach (var chunk in chunks)
            {
                yield return chunk;
            }

            if (final)
            {
                yield break;
            }
        }
    }

    private static long ScanAll(ReadOnlySequence<byte> buffer, bool final, FramingOptions? options, List<FrameChunk> chunks)
    {
        // One contiguous copy per read when the pipe's buffer spans segments; frames are small.
        ReadOnlyMemory<byte> memory = buffer.IsSingleSegment ? buffer.First : buffer.ToArray();
        int offset = 0;
        while (offset < memory.Length)
        {
            var scan = FrameScanner.Scan(memory.Span[offset..], final, options);
            if (scan.Kind == ScanKind.NeedMore || scan.Consumed == 0)
            {
                break;
            }

            if (scan.Kind != ScanKind.Skip)
            {
                chunks.Add(new FrameChunk(scan, memory.Slice(offset, scan.Consumed).ToArray()));
            }

            offset += scan.Consumed;
        }

        return offset;
    }
}
