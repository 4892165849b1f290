using System.Globalization;
using EmissionMonitor.Intake;
using Microsoft.Data.Sqlite;

namespace EmissionMonitor.Storage.Sqlite;

/// <summary>
/// The writer's prepared statements, kept for the store's life and reused by every commit
/// transaction, and the first-wins duplicate rule. Times are formatted into stack buffers and bound
/// as spans, the raw frame is bound from its memory: storing a frame allocates almost nothing.
/// </summary>
internal sealed class SqliteCommitCommands : IDisposable
{
    private static readonly string[] TransportNames = Enum.GetNames<Transport>().Select(n => n.ToLowerInvariant()).ToArray();
    private readonly SqliteStatement _insertFrame;
    private readonly SqliteStatement _insertRecord;
    private readonly SqliteStatement _selectRecord;
    private readonly SqliteStatement _updateRecord;
    private readonly SqliteNames _names;
    private readonly PackBuffer _pack = new();
    private readonly List<Reading> _group = [];
    private readonly SqliteStatement _updateStatus;
    private readonly SqliteStatement? _outbox;
    private readonly SqliteFacts? _facts;
    private readonly FrameBlocks _blocks;

    public SqliteCommitCommands(SqliteConnection connection, SqliteNames names, bool outbox = false, SqliteFacts? facts = null)
    {
        _facts = facts;
        _names = names;
        _outbox = outbox
            ? new SqliteStatement(connection, "INSERT INTO outbox (kind, mn, cn, period, pollutant, ref_id, queued_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
            : null;
        _insertFrame = new SqliteStatement(connection, """
            INSERT INTO frames (received_at, transport, peer, mn, cn, data_time, reason, status, detail, raw, block, block_offset, block_length)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
            """);
        _blocks = new FrameBlocks(connection);
        _insertRecord = new SqliteStatement(connection, "INSERT OR IGNORE INTO records (outlet, cn, period, n, frame_id, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        _selectRecord = new SqliteStatement(connection, "SELECT n, data FROM records WHERE outlet = ?1 AND cn = ?2 AND period = ?3");
        _updateRecord = new SqliteStatement(connection, "UPDATE records SET n = ?4, data = ?5 WHERE outlet = ?1 AND cn = ?2 AND period = ?3");
        _updateStatus = new SqliteStatement(connection, "UPDATE frames SET status = ?3, reason = ?1 WHERE id = ?2");
    }

    public void Dispose()
    {
        _insertFrame.Dispose();
        _insertRecord.Dispose();
        _selectRecord.Dispose();
        _updateRecord.Dispose();
        _updateStatus.Dispose();
        _outbox?.Dispose();
        _blocks.Dispose();
    }

    public StoredOutcome Store(IntakeResult item)
    {
        string status = item.IsAccepted ? StoredOutcome.Accepted : StoredOutcome.Rejected;
        Span<char> at = stackalloc char[40];
        at = at[..Format(item.Frame.ReceivedAt, at)];
        long id = InsertFrame(item, status, at);
        if (!item.IsAccepted || item.Readings.Count == 0)
        {
            return new StoredOutcome(id, status, item.Rejection, 0);
        }

        int inserted = 0;
        bool conflict = false;
        var readings = item.Readings;
        for (int start = 0, end; start < readings.Count; start = end)
        {
            // A frame is one record as a rule; readings of another (mn, cn, period) make a row of their own.
            var first = readings[start];
            for (end = start + 1; end < readings.Count && SameRecord(readings[end], first); end++)
            {
            }

            inserted += StoreRecord(readings, start, end, id, at, ref conflict);
        }

        if (inserted > 0)
        {
            return new StoredOutcome(id, status, null, inserted);
        }

        string dup = conflict ? Reasons.DuplicateConflict : Reasons.Duplicate;
        _updateStatus.Text(1, dup).Integer(2, id).Integer(3, _names.Id(dup)).Execute();
        return new StoredOutcome(id, dup, dup, 0);
    }

    /// <summary>The frame's row (its bytes appended to a block), queued for forwarding when this store is a buffer; its id.</summary>
    private long InsertFrame(IntakeResult item, string status, ReadOnlySpan<char> at)
    {
        var p = item.Packet;
        var (block, offset) = _blocks.Append(FrameBlocks.ClassOf(item), item.Frame.Raw.Span, item.Frame.ReceivedAt);
        if (item.Frame.ReceivedAt.Offset == TimeSpan.Zero)
        {
            _insertFrame.Integer(1, item.Frame.ReceivedAt.UtcTicks);
        }
        else
        {
            _insertFrame.Text(1, at);
        }

        // An accepted frame's MN and CN are the registry's: named by id. A rejected frame's are
        // whatever was sent: by id when the store knows the name already, else as text (hostile
        // input never grows the names table).
        Name(2, TransportNames[(int)item.Frame.Transport], add: true);
        Name(4, p?.Mn, item.IsAccepted);
        Name(5, p?.Cn, item.IsAccepted);
        Name(8, status, add: true);
        if (Digits(p?.DataTimeText) is { } digits)
        {
            _insertFrame.Integer(6, digits);
        }
        else
        {
            _insertFrame.Text(6, p?.DataTimeText);
        }

        Name(3, item.Frame.Peer, add: item.Frame.Transport == Transport.Import); // an import's file; a live peer's address and port change with each connection
        long id = _insertFrame.Text(7, item.Rejection).Text(9, item.Detail)
            .Blob(10, []).Integer(11, block).Integer(12, offset).Integer(13, item.Frame.Raw.Length)
            .Insert();
        _blocks.Stored(block, id);
        Queue("frame", null, id, at);
        return id;
    }

    /// <summary>Writes the blocks the commit appended to (before the transaction commits).</summary>
    public void FinishBatch() => _blocks.Write();

    /// <summary>The transaction committed: what the blocks hold is durable.</summary>
    public void Committed() => _blocks.Committed();

    /// <summary>The transaction failed: the blocks forget what it appended.</summary>
    public void Abandon() => _blocks.Abandon();

    /// <summary>Queues a stored row for forwarding to the main store (only when this store is a buffer).</summary>
    private void Queue(string kind, Reading? reading, long? id, ReadOnlySpan<char> at)
    {
        if (_outbox is null)
        {
            return;
        }

        _outbox.Text(1, kind).Text(2, reading?.Mn).Text(3, reading?.Cn).Text(4, reading?.Period.ToString(SqliteStore.TimeFormat, CultureInfo.InvariantCulture))
            .Text(5, reading?.Pollutant).Text(7, at);
        if (id is { } refId)
        {
            _outbox.Integer(6, refId);
        }

        _outbox.Execute();
    }

    /// <summary>Binds a name column of the frame row: its id, or the text when it is not to be added and not known.</summary>
    private void Name(int index, string? name, bool add)
    {
        if (name is null)
        {
            _insertFrame.Null(index);
        }
        else if ((add ? _names.Id(name) : _names.Find(name)) is { } known)
        {
            _insertFrame.Integer(index, known);
        }
        else
        {
            _insertFrame.Text(index, name);
        }
    }

    /// <summary>A DataTime of 14 or 17 digits (not starting with 0, so the number gives the text back) as that number.</summary>
    private static long? Digits(string? text) =>
        text is { Length: 14 or 17 } && text[0] is >= '1' and <= '9' && text.All(char.IsAsciiDigit) ? long.Parse(text, CultureInfo.InvariantCulture) : null;

    private static bool SameRecord(Reading a, Reading b) =>
        a.Period == b.Period && string.Equals(a.Mn, b.Mn, StringComparison.Ordinal) && string.Equals(a.Cn, b.Cn, StringComparison.Ordinal);

    /// <summary>
    /// Stores the readings [start, end) of one record, first wins per pollutant: a new row when the
    /// record is new, else the pollutants it lacks added to its row. Returns the readings stored;
    /// <paramref name="conflict"/> is set when one that was not differs from what is stored.
    /// </summary>
    private int StoreRecord(IReadOnlyList<Reading> readings, int start, int end, long frame, ReadOnlySpan<char> at, ref bool conflict)
    {
        var first = readings[start];
        _group.Clear();
        for (int i = start; i < end; i++)
        {
            var r = readings[i];
            var same = _group.Find(g => string.Equals(g.Pollutant, r.Pollutant, StringComparison.Ordinal));
            if (same is null)
            {
                _group.Add(r);
            }
            else
            {
                conflict |= !same.SameValues(r); // the frame names a pollutant twice: its first wins
            }
        }

        long outlet = _names.Id(first.Mn), cn = _names.Id(first.Cn), period = SqliteFacts.PeriodKey(first.Period);
        _pack.Clear();
        foreach (var r in _group)
        {
            RecordPacking.Write(_pack, _names.Id(r.Pollutant), r, 0);
        }

        if (_insertRecord.Integer(1, outlet).Integer(2, cn).Integer(3, period).Integer(4, _group.Count).Integer(5, frame).Blob(6, _pack.Span).Execute() != 1)
        {
            return MergeRecord(first, (outlet, cn, period), frame, at, ref conflict);
        }

        foreach (var r in _group)
        {
            Stored(r, at);
        }

        return _group.Count;
    }

    /// <summary>The record's row exists: the pollutants of <see cref="_group"/> it lacks added to it; the readings added.</summary>
    private int MergeRecord(Reading first, (long Outlet, long Cn, long Period) key, long frame, ReadOnlySpan<char> at, ref bool conflict)
    {
        long count = 0;
        List<RecordPacking.Entry> stored = [];
        _pack.Clear();
        _selectRecord.Integer(1, key.Outlet).Integer(2, key.Cn).Integer(3, key.Period).ReadFirst(s =>
        {
            count = s.ColumnInteger(0);
            var data = s.ColumnBlob(1);
            stored = RecordPacking.Read(data, first.Mn, first.Cn, first.Period, _names.Name);
            _pack.Bytes(data);
        });
        int added = 0;
        foreach (var r in _group)
        {
            var same = stored.Find(e => string.Equals(e.Reading.Pollutant, r.Pollutant, StringComparison.Ordinal));
            if (same.Reading is not null)
            {
                conflict |= !same.Reading.SameValues(r);
                continue;
            }

            RecordPacking.Write(_pack, _names.Id(r.Pollutant), r, frame);
            Stored(r, at);
            added++;
        }

        if (added > 0)
        {
            _updateRecord.Integer(1, key.Outlet).Integer(2, key.Cn).Integer(3, key.Period).Integer(4, count + added).Blob(5, _pack.Span).Execute();
        }

        return added;
    }

    /// <summary>A reading was stored: it is queued for forwarding (buffer) and its day's facts noted.</summary>
    private void Stored(Reading r, ReadOnlySpan<char> at)
    {
        Queue("reading", r, null, at);
        _facts?.Touch(r);
    }

    /// <summary>The round-trip ("O") form the store has always written, into <paramref name="buffer"/>.</summary>
    private static int Format(DateTimeOffset value, Span<char> buffer)
    {
        value.TryFormat(buffer, out int written, "O", CultureInfo.InvariantCulture);
        return written;
    }
}
