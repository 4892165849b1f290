using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EmissionMonitor.Storage.Sqlite;

/// <summary>
/// One statement prepared once on the writer connection and reused for every row of every commit,
/// bound by position straight from spans: the ingestion path's inserts without the per-call
/// parameter lookup, reader object and value boxing of <see cref="SqliteCommand"/>. Errors throw
/// <see cref="SqliteException"/> with SQLite's code and message, as the provider does.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _stmt));
    }

    public SqliteStatement Text(int index, ReadOnlySpan<char> value)
    {
        Check(raw.sqlite3_bind_text16(_stmt, index, value));
        return this;
    }

    public SqliteStatement Text(int index, string? value) => value is null ? Null(index) : Text(index, value.AsSpan());

    public SqliteStatement Blob(int index, ReadOnlySpan<byte> value)
    {
        // An empty span would be bound as NULL (no pointer); an empty payload is an empty blob.
        Check(value.IsEmpty ? raw.sqlite3_bind_zeroblob(_stmt, index, 0) : raw.sqlite3_bind_blob(_stmt, index, value));
        return this;
    }

    /// <summary>Binds a blob, or NULL when there is none.</summary>
    public SqliteStatement OptionalBlob(int index, byte[]? value) => value is null ? Null(index) : Blob(index, value);

    public SqliteStatement Real(int index, double? value)
    {
        Check(value is { } d ? raw.sqlite3_bind_double(_stmt, index, d) : raw.sqlite3_bind_null(_stmt, index));
        return this;
    }

    public SqliteStatement Integer(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_stmt, index, value));
        return this;
    }

    public SqliteStatement Null(int index)
    {
        Check(raw.sqlite3_bind_null(_stmt, index));
        return this;
    }

    /// <summary>Binds a named parameter (<c>$name</c>) to an integer, text or null; a name the statement does not use is ignored, as the provider does.</summary>
    public SqliteStatement Bind(string name, object? value)
    {
        int index = raw.sqlite3_bind_parameter_index(_stmt, name);
        return index == 0 ? this : value switch
        {
            null => Null(index),
            long l => Integer(index, l),
            int i => Integer(index, i),
            double d => Real(index, d),
            string t => Text(index, t),
            _ => throw new ArgumentException($"cannot bind a {value.GetType().Name} to {name}", nameof(value)),
        };
    }

    /// <summary>Runs the statement to completion and returns the rows it changed.</summary>
    public int Execute()
    {
        try
        {
            int rc = raw.sqlite3_step(_stmt);
            if (rc is not (raw.SQLITE_DONE or raw.SQLITE_ROW))
            {
                Check(rc);
            }

            return raw.sqlite3_changes(_db);
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Runs an INSERT and returns the new row's id.</summary>
    public long Insert()
    {
        Execute();
        return raw.sqlite3_last_insert_rowid(_db);
    }

    /// <summary>Steps to the first row and hands it to <paramref name="read"/>; false when there is none.</summary>
    public bool ReadFirst(Action<SqliteStatement> read)
    {
        try
        {
            int rc = raw.sqlite3_step(_stmt);
            if (rc == raw.SQLITE_DONE)
            {
                return false;
            }

            if (rc != raw.SQLITE_ROW)
            {
                Check(rc);
            }

            read(this);
            return true;
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Steps through every row, handing each to <paramref name="read"/>.</summary>
    public void ReadAll(Action<SqliteStatement> read)
    {
        try
        {
            while (true)
            {
                int rc = raw.sqlite3_step(_stmt);
                if (rc == raw.SQLITE_DONE)
                {
                    return;
                }

                if (rc != raw.SQLITE_ROW)
                {
                    Check(rc);
                }

                read(this);
            }
        }
        finally
        {
            Reset();
        }
    }

    public long ColumnInteger(int index) => raw.sqlite3_column_int64(_stmt, index);

    /// <summary>A column declared NOT NULL as a double.</summary>
    public double ColumnDouble(int index) => raw.sqlite3_column_double(_stmt, index);

    public double? ColumnReal(int index) =>
        raw.sqlite3_column_type(_stmt, index) == raw.SQLITE_NULL ? null : raw.sqlite3_column_double(_stmt, index);

    public string? ColumnText(int index) =>
        raw.sqlite3_column_type(_stmt, index) == raw.SQLITE_NULL ? null : raw.sqlite3_column_text(_stmt, index).utf8_to_string();

    /// <summary>A text column's UTF-8 bytes (empty for NULL), valid until the statement steps or resets.</summary>
    public ReadOnlySpan<byte> ColumnUtf8(int index) => raw.sqlite3_column_blob(_stmt, index); // a text value as a blob: its bytes, no terminator

    /// <summary>A blob column's bytes, valid until the statement steps or resets.</summary>
    public ReadOnlySpan<byte> ColumnBlob(int index) => raw.sqlite3_column_blob(_stmt, index);

    public void Dispose() => _stmt.Dispose();

    private void Reset()
    {
        raw.sqlite3_reset(_stmt);
        raw.sqlite3_clear_bindings(_stmt);
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite Error {rc}: '{raw.sqlite3_errmsg(_db).utf8_to_string()}'.", rc, raw.sqlite3_extended_errcode(_db));
        }
    }
}
