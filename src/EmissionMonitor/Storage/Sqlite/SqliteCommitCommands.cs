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
    private readonly SqliteStatement _insertReading;
    private readonly SqliteStatement _selectReading;
    private readonly SqliteStatement _updateStatus;
    private readonly SqliteStatement? _outbox;
    private readonly SqliteFacts? _facts;
    private readonly FrameBlocks _blocks;

    public SqliteCommitCommands(SqliteConnection connection, bool outbox = false, SqliteFacts? facts = null)
    {
        _facts = facts;
        _outbox = outbox
            ? new SqliteStatement(connection, "INSERT INTO outbox (kind, mn, cn, period, pollutant, ref_id, queued_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
            : null;
        _insertFrame = new SqliteStatement(connection, """
            INSERT INTO frames (received_at, transport, peer, mn, cn, data_time, status, reason, detail, raw, block, block_offset, block_length)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
            """);
        _blocks = new FrameBlocks(connection);
        _insertReading = new SqliteStatement(connection, """
            INSERT OR IGNORE INTO readings (mn, cn, period, pollutant, rtd, avg, min, max, cou, zs_rtd, zs_avg, flag, invalid, frame_id, received_at, rf, raw_avg)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
            """);
        _selectReading = new SqliteStatement(connection, """
            SELECT rtd, avg, min, max, cou, zs_rtd, zs_avg, flag, raw_avg FROM readings
            WHERE mn = ?1 AND cn = ?2 AND period = ?3 AND pollutant = ?4
            """);
        _updateStatus = new SqliteStatement(connection, "UPDATE frames SET status = ?1, reason = ?1 WHERE id = ?2");
    }

    public void Dispose()
    {
        _insertFrame.Dispose();
        _insertReading.Dispose();
        _selectReading.Dispose();
        _updateStatus.Dispose();
        _outbox?.Dispose();
        _blocks.Dispose();
    }

    public StoredOutcome Store(IntakeResult item)
    {
        var p = item.Packet;
        string status = item.IsAccepted ? StoredOutcome.Accepted : StoredOutcome.Rejected;
        Span<char> at = stackalloc char[40];
        at = at[..Format(item.Frame.ReceivedAt, at)];
        var (block, offset) = _blocks.Append(FrameBlocks.ClassOf(item), item.Frame.Raw.Span, item.Frame.ReceivedAt);
        long id = _insertFrame.Text(1, at).Text(2, TransportNames[(int)item.Frame.Transport]).Text(3, item.Frame.Peer)
            .Text(4, p?.Mn).Text(5, p?.Cn).Text(6, p?.DataTimeText).Text(7, status).Text(8, item.Rejection).Text(9, item.Detail)
            .Blob(10, []).Integer(11, block).Integer(12, offset).Integer(13, item.Frame.Raw.Length)
            .Insert();
        _blocks.Stored(block, id);
        Queue("frame", null, id, at);
        if (!item.IsAccepted || item.Readings.Count == 0)
        {
            return new StoredOutcome(id, status, item.Rejection, 0);
        }

        int inserted = 0;
        bool conflict = false;
        Span<char> period = stackalloc char[SqliteStore.TimeFormat.Length];
        foreach (var r in item.Readings)
        {
            r.Period.TryFormat(period, out _, SqliteStore.TimeFormat, CultureInfo.InvariantCulture);
            int changed = _insertReading.Text(1, r.Mn).Text(2, r.Cn).Text(3, period).Text(4, r.Pollutant)
                .Real(5, r.Rtd).Real(6, r.Avg).Real(7, r.Min).Real(8, r.Max).Real(9, r.Cou).Real(10, r.ZsRtd).Real(11, r.ZsAvg)
                .Text(12, r.Flag).Text(13, r.Invalid).Integer(14, id).Text(15, at).Real(16, r.Rf).Real(17, r.RawAvg)
                .Execute();
            if (changed == 1)
            {
                inserted++;
                Queue("reading", r, null, at);
                _facts?.Touch(r);
            }
            else
            {
                conflict |= !SameAsStored(r, period);
            }
        }

        if (inserted > 0)
        {
            return new StoredOutcome(id, status, null, inserted);
        }

        string dup = conflict ? Reasons.DuplicateConflict : Reasons.Duplicate;
        _updateStatus.Text(1, dup).Integer(2, id).Execute();
        return new StoredOutcome(id, dup, dup, 0);
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

    private bool SameAsStored(Reading r, ReadOnlySpan<char> period)
    {
        Reading? stored = null;
        _selectReading.Text(1, r.Mn).Text(2, r.Cn).Text(3, period).Text(4, r.Pollutant).ReadFirst(s =>
            stored = r with
            {
                Rtd = s.ColumnReal(0), Avg = s.ColumnReal(1), Min = s.ColumnReal(2), Max = s.ColumnReal(3), Cou = s.ColumnReal(4),
                ZsRtd = s.ColumnReal(5), ZsAvg = s.ColumnReal(6), Flag = s.ColumnText(7), RawAvg = s.ColumnReal(8),
            });
        return stored is not null && stored.SameValues(r);
    }

    /// <summary>The round-trip ("O") form the store has always written, into <paramref name="buffer"/>.</summary>
    private static int Format(DateTimeOffset value, Span<char> buffer)
    {
        value.TryFormat(buffer, out int written, "O", CultureInfo.InvariantCulture);
        return written;
    }
}
