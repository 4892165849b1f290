using EmissionMonitor.Intake;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Alerts;

/// <summary>
/// Where an outlet's backlog for the alert rules goes once its share of memory is full: a file per
/// outlet in a folder of the data directory, each committed frame appended as its raw bytes, how it
/// arrived and how it was stored, and read back in order (the frame is checked again by the intake to
/// be evaluated). Bounded: an outlet's file holds at most <c>maxBytes</c>; beyond it a frame's
/// evaluation is dropped and counted. The folder is emptied at start-up — a backlog of a stopped
/// service is history, its data is in the store. Not thread-safe: the <see cref="FairQueue{T}"/>
/// calls it under its lock.
/// </summary>
public sealed class BacklogSpill : IDisposable
{
    private readonly string _folder;
    private readonly long _maxBytes;
    private readonly Dictionary<string, (FileStream Writer, FileStream Reader)> _files = new(StringComparer.Ordinal);

    public BacklogSpill(string folder, long maxBytes)
    {
        _folder = folder;
        _maxBytes = maxBytes;
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Appends a frame to the outlet's file; false (nothing written) when the file is full.</summary>
    public bool Put(string key, ReceivedFrame frame, StoredOutcome outcome)
    {
        var (writer, _) = Files(key);
        if (writer.Length >= _maxBytes)
        {
            return false;
        }

        using var w = new BinaryWriter(writer, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(frame.Raw.Length);
        w.Write(frame.Raw.Span);
        w.Write((byte)frame.Transport);
        w.Write(frame.Peer ?? string.Empty);
        w.Write(frame.ReceivedAt.UtcTicks);
        w.Write(frame.TopicMn ?? string.Empty);
        w.Write(frame.UserName ?? string.Empty);
        w.Write(outcome.FrameId);
        w.Write(outcome.Status);
        w.Write(outcome.Reason ?? string.Empty);
        w.Write(outcome.NewReadings);
        w.Flush();
        return true;
    }

    /// <summary>The outlet's oldest spilled frame, or false when its file has none left (the file is then removed).</summary>
    public bool TryTake(string key, out (ReceivedFrame Frame, StoredOutcome Outcome) item)
    {
        item = default;
        if (!_files.TryGetValue(key, out var files))
        {
            return false;
        }

        if (files.Reader.Position >= files.Writer.Length)
        {
            Remove(key, files);
            return false;
        }

        using var r = new BinaryReader(files.Reader, System.Text.Encoding.UTF8, leaveOpen: true);
        var raw = r.ReadBytes(r.ReadInt32());
        var transport = (Transport)r.ReadByte();
        string peer = r.ReadString();
        var at = new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero);
        string topic = r.ReadString(), user = r.ReadString();
        var outcome = new StoredOutcome(r.ReadInt64(), r.ReadString(), r.ReadString() is { Length: > 0 } reason ? reason : null, r.ReadInt32());
        item = (new ReceivedFrame(raw, transport, peer.Length == 0 ? null : peer, at, topic.Length == 0 ? null : topic, user.Length == 0 ? null : user), outcome);
        if (files.Reader.Position >= files.Writer.Length)
        {
            Remove(key, files); // drained: the file goes at once
        }

        return true;
    }

    private void Remove(string key, (FileStream Writer, FileStream Reader) files)
    {
        files.Writer.Dispose();
        files.Reader.Dispose();
        _files.Remove(key);
        File.Delete(PathOf(key));
    }

    public void Dispose()
    {
        foreach (var (writer, reader) in _files.Values)
        {
            writer.Dispose();
            reader.Dispose();
        }

        _files.Clear();
    }

    private (FileStream Writer, FileStream Reader) Files(string key)
    {
        if (!_files.TryGetValue(key, out var files))
        {
            Directory.CreateDirectory(_folder);
            string path = PathOf(key);
            var writer = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            _files[key] = files = (writer, reader);
        }

        return files;
    }

    /// <summary>A file name of the MN's characters only (an MN is letters and digits; anything else is replaced).</summary>
    private string PathOf(string key) => Path.Combine(_folder, string.Concat(key.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')) + "-" + (uint)StringComparer.Ordinal.GetHashCode(key) % 100000 + ".spill");
}

/// <summary>The alert rules' overflow: committed frames spilled to disk, checked again by the intake when they come back.</summary>
public sealed class SpilledCommits(BacklogSpill spill, Func<ReceivedFrame, IntakeResult> intake) : IOverflow<(IntakeResult Item, StoredOutcome Outcome)>
{
    public bool Put(string key, (IntakeResult Item, StoredOutcome Outcome) item) => spill.Put(key, item.Item.Frame, item.Outcome);

    public bool TryTake(string key, out (IntakeResult Item, StoredOutcome Outcome) item)
    {
        item = default;
        if (!spill.TryTake(key, out var kept))
        {
            return false;
        }

        item = (intake(kept.Frame), kept.Outcome);
        return true;
    }
}
