using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EmissionMonitor.Storage.Sqlite;

/// <summary>Connections, commands and queries: the SQL plumbing of the store.</summary>
public sealed partial class SqliteStore
{
    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        await ExecAsync(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;", cancellationToken);
        return connection;
    }

    private static async Task ExecAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<string?> ScalarTextAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task<bool> TableExistsAsync(SqliteConnection connection, string table, CancellationToken cancellationToken) =>
        await ScalarAsync(connection, $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'", cancellationToken) > 0;

    /// <summary>The writer's names (made on first use, on the writer connection).</summary>
    private SqliteNames Names(SqliteConnection writer) => _names ??= new SqliteNames(writer);

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task<Dictionary<string, long>> GroupAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken,
        Func<long, string>? nameOf = null)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            string key = reader.GetValue(0) is long id && nameOf is not null ? nameOf(id) : reader.GetString(0);
            result[key] = result.GetValueOrDefault(key) + reader.GetInt64(1); // a status as text (older rows) and by id
        }

        return result;
    }

    /// <summary>Runs a query on a read connection of its own and maps each row.</summary>
    private async Task<List<T>> QueryAsync<T>(string sql, (string Name, object? Value)[] parameters, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, sql, parameters);
        var list = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(map(reader));
        }

        return list;
    }

    /// <summary>
    /// As <see cref="QueryAsync{T}"/> for queries of many rows (a province's summaries): the rows
    /// stepped through one prepared statement and read by position, without the provider's reader
    /// object and its type check per value.
    /// </summary>
    private async Task<List<T>> QueryRowsAsync<T>(string sql, (string Name, object? Value)[] parameters, Func<SqliteStatement, T> map, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        await ReadEachAsync(sql, parameters, row => list.Add(map(row)), cancellationToken);
        return list;
    }

    /// <summary>Runs a query on a reader connection and hands each row to <paramref name="read"/> as it is stepped (nothing kept).</summary>
    private async Task ReadEachAsync(string sql, (string Name, object? Value)[] parameters, Action<SqliteStatement> read, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var statement = new SqliteStatement(connection, sql);
        foreach (var (name, value) in parameters)
        {
            statement.Bind(name, value);
        }

        long rows = 0;
        statement.ReadAll(row =>
        {
            if ((++rows & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            read(row);
        });
    }

    /// <summary>Runs statements (operator records, alerts, outbox acknowledgements) in one write transaction.</summary>
    private Task<int> ExecuteAsync(string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken) =>
        WriteTransactionAsync(async (writer, tx) =>
        {
            await using var command = Command(writer, sql, parameters);
            command.Transaction = tx;
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private static SqliteCommand Command(SqliteConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static string Reason(Exception e) => e is SqliteException { SqliteErrorCode: var code } sqlite
        ? $"{sqlite.Message.TrimEnd('.')} (SQLite code {code}; is the folder writable by this user and the disk not full?)"
        : e.Message;
}
