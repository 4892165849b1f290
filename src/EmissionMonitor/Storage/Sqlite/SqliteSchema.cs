namespace EmissionMonitor.Storage.Sqlite;

/// <summary>
/// The SQLite schema. Readings are kept a record per row (outlet, CN, period: integer keys, the
/// period in milliseconds from 1970-01-01 local time) with its pollutants packed in one blob
/// (<see cref="RecordPacking"/>): the key and the pollutant inside it are the first-wins uniqueness
/// rule, and the key is the index reports use. Frames keep every arrival: a row each with
/// its status, and integer columns where
/// the value allows (the receive time in UTC ticks; MN, CN, transport, status and an import's file by their id in
/// names — an MN or CN the store does not know yet stays text; the DataTime as its digits), and the raw bytes of a commit's frames compressed together in one frame_blocks row
/// (block, offset and length say where; rows written before blocks existed keep raw). The
/// summaries (day_facts, exceed_hours, fact_state) use integer keys: outlets and pollutant codes by
/// their id in names, days and hours counted from 1970-01-01 local time.
/// </summary>
internal static class SqliteSchema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS frames (
            id          INTEGER PRIMARY KEY,
            received_at NOT NULL,
            transport   NOT NULL,
            peer,
            mn,
            cn,
            data_time,
            status      NOT NULL,
            reason      TEXT,
            detail      TEXT,
            raw         BLOB NOT NULL,
            block       INTEGER,
            block_offset INTEGER,
            block_length INTEGER
        );
        CREATE INDEX IF NOT EXISTS frames_mn ON frames (mn, id);
        CREATE TABLE IF NOT EXISTS frame_blocks (
            id          INTEGER PRIMARY KEY,
            class       INTEGER NOT NULL,
            created_at  INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL DEFAULT 0,
            first_frame INTEGER NOT NULL,
            last_frame  INTEGER NOT NULL,
            data        BLOB NOT NULL
        );
        CREATE TABLE IF NOT EXISTS retention_state (
            kind        TEXT PRIMARY KEY,
            mark        INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS records (
            outlet      INTEGER NOT NULL,
            cn          INTEGER NOT NULL,
            period      INTEGER NOT NULL,
            n           INTEGER NOT NULL,
            frame_id    INTEGER NOT NULL,
            data        BLOB NOT NULL,
            PRIMARY KEY (outlet, cn, period)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS alerts (
            id          TEXT PRIMARY KEY,
            state       TEXT NOT NULL,
            raised_at   TEXT NOT NULL,
            json        TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS alerts_raised ON alerts (raised_at);
        CREATE TABLE IF NOT EXISTS outbox (
            seq         INTEGER PRIMARY KEY,
            kind        TEXT NOT NULL,
            mn          TEXT,
            cn          TEXT,
            period      TEXT,
            pollutant   TEXT,
            ref_id      INTEGER,
            queued_at   TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS outbox_readings ON outbox (mn, cn, period) WHERE kind = 'reading';
        CREATE INDEX IF NOT EXISTS outbox_records ON outbox (seq) WHERE kind NOT IN ('reading', 'frame');
        CREATE TABLE IF NOT EXISTS names (
            id          INTEGER PRIMARY KEY,
            name        TEXT NOT NULL UNIQUE
        );
        CREATE TABLE IF NOT EXISTS day_facts (
            day         INTEGER NOT NULL,
            outlet      INTEGER NOT NULL,
            pollutant   INTEGER NOT NULL,
            flags       TEXT NOT NULL,
            valid_mask  INTEGER NOT NULL,
            exceed_mask INTEGER NOT NULL,
            received    INTEGER NOT NULL,
            exempt      INTEGER NOT NULL,
            valid_rate  INTEGER NOT NULL,
            valid       INTEGER NOT NULL,
            exceeding   INTEGER NOT NULL,
            value_sum   REAL NOT NULL,
            kg          REAL NOT NULL,
            valid_kg    REAL NOT NULL,
            daily       INTEGER NOT NULL,
            daily_value REAL,
            day_state   INTEGER NOT NULL,
            gas_state   INTEGER NOT NULL,
            hour_values BLOB,
            PRIMARY KEY (day, outlet, pollutant)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS day_facts_outlet ON day_facts (outlet, day);
        -- The days exceeding on the water daily basis (few among a province's day facts).
        CREATE INDEX IF NOT EXISTS day_facts_exceeding ON day_facts (outlet, day) WHERE day_state = 2;
        -- The days with an hour beyond an hourly limit, with their masks (the trend counts the hours from these).
        CREATE INDEX IF NOT EXISTS day_facts_exceed_masks ON day_facts (day, outlet, pollutant, exceed_mask) WHERE exceed_mask <> 0;
        CREATE TABLE IF NOT EXISTS month_facts (
            month       INTEGER NOT NULL,
            outlet      INTEGER NOT NULL,
            pollutant   INTEGER NOT NULL,
            days        INTEGER NOT NULL,
            received    INTEGER NOT NULL,
            exempt      INTEGER NOT NULL,
            valid_rate  INTEGER NOT NULL,
            valid       INTEGER NOT NULL,
            exceeding   INTEGER NOT NULL,
            kg          REAL NOT NULL,
            valid_kg    REAL NOT NULL,
            water_days  INTEGER NOT NULL,
            water_exceeding INTEGER NOT NULL,
            gas_days    INTEGER NOT NULL,
            gas_exceeding INTEGER NOT NULL,
            PRIMARY KEY (month, outlet, pollutant)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS exceed_hours (
            hour        INTEGER NOT NULL,
            outlet      INTEGER NOT NULL,
            pollutant   INTEGER NOT NULL,
            value       REAL NOT NULL,
            kind        TEXT NOT NULL,
            bound       REAL NOT NULL,
            min_bound   INTEGER NOT NULL,
            start       INTEGER,
            PRIMARY KEY (outlet, hour, pollutant)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS exceed_hours_hour ON exceed_hours (hour);
        CREATE TABLE IF NOT EXISTS fact_state (
            outlet      INTEGER PRIMARY KEY,
            fingerprint TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS documents (
            kind        TEXT NOT NULL,
            id          TEXT NOT NULL,
            mn          TEXT NOT NULL,
            state       TEXT NOT NULL,
            at          TEXT NOT NULL,
            json        TEXT NOT NULL,
            PRIMARY KEY (kind, id)
        );
        CREATE INDEX IF NOT EXISTS documents_by_mn ON documents (kind, mn, at);
        CREATE INDEX IF NOT EXISTS documents_by_time ON documents (kind, at);
        """;

    /// <summary>Columns added since the first schema, added to older databases at start-up.</summary>
    public static IReadOnlyList<(string Table, string Column)> AddedColumns { get; } =
        [("exceed_hours", ExceedStartColumn), ("marks", "meta TEXT"), ("card_lifts", "meta TEXT"), ("frames", "block INTEGER"), ("frames", "block_offset INTEGER"), ("frames", "block_length INTEGER"), ("readings", "rf INTEGER"), ("readings", "raw_avg REAL"), ("card_decisions", "visible INTEGER"), ("day_facts", "hour_values BLOB")];

    /// <summary>The column telling an exceeding hour that begins an episode (see <see cref="MarkExceedStarts"/>).</summary>
    public const string ExceedStartColumn = "start INTEGER";

    /// <summary>Indexes made once the columns added since the first schema are there: the episode starts.</summary>
    public const string CreateAfterColumns = """
        CREATE INDEX IF NOT EXISTS exceed_starts ON exceed_hours (outlet, pollutant, hour) WHERE start = 1;
        """;

    /// <summary>
    /// Sets <c>start</c> of exceeding hours: 1 unless the hour before exceeds too on the same bound
    /// (an episode's first hour), so the episodes of a period are counted by summing a column. The
    /// writer runs it over what a commit rewrote and the hour after; start-up over a table that had none.
    /// </summary>
    public const string MarkExceedStarts = """
        UPDATE exceed_hours SET start = NOT EXISTS (SELECT 1 FROM exceed_hours g WHERE g.outlet = exceed_hours.outlet AND g.hour = exceed_hours.hour - 1
            AND g.pollutant = exceed_hours.pollutant AND g.bound = exceed_hours.bound AND g.min_bound = exceed_hours.min_bound)
        """;

    /// <summary>The outbox entries of operator records (the condition of their partial index, written the same in every query that uses it).</summary>
    public const string RecordEntries = "kind NOT IN ('reading', 'frame')";

    /// <summary>
    /// Frames rows made before integer columns (every column TEXT): copied at start-up into the
    /// table of untyped columns, where the text values they hold stay as they are and are read as before.
    /// </summary>
    public const string MoveOldFrames = """
        DROP INDEX IF EXISTS frames_mn;
        ALTER TABLE frames RENAME TO frames_v1;
        """;

    public const string CopyOldFrames = """
        INSERT INTO frames (id, received_at, transport, peer, mn, cn, data_time, status, reason, detail, raw, block, block_offset, block_length)
            SELECT id, received_at, transport, peer, mn, cn, data_time, status, reason, detail, raw, block, block_offset, block_length FROM frames_v1;
        DROP TABLE frames_v1;
        """;

    /// <summary>
    /// Exceeding hours keyed hour first (databases made before the key was outlet first): moved at
    /// start-up, so the hours of a set of outlets are read in key order, without a lookup per row.
    /// </summary>
    public const string MoveOldExceedHours = """
        DROP INDEX IF EXISTS exceed_hours_outlet;
        DROP INDEX IF EXISTS exceed_hours_hour;
        ALTER TABLE exceed_hours RENAME TO exceed_hours_v1;
        """;

    public const string CopyOldExceedHours = """
        INSERT INTO exceed_hours (outlet, hour, pollutant, value, kind, bound, min_bound)
            SELECT outlet, hour, pollutant, value, kind, bound, min_bound FROM exceed_hours_v1;
        DROP TABLE exceed_hours_v1;
        """;

    /// <summary>The table of readings a row each (mn, cn, period, pollutant as text) that databases made before packed records have; moved into <c>records</c> at start-up.</summary>
    public const string OldReadings = "readings";
}
