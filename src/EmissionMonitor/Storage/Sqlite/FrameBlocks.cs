using System.IO.Compression;
using EmissionMonitor.Hj212;
using EmissionMonitor.Intake;
using Microsoft.Data.Sqlite;

namespace EmissionMonitor.Storage.Sqlite;

/// <summary>
/// The raw archive's compressed blocks. Frames are appended to an open block of their retention class
/// (real-time, minute, hourly and daily data, everything else) until it holds
/// <see cref="BlockBytes"/> of raw bytes; each commit rewrites the blocks it appended to, deflated
/// (zlib, fastest) as a whole — HJ 212 text shrinks several times over across many frames, where a
/// lone frame barely would — inside its own transaction, so a frame's bytes are durable when it is
/// acknowledged. Keeping classes apart lets retention drop whole blocks. A block records its class,
/// when it was opened and its first and last frame ids (what retention needs).
/// </summary>
internal sealed class FrameBlocks : IDisposable
{
    /// <summary>Raw bytes a block takes before a new one is opened.</summary>
    public const int BlockBytes = 64 * 1024;

    /// <summary>Seconds a block stays open at most, so a quiet class's blocks close and can age out.</summary>
    public const int BlockSeconds = 3600;

    public const int Events = 0;
    public const int RealTime = 1;
    public const int Minute = 2;
    public const int Data = 3;

    /// <summary>The classes by name (the InfluxDB frames' <c>class</c> tag).</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["events", "realtime", "minute", "data"];

    private readonly SqliteStatement _insert;
    private readonly SqliteStatement _update;
    private readonly Open?[] _open = new Open?[4];

    public FrameBlocks(SqliteConnection writer)
    {
        _insert = new SqliteStatement(writer, "INSERT INTO frame_blocks (class, created_at, first_frame, last_frame, data) VALUES (?1, ?2, 0, 0, zeroblob(0))");
        _update = new SqliteStatement(writer, "UPDATE frame_blocks SET data = ?1, first_frame = ?2, last_frame = ?3, updated_at = ?5 WHERE id = ?4");
    }

    /// <summary>The retention class of a frame: accepted real-time, minute (with HJ 212-2025's raw 2013 and furnace 2111 data) or hourly/daily data, or an event (any other CN, any rejected frame).</summary>
    public static int ClassOf(IntakeResult item) => ClassOf(item.IsAccepted, item.Packet?.Cn);

    /// <summary>The retention class of a frame: rejected frames are events, accepted ones go by their CN.</summary>
    public static int ClassOf(bool accepted, string? cn) => !accepted ? Events : cn switch
    {
        Cns.RealTime => RealTime,
        Cns.Minute or Cns.RawData or Cns.FurnaceTemperature => Minute,
        Cns.Hourly or Cns.Daily => Data,
        _ => Events,
    };

    /// <summary>Appends a frame's bytes to its class's open block; returns the block and the offset.</summary>
    public (long Block, long Offset) Append(int cls, ReadOnlySpan<byte> raw, DateTimeOffset receivedAt)
    {
        var open = _open[cls];
        long at = receivedAt.ToUnixTimeSeconds();
        if (open is null || open.Raw.Length >= BlockBytes || at - open.Created > BlockSeconds)
        {
            if (open is { Dirty: true })
            {
                Write(open); // the full block's last frames, in this transaction
            }

            open = _open[cls] = new Open(_insert.Integer(1, cls).Integer(2, at).Insert()) { Created = at };
        }

        long offset = open.Raw.Length;
        open.Raw.Write(raw);
        open.Dirty = true;
        open.Updated = Math.Max(open.Updated, at);
        return (open.Id, offset);
    }

    /// <summary>Notes the id of the frame row just stored in <paramref name="block"/>.</summary>
    public void Stored(long block, long frameId)
    {
        foreach (var open in _open)
        {
            if (open?.Id == block)
            {
                open.First = open.First == 0 ? frameId : open.First;
                open.Last = frameId;
            }
        }
    }

    /// <summary>Rewrites every open block appended to since the last commit.</summary>
    public void Write()
    {
        foreach (var open in _open)
        {
            if (open is { Dirty: true })
            {
                Write(open);
            }
        }
    }

    private void Write(Open open) =>
        _update.Blob(1, Compress(open.Raw.GetBuffer().AsSpan(0, (int)open.Raw.Length))).Integer(2, open.First).Integer(3, open.Last).Integer(4, open.Id)
            .Integer(5, open.Updated).Execute();

    public void Committed()
    {
        foreach (var open in _open)
        {
            open?.Dirty = false;
        }
    }

    /// <summary>
    /// After a failed transaction: the rollback restored every block row as last committed (or
    /// removed it), so later frames go to fresh blocks rather than to an in-memory copy that no
    /// longer matches.
    /// </summary>
    public void Abandon() => Array.Clear(_open);

    public void Dispose()
    {
        _insert.Dispose();
        _update.Dispose();
    }

    public static byte[] Compress(ReadOnlySpan<byte> raw)
    {
        using var output = new MemoryStream(raw.Length / 4 + 64);
        // zlib level 3: a sixth of the raw size for HJ 212 text (level 1, "fastest", a fifth) at a
        // third more time; level 6 would save another sixth at twice the time of level 1.
        using (var z = new ZLibStream(output, new ZLibCompressionOptions { CompressionLevel = 3 }, leaveOpen: true))
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

    /// <summary>An open block: its id, raw bytes so far and first and last frame ids.</summary>
    private sealed class Open(long id)
    {
        public long Id { get; } = id;

        public MemoryStream Raw { get; } = new();

        public long First { get; set; }

        public long Last { get; set; }

        public bool Dirty { get; set; }

        /// <summary>When it was opened (Unix seconds).</summary>
        public long Created { get; init; }

        /// <summary>The latest receive time of its frames (Unix seconds): retention drops a block only once its newest frame is old enough.</summary>
        public long Updated { get; set; }
    }
}
