using System.Numerics;
using EmissionMonitor.Compliance.Summaries;
using EmissionMonitor.Intake;
using Microsoft.Data.Sqlite;

namespace EmissionMonitor.Storage.Sqlite;

/// <summary>Writing an outlet's rebuilt days: their facts and exceeding hours.</summary>
internal sealed partial class SqliteFacts
{
    /// <summary>Replaces an outlet's facts of [fromDay, toDay) (inside a transaction).</summary>
    private void Replace(string mn, DateTime fromDay, DateTime toDay, IReadOnlyList<DayFact> days, IReadOnlyList<ExceedHour> exceeding,
        IReadOnlyList<string> exemptFlags)
    {
        long outlet = _names.Id(mn);
        foreach (var ((day, pollutant), before) in OldDays(outlet, fromDay, toDay))
        {
            AddMonth(MonthKey(FromDayKey(day)), pollutant, default(FactSums) - before);
        }

        _deleteDays.Integer(1, outlet).Integer(2, DayKey(fromDay)).Integer(3, DayKey(toDay)).Execute();
        _deleteExceeding.Integer(1, outlet).Integer(2, HourKey(fromDay)).Integer(3, HourKey(toDay)).Execute();
        foreach (var f in days)
        {
            WriteDay(f, outlet, exemptFlags);
        }

        WriteExceeding(exceeding, outlet);
        MarkStarts(outlet, fromDay, toDay);
        FlushMonths(outlet);
    }

    /// <summary>Writes a day row, adding it to its month's row (what it replaces was subtracted before).</summary>
    private void WriteDay(DayFact f, long outlet, IReadOnlyList<string> exemptFlags)
    {
        int exempt = f.FlagMask(exemptFlags);
        AddMonth(MonthKey(f.Day), _names.Id(f.Pollutant), FactSums.Day(f.Received, BitOperations.PopCount((uint)exempt), BitOperations.PopCount((uint)(f.ValidMask & ~exempt)),
            f.ValidCount, f.ExceedCount, f.Kg, f.ValidKg, f.DayState, f.GasDayState));
        _insertDay.Integer(1, DayKey(f.Day)).Integer(2, outlet).Integer(3, _names.Id(f.Pollutant)).Text(4, f.FlagText())
            .Integer(5, f.ValidMask).Integer(6, f.ExceedMask).Integer(7, f.Received).Integer(8, BitOperations.PopCount((uint)exempt))
            .Integer(9, BitOperations.PopCount((uint)(f.ValidMask & ~exempt))).Integer(10, f.ValidCount).Integer(11, f.ExceedCount)
            .Real(12, f.ValueSum).Real(13, f.Kg).Real(14, f.ValidKg).Integer(15, f.Daily ? 1 : 0).Real(16, f.DailyValue)
            .Integer(17, f.DayState).Integer(18, f.GasDayState).OptionalBlob(19, f.PackedHourValues)
            .Execute();
    }

    private void WriteExceeding(IReadOnlyList<ExceedHour> exceeding, long outlet)
    {
        foreach (var e in exceeding)
        {
            _insertExceeding.Integer(1, HourKey(e.Hour)).Integer(2, outlet).Integer(3, _names.Id(e.Pollutant)).Real(4, e.Value).Text(5, e.ValueKind)
                .Real(6, e.Bound).Integer(7, e.IsMinBound ? 1 : 0).Execute();
        }
    }

    /// <summary>Forgets what the failed transaction touched.</summary>
    public void Abandon()
    {
        _monthDelta.Clear();
        _touched.Clear();
        _newHours.Clear();
        _minuteDays.Clear();
    }

    private List<Reading> Read(string mn, string cn, DateTime from, DateTime to)
    {
        var list = new List<Reading>();
        _readings.Integer(1, _names.Id(mn)).Integer(2, _names.Id(cn)).Integer(3, PeriodKey(from)).Integer(4, PeriodKey(to))
            .ReadAll(s => list.AddRange(RecordPacking.ReadSorted(s.ColumnBlob(1), mn, cn, FromPeriodKey(s.ColumnInteger(0)), _names.Name)));
        return list;
    }

    public void Dispose()
    {
        _readings.Dispose();
        _deleteDays.Dispose();
        _insertDay.Dispose();
        _deleteExceeding.Dispose();
        _insertExceeding.Dispose();
        _markStarts.Dispose();
        _fingerprint.Dispose();
        _countHour.Dispose();
        _countMinutes.Dispose();
        _oldDays.Dispose();
        _addMonth.Dispose();
        _selectDay.Dispose();
    }
}

/// <summary>
/// Outlet MNs and pollutant codes by integer id (table names), cached; new names are added inside
/// the writer's transaction. Used by the writer only, under the store's write lock; queries join the
/// table instead.
/// </summary>
internal sealed class SqliteNames : IDisposable
{
    private readonly Dictionary<string, long> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<long, string> _byId = [];
    private readonly SqliteStatement _insert;
    private readonly SqliteStatement _all;

    public SqliteNames(SqliteConnection writer)
    {
        _insert = new SqliteStatement(writer, "INSERT INTO names (name) VALUES (?1)");
        _all = new SqliteStatement(writer, "SELECT id, name FROM names");
        Reload();
    }

    public long Id(string name)
    {
        if (!_ids.TryGetValue(name, out long id))
        {
            id = _insert.Text(1, name).Insert();
            _ids[name] = id;
            _byId[id] = name;
        }

        return id;
    }

    /// <summary>The id of a name already in the table, without adding it.</summary>
    public long? Find(string name) => _ids.TryGetValue(name, out long id) ? id : null;

    /// <summary>The name of an id in the table.</summary>
    public string Name(long id) => _byId.TryGetValue(id, out var name) ? name : throw new InvalidDataException($"the store names no id {id}");

    /// <summary>Reads the table again (after a rolled-back transaction took the names it added).</summary>
    public void Reload()
    {
        _ids.Clear();
        _byId.Clear();
        _all.ReadAll(s =>
        {
            _ids[s.ColumnText(1)!] = s.ColumnInteger(0);
            _byId[s.ColumnInteger(0)] = s.ColumnText(1)!;
        });
    }

    public void Dispose()
    {
        _insert.Dispose();
        _all.Dispose();
    }
}
