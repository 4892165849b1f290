using Microsoft.Data.Sqlite;

namespace EmissionMonitor.Storage.Sqlite;

/// <summary>Start-up's move of the legacy record tables (<see cref="SqliteLegacyRecords"/>) into <c>documents</c>.</summary>
public sealed partial class SqliteStore
{
    /// <summary>
    /// Each legacy table still there moved in one transaction: every row written as its document (a
    /// later row of the same document replacing an earlier, as reading them did), what the outbox
    /// still had to forward of it queued again as those documents (buffer mode), the table dropped.
    /// A move cut short leaves the table whole, and the next start moves it again.
    /// </summary>
    private async Task MoveLegacyRecordsAsync(SqliteConnection writer, CancellationToken cancellationToken)
    {
        foreach (var table in SqliteLegacyRecords.Tables)
        {
            if (!await TableExistsAsync(writer, table.Name, cancellationToken))
            {
                continue;
            }

            await using var tx = (SqliteTransaction)await writer.BeginTransactionAsync(cancellationToken);
            var queued = new Dictionary<long, string>();
            var rows = new List<(long RowId, DocumentRecord Document)>();
            await using (var read = writer.CreateCommand())
            {
                read.Transaction = tx;
                read.CommandText = $"SELECT ref_id, queued_at FROM outbox WHERE kind = '{table.OutboxKind}'";
                await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        queued[reader.GetInt64(0)] = reader.GetString(1);
                    }
                }

                read.CommandText = $"SELECT {table.Columns}, rowid FROM {table.Name} ORDER BY rowid"; // the row id last: the columns read from 0
                await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        rows.Add((reader.GetInt64(reader.FieldCount - 1), table.ToDocument(reader)));
                    }
                }
            }

            foreach (var (rowId, document) in rows)
            {
                bool pending = queued.TryGetValue(rowId, out string? at);
                await using var insert = Command(writer, InsertDocument + (pending ? "INSERT INTO outbox (kind, ref_id, queued_at) VALUES ('document', last_insert_rowid(), $queued);" : ""),
                    [.. DocumentParameters(document), ("$queued", at)]);
                insert.Transaction = tx;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var drop = writer.CreateCommand())
            {
                drop.Transaction = tx;
                drop.CommandText = $"DELETE FROM outbox WHERE kind = '{table.OutboxKind}'; DROP TABLE {table.Name};";
                await drop.ExecuteNonQueryAsync(cancellationToken);
            }

            await tx.CommitAsync(cancellationToken);
        }
    }
}
