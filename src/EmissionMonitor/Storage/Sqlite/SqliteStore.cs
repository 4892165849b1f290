using System.Globalization;
using EmissionMonitor.Intake;
using Microsoft.Data.Sqlite;

namespace EmissionMonitor.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file (WAL, synchronous=FULL so a commit survives a crash) under
/// the data folder. One writer connection commits whole batches in one transaction; queries open
/// their own read connections, so reports run beside ingestion.
/// </summary>
public sealed partial class SqliteStore(string dataDirectory, bool outbox = false, int maxSizeMB = 0, TimeProvider? clock = null) : IStore
{
    internal const string TimeFormat = "yyyy-MM-ddTHH:mm:ss.fff";
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private SqliteConnection? _writer;
    private SqliteCommitCommands? _commands;
    private SqliteNames? _names;
    private SqliteFacts? _facts;
    private volatile FactMaintenance? _maintenance;
    private readonly CancellationTokenSource _stop = new();
    private Task _checkpoints = Task.CompletedTask;
    private bool _disposed;

    public string DatabasePath { get; } = Path.Combine(dataDirectory, "emission-monitor.db");

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(dataDirectory);
            _writer = await OpenAsync(cancellationToken);
            await MakeSchemaAsync(_writer, cancellationToken);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            // A folder the service may not write (permissions, a read-only mount, a full disk) stops
            // start-up with the key and the reason, not a crash.
            if (_writer is not null)
            {
                await _writer.DisposeAsync();
                _writer = null;
            }

