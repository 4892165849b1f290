using System.Globalization;
using EmissionMonitor.Compliance.Cards;
using EmissionMonitor.Compliance.Marks;
using Microsoft.Data.Sqlite;

namespace EmissionMonitor.Storage.Sqlite;

/// <summary>
/// The tables of operator and terminal records that stores made before keyed records have (a table
/// per kind, each written and read by code of its own): what they held and how it is read, so
/// start-up moves them into <c>documents</c> (<see cref="SqliteStore"/>'s legacy move) and drops them.
/// </summary>
internal static class SqliteLegacyRecords
{
    /// <summary>A legacy table: its name, the kind of its outbox entries (buffer mode), the columns read and the document a row becomes.</summary>
    public sealed record Table(string Name, string OutboxKind, string Columns, Func<SqliteDataReader, DocumentRecord> ToDocument);

    /// <summary>The legacy tables, in the order they are moved.</summary>
    public static IReadOnlyList<Table> Tables { get; } =
    [
        new("marks", "mark", "mn, kind, from_time, to_time, comment, meta", r => OperatorRecords.Marks.ToDocument(
            RecordMeta.Apply(new Mark(r.GetString(0), r.GetString(1), SqliteStore.ParseTime(r.GetString(2)), SqliteStore.ParseTime(r.GetString(3)), Text(r, 4)), Text(r, 5)))),
        new("card_lifts", "lift", "enterprise, quarter, lifted_at, lifted_by, comment, meta", r => OperatorRecords.Lifts.ToDocument(
            RecordMeta.Apply(new CardLift(r.GetString(0), r.GetString(1), Instant(r, 2), r.GetString(3), Text(r, 4)), Text(r, 5)))),
        new("card_decisions", "decision", "enterprise, quarter, decision, decided_at, decided_by, comment, colour, reasons, visible", r => OperatorRecords.Decisions.ToDocument(
            new CardDecision(r.GetString(0), r.GetString(1), r.GetString(2), Instant(r, 3), r.GetString(4), Text(r, 5), r.GetString(6),
                r.GetString(7).Length == 0 ? [] : r.GetString(7).Split('\n')) { VisibleToEnterprise = !r.IsDBNull(8) && r.GetInt64(8) == 1 })),
        new("publications", "publication", "id, quarter, city, version, published_at, published_by, json", r => OperatorRecords.Publications.ToDocument(
            new PublicationRecord(r.GetString(0), r.GetString(1), Text(r, 2), r.GetInt32(3), Instant(r, 4), r.GetString(5), r.GetString(6)))),
        new("notifications", "notification", "id, contact, state, created_at, json", r => OperatorRecords.Notifications.ToDocument(
            new NotificationRecord(r.GetString(0), r.GetString(1), r.GetString(2), Instant(r, 3), r.GetString(4)))),
        new("commands", "command", "id, mn, state, requested_at, json", r => OperatorRecords.TerminalCommands.ToDocument(
            new CommandRecord(r.GetString(0), r.GetString(1), r.GetString(2), Instant(r, 3), r.GetString(4)))),
        new("terminal_keys", "key", "mn, key, created_at, source", r => OperatorRecords.Keys.ToDocument(
            new TerminalKey(r.GetString(0), r.GetString(1), Instant(r, 2), r.GetString(3)))),
        new("terminal_identities", "identity", "mn, logger_id, cpu_id, macs, reported_at", r => OperatorRecords.Identities.ToDocument(
            new TerminalIdentity(r.GetString(0), Text(r, 1), Text(r, 2), Text(r, 3), Instant(r, 4)))),
    ];

    /// <summary>The legacy tables as they were made (tests make a store of the old layout with it).</summary>
    public const string Create = """
        CREATE TABLE IF NOT EXISTS marks (
            id          INTEGER PRIMARY KEY,
            mn          TEXT NOT NULL,
            kind        TEXT NOT NULL,
            from_time   TEXT NOT NULL,
            to_time     TEXT NOT NULL,
            comment     TEXT,
            meta        TEXT
        );
        CREATE INDEX IF NOT EXISTS marks_mn ON marks (mn, from_time);
        CREATE TABLE IF NOT EXISTS notifications (
            id          TEXT PRIMARY KEY,
            contact     TEXT NOT NULL,
            state       TEXT NOT NULL,
            created_at  TEXT NOT NULL,
            json        TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS notifications_by_state ON notifications (state, created_at);
        CREATE TABLE IF NOT EXISTS publications (
            id           TEXT PRIMARY KEY,
            quarter      TEXT NOT NULL,
            city         TEXT,
            version      INTEGER NOT NULL,
            published_at TEXT NOT NULL,
            published_by TEXT NOT NULL,
            json         TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS card_decisions (
            id          INTEGER PRIMARY KEY,
            enterprise  TEXT NOT NULL,
            quarter     TEXT NOT NULL,
            decision    TEXT NOT NULL,
            decided_at  TEXT NOT NULL,
            decided_by  TEXT NOT NULL,
            comment     TEXT,
            colour      TEXT NOT NULL,
            reasons     TEXT NOT NULL,
            visible     INTEGER
        );
        CREATE TABLE IF NOT EXISTS commands (
            id           TEXT PRIMARY KEY,
            mn           TEXT NOT NULL,
            state        TEXT NOT NULL,
            requested_at TEXT NOT NULL,
            json         TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS commands_by_mn ON commands (mn, requested_at);
        CREATE INDEX IF NOT EXISTS commands_by_time ON commands (requested_at);
        CREATE TABLE IF NOT EXISTS terminal_identities (
            id          INTEGER PRIMARY KEY,
            mn          TEXT NOT NULL,
            logger_id   TEXT,
            cpu_id      TEXT,
            macs        TEXT,
            reported_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS terminal_keys (
            id          INTEGER PRIMARY KEY,
            mn          TEXT NOT NULL,
            key         TEXT NOT NULL,
            created_at  TEXT NOT NULL,
            source      TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS card_lifts (
            id          INTEGER PRIMARY KEY,
            enterprise  TEXT NOT NULL,
            quarter     TEXT NOT NULL,
            lifted_at   TEXT NOT NULL,
            lifted_by   TEXT NOT NULL,
            comment     TEXT,
            meta        TEXT
        );
        """;

    private static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset Instant(SqliteDataReader r, int i) => DateTimeOffset.Parse(r.GetString(i), CultureInfo.InvariantCulture);
}
