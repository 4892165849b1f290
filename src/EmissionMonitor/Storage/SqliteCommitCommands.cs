using System.Globalization;
using EmissionMonitor.Intake;
using Microsoft.Data.Sqlite;

namespace EmissionMonitor.Storage;

/// <summary>The prepared statements of one commit transaction, and the first-wins duplicate rule.</summary>
internal sealed class SqliteCommitCommands : IDisposable
{
    private readonly SqliteCommand _insertFrame;
    private readonly SqliteCommand _insertReading;
    private readonly SqliteCommand _selectReading;
    private readonly SqliteCommand _updateStatus;
    private readonly SqliteCommand? _outbox;

    public SqliteCommitCommands(SqliteConnection connection, SqliteTransaction tx, bool outbox = false)
    {
        _outbox = outbox
            ? Command(connection, tx, "INSERT INTO outbox (kind, mn, cn, period, pollutant, ref_id, queued_at) VALUES ($kind, $mn, $cn, $period, $p, $ref, $at)",
                "$kind", "$mn", "$cn", "$period", "$p", "$ref", "$at")
            : null;
        _insertFrame = Command(connection, tx, """
            INSERT INTO frames (received_at, transport, peer, mn, cn, data_time, status, reason, detail, raw)
            VALUES ($at, $transport, $peer, $mn, $cn, $dt, $status, $reason, $detail, $raw) RETURNING id
            """, "$at", "$transport", "$peer", "$mn", "$cn", "$dt", "$status", "$reason", "$detail", "$raw");
        _insertReading = Command(connection, tx, """
            INSERT OR IGNORE INTO readings (mn, cn, period, pollutant, rtd, avg, min, max, cou, zs_rtd, zs_avg, flag, invalid, frame_id, received_at)
            VALUES ($mn, $cn, $period, $pollutant, $rtd, $avg, $min, $max, $cou, $zs_rtd, $zs_avg, $flag, $invalid, $frame, $at)
            """, "$mn", "$cn", "$period", "$pollutant", "$rtd", "$avg", "$min", "$max", "$cou", "$zs_rtd", "$zs_avg", "$flag", "$invalid", "$frame", "$at");
        _selectReading = Command(connection, tx, """
            SELECT rtd, avg, min, max, cou, zs_rtd, zs_avg, flag FROM readings
            WHERE mn = $mn AND cn = $cn AND period = $period AND pollutant = $pollutant
            """, "$mn", "$cn", "$period", "$pollutant");
        _updateStatus = Command(connection, tx, "UPDATE frames SET status = $status, reason = $status WHERE id = $id", "$status", "$id");
    }

    public void Dispose()
    {
        _insertFrame.Dispose();
        _insertReading.Dispose();
        _selectReading.Dispose();
        _updateStatus.Dispose();
        _outbox?.Dispose();
    }

    public StoredOutcome Store(IntakeResult item)
    {
        var p = item.Packet;
        string status = item.IsAccepted ? StoredOutcome.Accepted : StoredOutcome.Rejected;
        Set(_insertFrame, item.Frame.ReceivedAt.ToString("O", CultureInfo.InvariantCulture), item.Frame.Transport.ToString().ToLowerInvariant(),
            item.Frame.Peer, p?.Mn, p?.Cn, p?.DataTimeText, status, item.Rejection, item.Detail, item.Frame.Raw.ToArray());
        long id = (long)_insertFrame.ExecuteScalar()!;
        Queue("frame", null, id, item.Frame.ReceivedAt);
        if (!item.IsAccepted || item.Readings.Count == 0)
        {
            return new StoredOutcome(id, status, item.Rejection, 0);
        }

        int inserted = 0;
        bool conflict = false;
        string at = item.Frame.ReceivedAt.ToString("O", CultureInfo.InvariantCulture);
        foreach (var r in item.Readings)
        {
            string period = r.Period.ToString(SqliteStore.TimeFormat, CultureInfo.InvariantCulture);
            Set(_insertReading, r.Mn, r.Cn, period, r.Pollutant, r.Rtd, r.Avg, r.Min, r.Max, r.Cou, r.ZsRtd, r.ZsAvg, r.Flag, r.Invalid, id, at);
            if (_insertReading.ExecuteNonQuery() == 1)
            {
                inserted++;
                Queue("reading", (r.Mn, r.Cn, period, r.Pollutant), null, item.Frame.ReceivedAt);
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
        Set(_updateStatus, dup, id);
        _updateStatus.ExecuteNonQuery();
        return new StoredOutcome(id, dup, dup, 0);
    }

    /// <summary>Queues a stored row for forwarding to the main store (only when this store is a buffer).</summary>
    private void Queue(string kind, (string Mn, string Cn, string Period, string Pollutant)? reading, long? id, DateTimeOffset at)
    {
        if (_outbox is null)
        {
            return;
        }

        Set(_outbox, kind, reading?.Mn, reading?.Cn, reading?.Period, reading?.Pollutant, id, at.ToString("O", CultureInfo.InvariantCulture));
        _outbox.ExecuteNonQuery();
    }

    private bool SameAsStored(Reading r, string period)
    {
        Set(_selectReading, r.Mn, r.Cn, period, r.Pollutant);
        using var reader = _selectReading.ExecuteReader();
        if (!reader.Read())
        {
            return false;
        }

        double? N(int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
        var stored = r with { Rtd = N(0), Avg = N(1), Min = N(2), Max = N(3), Cou = N(4), ZsRtd = N(5), ZsAvg = N(6), Flag = reader.IsDBNull(7) ? null : reader.GetString(7) };
        return stored.SameValues(r);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction tx, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static void Set(SqliteCommand command, params object?[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}