            throw new ConfigurationException(
                $"Storage:DataDirectory '{Path.GetFullPath(dataDirectory)}' cannot hold the database {Path.GetFileName(DatabasePath)}: {Reason(e)}");
        }

        // A 64 MB page cache for the writer, and checkpoints moved off the commit path: a background
        // connection copies the WAL into the database every second (PASSIVE never blocks the writer);
        // the writer's own auto-checkpoint, at 64 MB of WAL, stays as the backstop.
        await ExecAsync(_writer, "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 16384;", cancellationToken);
        if (maxSizeMB > 0)
        {
            // Storage:MaxSizeMB: past this size SQLite answers "database or disk is full", like a full disk.
            await ExecAsync(_writer, $"PRAGMA max_page_count = {(long)maxSizeMB * 1024 * 1024 / 4096};", cancellationToken);
        }

        _checkpoints = Task.Run(() => CheckpointLoopAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>
    /// The schema made or brought up to date: tables of older layouts moved (exceeding hours keyed
    /// hour first, frames of text columns, readings a row each, a table per kind of record), columns
    /// added since the first schema added, the episode starts of rows from before that column marked.
    /// </summary>
    private async Task MakeSchemaAsync(SqliteConnection writer, CancellationToken cancellationToken)
    {
        bool markStarts = false;
        if (await ScalarAsync(writer, "SELECT pk FROM pragma_table_info('exceed_hours') WHERE name = 'hour'", cancellationToken) == 1)
        {
            await MoveTableAsync(SqliteSchema.MoveOldExceedHours, SqliteSchema.CopyOldExceedHours, cancellationToken);
            markStarts = true;
        }

        await ExecAsync(writer, SqliteSchema.Create, cancellationToken);
        foreach (var (table, column) in SqliteSchema.AddedColumns)
        {
            if (!await TableExistsAsync(writer, table, cancellationToken))
            {
                continue;
            }

            if (await ScalarAsync(writer, $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column.Split(' ')[0]}'", cancellationToken) == 0)
            {
                await ExecAsync(writer, $"ALTER TABLE {table} ADD COLUMN {column};", cancellationToken);
                markStarts |= column == SqliteSchema.ExceedStartColumn;
            }
        }

        if (markStarts)
        {
            await ExecAsync(writer, SqliteSchema.MarkExceedStarts, cancellationToken); // rows from before the column: every one
        }

        await ExecAsync(writer, SqliteSchema.CreateAfterColumns, cancellationToken);

        await ExecAsync(writer, "CREATE TABLE IF NOT EXISTS write_check (x); DROP TABLE write_check;", cancellationToken);
        if (await ScalarTextAsync(writer, "SELECT type FROM pragma_table_info('frames') WHERE name = 'received_at'", cancellationToken) == "TEXT")
        {
            await MoveTableAsync(SqliteSchema.MoveOldFrames, SqliteSchema.CopyOldFrames, cancellationToken);
        }

        if (await TableExistsAsync(writer, SqliteSchema.OldReadings, cancellationToken))
        {
            await MoveOldReadingsAsync(writer, cancellationToken);
        }

        await MoveLegacyRecordsAsync(writer, cancellationToken);
    }

    /// <summary>A table of an older layout moved into the current one in one transaction: renamed away, the schema made, its rows copied in.</summary>
    private async Task MoveTableAsync(string moveOld, string copyOld, CancellationToken cancellationToken)
    {
        await using var tx = (SqliteTransaction)await _writer!.BeginTransactionAsync(cancellationToken);
        foreach (var sql in new[] { moveOld, SqliteSchema.Create, copyOld })
        {
            await using var command = _writer.CreateCommand();
            command.Transaction = tx;
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
    }

    private async Task CheckpointLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), clock ?? TimeProvider.System, cancellationToken);
                try
                {
                    await ExecAsync(connection, "PRAGMA wal_checkpoint(PASSIVE);", cancellationToken);
                }
                catch (SqliteException)
                {
                    // Busy, or a failing disk: the writer's auto-checkpoint remains; try again next round.
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SqliteException)
        {
            // Stopping, or the database cannot be opened a second time: the writer checkpoints itself.
        }
    }

    public async Task<IReadOnlyList<StoredOutcome>> CommitAsync(IReadOnlyList<IntakeResult> batch, CancellationToken cancellationToken)
    {
        bool factsWork = false;
        var outcomes = await WriteTransactionAsync<IReadOnlyList<StoredOutcome>>((writer, _) =>
        {
            // A buffer keeps no summaries: its commits note nothing for them.
            var commands = _commands ??= new SqliteCommitCommands(writer, Names(writer), outbox, KeepsFacts ? Facts(writer) : null);
            var outcomes = new List<StoredOutcome>(batch.Count);
            foreach (var item in batch)
            {
                outcomes.Add(commands.Store(item));
            }

            factsWork = _facts is { HasWork: true };
            _facts?.Apply(_maintenance);
            commands.FinishBatch();
            return Task.FromResult<IReadOnlyList<StoredOutcome>>(outcomes);
        }, cancellationToken);
        if (factsWork)
        {
            FactsChanged(); // after the commit: whatever is computed under the new version sees it
        }

        return outcomes;
    }

    /// <summary>
    /// The one way to write: <paramref name="work"/> in a transaction on the writer connection, under
    /// the write lock (group commits, operator records, rebuilds and pruning take turns: SQLite has
    /// one writer, and a second connection would wait in its busy loop for a gap between commits).
    /// When the transaction fails, what it added in memory goes with it: the commit's touched days and
    /// open archive blocks are forgotten and the names reread.
    /// </summary>
    private async Task<T> WriteTransactionAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var writer = _writer ?? throw new InvalidOperationException("store not initialised");
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var tx = (SqliteTransaction)await writer.BeginTransactionAsync(cancellationToken);
            try
            {
                var result = await work(writer, tx);
                await tx.CommitAsync(cancellationToken);
                _commands?.Committed();
                return result;
            }
            catch
            {
                _facts?.Abandon();
                _commands?.Abandon();
                try
                {
                    await tx.RollbackAsync(CancellationToken.None);
                    _names?.Reload();
                }
                catch (Exception e) when (e is SqliteException or InvalidOperationException)
                {
                    // The connection is failing (a full or broken disk): the error below says why.
                }

                throw;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<StoreCounts> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        long readings = await ScalarAsync(connection, "SELECT COALESCE(SUM(n), 0) FROM records", cancellationToken);
        var byStatus = await GroupAsync(connection, "SELECT status, COUNT(*) FROM frames GROUP BY status", cancellationToken, NameOf);
        var byReason = await GroupAsync(connection, "SELECT reason, COUNT(*) FROM frames WHERE reason IS NOT NULL GROUP BY reason", cancellationToken);
        return new StoreCounts(readings, byStatus.Values.Sum(), byStatus, byReason);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync();
        await _checkpoints;
        // A write in flight (a service still saving while the host stops) finishes first: its
        // transaction must not be torn down under it. Later writers find no writer.
        bool quiet = await _writeLock.WaitAsync(TimeSpan.FromSeconds(30));
        _commands?.Dispose();
        _commands = null;
        _facts?.Dispose();
        _facts = null;
        _names?.Dispose();
        _names = null;
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
            _writer = null;
        }

        if (quiet)
        {
            _writeLock.Release();
        }

        _writeLock.Dispose();
        _stop.Dispose();
    }

}
