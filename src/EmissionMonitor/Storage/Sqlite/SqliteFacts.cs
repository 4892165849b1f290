using EmissionMonitor.Compliance.Summaries;
using EmissionMonitor.Hj212;
using EmissionMonitor.Intake;
using Microsoft.Data.Sqlite;

namespace EmissionMonitor.Storage.Sqlite;

/// <summary>
/// The writer's side of the summaries: the (outlet, day) pairs a commit gave new hourly or daily
/// readings are rebuilt from the stored readings of that day, in the commit's own transaction — so
/// late, back-filled, split and duplicate data keep the facts exactly what a recomputation gives —
/// and whole spans are replaced when an outlet is rebuilt. Integer keys: names by id, days and hours
/// counted from 1970-01-01 local time.
/// </summary>
internal sealed partial class SqliteFacts : IDisposable
{
    public static readonly DateTime Epoch = new(1970, 1, 1);

    private readonly SqliteNames _names;
    private readonly SqliteStatement _readings;
    private readonly SqliteStatement _deleteDays;
    private readonly SqliteStatement _insertDay;
    private readonly SqliteStatement _deleteExceeding;
    private readonly SqliteStatement _insertExceeding;
    private readonly SqliteStatement _markStarts;
    private readonly SqliteStatement _fingerprint;
    private readonly SqliteStatement _countHour;
    private readonly SqliteStatement _countMinutes;
    private readonly SqliteStatement _oldDays;
    private readonly SqliteStatement _addMonth;
    private readonly Dictionary<(long Month, long Pollutant), FactSums> _monthDelta = [];
    private readonly SqliteStatement _selectDay;
    private readonly HashSet<(string Mn, DateTime Day)> _touched = [];
    private readonly Dictionary<(string Mn, DateTime Hour), List<Reading>> _newHours = [];
    private readonly HashSet<(string Mn, DateTime Day)> _minuteDays = [];

    public SqliteFacts(SqliteConnection writer, SqliteNames names)
    {
        _names = names;
        _readings = new SqliteStatement(writer, "SELECT period, data FROM records WHERE outlet = ?1 AND cn = ?2 AND period >= ?3 AND period < ?4 ORDER BY period");
        _deleteDays = new SqliteStatement(writer, "DELETE FROM day_facts WHERE outlet = ?1 AND day >= ?2 AND day < ?3");
        _insertDay = new SqliteStatement(writer, """
            INSERT OR REPLACE INTO day_facts (day, outlet, pollutant, flags, valid_mask, exceed_mask, received, exempt, valid_rate, valid, exceeding,
                value_sum, kg, valid_kg, daily, daily_value, day_state, gas_state, hour_values)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)
            """);
        _deleteExceeding = new SqliteStatement(writer, "DELETE FROM exceed_hours WHERE outlet = ?1 AND hour >= ?2 AND hour < ?3");
        _insertExceeding = new SqliteStatement(writer, "INSERT OR REPLACE INTO exceed_hours (hour, outlet, pollutant, value, kind, bound, min_bound) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        _markStarts = new SqliteStatement(writer, SqliteSchema.MarkExceedStarts + " WHERE outlet = ?1 AND hour >= ?2 AND hour <= ?3");
        _fingerprint = new SqliteStatement(writer, "INSERT OR REPLACE INTO fact_state (outlet, fingerprint) VALUES (?1, ?2)");
        _oldDays = new SqliteStatement(writer, $"SELECT day, pollutant, {SumColumns} FROM day_facts WHERE outlet = ?1 AND day >= ?2 AND day < ?3");
        _addMonth = new SqliteStatement(writer, """
            INSERT INTO month_facts (month, outlet, pollutant, days, received, exempt, valid_rate, valid, exceeding, kg, valid_kg, water_days, water_exceeding, gas_days, gas_exceeding)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
            ON CONFLICT (month, outlet, pollutant) DO UPDATE SET days = days + excluded.days, received = received + excluded.received,
                exempt = exempt + excluded.exempt, valid_rate = valid_rate + excluded.valid_rate, valid = valid + excluded.valid,
                exceeding = exceeding + excluded.exceeding, kg = kg + excluded.kg, valid_kg = valid_kg + excluded.valid_kg,
                water_days = water_days + excluded.water_days, water_exceeding = water_exceeding + excluded.water_exceeding,
                gas_days = gas_days + excluded.gas_days, gas_exceeding = gas_exceeding + excluded.gas_exceeding
            """);
        _countHour = new SqliteStatement(writer, "SELECT n FROM records WHERE outlet = ?1 AND cn = ?2 AND period = ?3");
        _countMinutes = new SqliteStatement(writer, "SELECT COUNT(*) FROM records WHERE outlet = ?1 AND cn = ?2 AND period >= ?3 AND period < ?4");
        _selectDay = new SqliteStatement(writer, """
            SELECT p.name, f.flags, f.valid_mask, f.exceed_mask, f.value_sum, f.kg, f.valid_kg, f.daily, f.daily_value, f.hour_values
            FROM day_facts f JOIN names p ON p.id = f.pollutant WHERE f.day = ?1 AND f.outlet = ?2
            """);
    }

    /// <summary>A day row's summable columns, in <see cref="ReadSums"/>'s order.</summary>
    private const string SumColumns = "received, exempt, valid_rate, valid, exceeding, kg, valid_kg, day_state, gas_state";

    /// <summary>The month key of a local day: months since January 1970.</summary>
    public static long MonthKey(DateTime day) => ((day.Year - 1970) * 12L) + day.Month - 1;

    public static long DayKey(DateTime day) => (long)(day.Date - Epoch).TotalDays;

    public static long HourKey(DateTime hour) => (long)(hour - Epoch).TotalHours;

    public static DateTime FromDayKey(long key) => Epoch.AddDays(key);

    public static DateTime FromHourKey(long key) => Epoch.AddHours(key);

    /// <summary>The key of a record's period: milliseconds since 1970-01-01 local time (the store has always kept periods to the millisecond).</summary>
    public static long PeriodKey(DateTime period) => (period - Epoch).Ticks / TimeSpan.TicksPerMillisecond;

    public static DateTime FromPeriodKey(long key) => Epoch.AddTicks(key * TimeSpan.TicksPerMillisecond);

    /// <summary>Notes a reading the commit stored, so its day's facts are brought up to date before the commit ends.</summary>
    public void Touch(Reading r)
    {
        if (r.Cn == Cns.Hourly)
        {
            if (!_newHours.TryGetValue((r.Mn, r.Period), out var list))
            {
                _newHours[(r.Mn, r.Period)] = list = [];
            }

            list.Add(r);
        }
        else if (r.Cn == Cns.Daily)
        {
            _touched.Add((r.Mn, r.Period.Date)); // a daily record: its day is rebuilt
        }
        else if (r.Cn == Cns.Minute)
        {
            _minuteDays.Add((r.Mn, r.Period.Date)); // hours derived from minutes: the day is rebuilt when the rules derive them
        }
    }

    /// <summary>True when the commit brought records the facts are made of (hourly or daily).</summary>
    public bool HasWork => _newHours.Count > 0 || _touched.Count > 0 || _minuteDays.Count > 0;

    /// <summary>
    /// Brings the facts of what the commit stored up to date (inside its transaction): an hour whose
    /// every stored reading came in this commit — the common case — is added to its day's facts; a
    /// day that had readings of that hour already (a split record's other part, a late pollutant),
    /// or a new daily record, is rebuilt from its stored readings.
    /// </summary>
    public void Apply(FactMaintenance? maintenance)
    {
        try
        {
            if (maintenance is null)
            {
                return;
            }

            bool minutes = maintenance.Rules.ReadsMinutes;
            if (minutes)
            {
                _touched.UnionWith(_minuteDays);
            }

            foreach (var ((mn, day), hours) in NewHoursByDay(minutes))
            {
                if (!_touched.Contains((mn, day)) && maintenance.Outlet(mn) is { } outlet)
                {
                    AddHours(maintenance.Rules, outlet, day, hours);
                }
            }

            foreach (var (mn, day) in _touched)
            {
                if (maintenance.Outlet(mn) is { } outlet)
                {
                    RebuildDay(maintenance.Rules, outlet, day, minutes);
                }
            }
        }
        finally
        {
            _touched.Clear();
            _newHours.Clear();
            _minuteDays.Clear();
        }
    }

    /// <summary>
    /// The commit's new hours by outlet and day, those whose every stored reading came in this commit; an hour stored
    /// before (in part), or a derived hour the real record replaces, marks its day to be rebuilt instead.
    /// </summary>
    private Dictionary<(string Mn, DateTime Day), List<(DateTime Hour, List<Reading> Readings)>> NewHoursByDay(bool minutes)
    {
        var added = new Dictionary<(string Mn, DateTime Day), List<(DateTime Hour, List<Reading> Readings)>>();
        foreach (var ((mn, hour), readings) in _newHours)
        {
            long stored = 0, minuteRecords = 0;
            _countHour.Integer(1, _names.Id(mn)).Integer(2, _names.Id(Cns.Hourly)).Integer(3, PeriodKey(hour)).ReadFirst(s => stored = s.ColumnInteger(0));
            if (minutes)
            {
                _countMinutes.Integer(1, _names.Id(mn)).Integer(2, _names.Id(Cns.Minute)).Integer(3, PeriodKey(hour)).Integer(4, PeriodKey(hour.AddHours(1)))
                    .ReadFirst(s => minuteRecords = s.ColumnInteger(0));
            }

            if (stored != readings.Count || minuteRecords > 0)
            {
                _touched.Add((mn, hour.Date));
            }
            else if (!_touched.Contains((mn, hour.Date)))
            {
                if (!added.TryGetValue((mn, hour.Date), out var hours))
                {
                    added[(mn, hour.Date)] = hours = [];
                }

                hours.Add((hour, readings));
            }
        }

        return added;
    }

    /// <summary>A day's facts computed again from its stored hourly, daily (and, when the rules read them, minute) records.</summary>
    private void RebuildDay(FactRules rules, Registry.Outlet outlet, DateTime day, bool minutes)
    {
        string mn = outlet.Mn;
        var hourly = Read(mn, Cns.Hourly, day, day.AddDays(1));
        var daily = Read(mn, Cns.Daily, day, day.AddDays(1));
        var (days, exceeding) = rules.Compute(outlet, hourly, daily, minutes ? Read(mn, Cns.Minute, day, day.AddDays(1)) : null);
        Replace(mn, day, day.AddDays(1), days, exceeding, rules.Options.EffectiveExemptFlags);
    }

    /// <summary>Adds new hours to a day's stored facts and writes the pollutants they touched.</summary>
    private void AddHours(FactRules rules, Registry.Outlet outlet, DateTime day, List<(DateTime Hour, List<Reading> Readings)> hours)
    {
        long outletId = _names.Id(outlet.Mn);
        var old = OldDays(outletId, day, day.AddDays(1));
        var facts = new Dictionary<(DateTime Day, string Pollutant), DayFact>();
        _selectDay.Integer(1, DayKey(day)).Integer(2, outletId).ReadAll(s =>
        {
            var f = new DayFact(outlet.Mn, s.ColumnText(0)!, day)
            {
                ValidMask = (int)s.ColumnInteger(2), ExceedMask = (int)s.ColumnInteger(3), ValueSum = s.ColumnReal(4) ?? 0, Kg = s.ColumnReal(5) ?? 0,
                ValidKg = s.ColumnReal(6) ?? 0, Daily = s.ColumnInteger(7) == 1, DailyValue = s.ColumnReal(8),
            };
            f.ReadHourValues(s.ColumnBlob(9)); // in place, as the reports' read does: no copy of the blob per fact
            f.ReadFlags(s.ColumnText(1), c => c.ToString());
            facts[(day, f.Pollutant)] = f;
        });
        var exceeding = new List<ExceedHour>();
        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (hour, readings) in hours.OrderBy(h => h.Hour))
        {
            rules.AddHour(outlet, hour, readings, facts, exceeding);
            touched.UnionWith(readings.Select(r => r.Pollutant));
        }

        foreach (var f in facts.Values.Where(f => touched.Contains(f.Pollutant)))
        {
            rules.Finish(outlet, f);
            long pollutant = _names.Id(f.Pollutant);
            if (old.TryGetValue((DayKey(day), pollutant), out var before))
            {
                AddMonth(MonthKey(day), pollutant, default(FactSums) - before);
            }

            WriteDay(f, outletId, rules.Options.EffectiveExemptFlags);
        }

        WriteExceeding(exceeding, outletId);
        if (exceeding.Count > 0)
        {
            MarkStarts(outletId, day, day.AddDays(1)); // rows are only added here: nothing else changes
        }

        FlushMonths(outletId);
    }

    /// <summary>Sets the episode starts of an outlet's exceeding hours in [fromDay, toDay) and of the hour after, whose hour before may have changed.</summary>
    private void MarkStarts(long outlet, DateTime fromDay, DateTime toDay) =>
        _markStarts.Integer(1, outlet).Integer(2, HourKey(fromDay)).Integer(3, HourKey(toDay)).Execute();

    /// <summary>The summable columns of an outlet's stored days in [fromDay, toDay), by day and pollutant id.</summary>
    private Dictionary<(long Day, long Pollutant), FactSums> OldDays(long outlet, DateTime fromDay, DateTime toDay)
    {
        var old = new Dictionary<(long, long), FactSums>();
        _oldDays.Integer(1, outlet).Integer(2, DayKey(fromDay)).Integer(3, DayKey(toDay)).ReadAll(s => old[(s.ColumnInteger(0), s.ColumnInteger(1))] = ReadSums(s, 2));
        return old;
    }

    private static FactSums ReadSums(SqliteStatement s, int first) => FactSums.Day((int)s.ColumnInteger(first), (int)s.ColumnInteger(first + 1),
        (int)s.ColumnInteger(first + 2), (int)s.ColumnInteger(first + 3), (int)s.ColumnInteger(first + 4), s.ColumnReal(first + 5) ?? 0, s.ColumnReal(first + 6) ?? 0,
        (int)s.ColumnInteger(first + 7), (int)s.ColumnInteger(first + 8));

    private void AddMonth(long month, long pollutant, FactSums delta) =>
        _monthDelta[(month, pollutant)] = _monthDelta.GetValueOrDefault((month, pollutant)) + delta;

    /// <summary>Adds the month deltas gathered to the outlet's month rows.</summary>
    private void FlushMonths(long outlet)
    {
        foreach (var ((month, pollutant), d) in _monthDelta)
        {
            _addMonth.Integer(1, month).Integer(2, outlet).Integer(3, pollutant).Integer(4, d.Days).Integer(5, d.Received).Integer(6, d.Exempt)
                .Integer(7, d.ValidRate).Integer(8, d.Valid).Integer(9, d.Exceeding).Real(10, d.Kg).Real(11, d.ValidKg).Integer(12, d.WaterDays)
                .Integer(13, d.WaterExceeding).Integer(14, d.GasDays).Integer(15, d.GasExceeding).Execute();
        }

        _monthDelta.Clear();
    }

    /// <summary>Rebuilds an outlet's facts of [fromDay, toDay) from its stored readings (inside a transaction); returns the days written.</summary>
    public int Rebuild(FactRules rules, Registry.Outlet outlet, DateTime fromDay, DateTime toDay)
    {
        var (days, exceeding) = rules.Compute(outlet, Read(outlet.Mn, Cns.Hourly, fromDay, toDay), Read(outlet.Mn, Cns.Daily, fromDay, toDay),
            rules.ReadsMinutes ? Read(outlet.Mn, Cns.Minute, fromDay, toDay) : null);
        Replace(outlet.Mn, fromDay, toDay, days, exceeding, rules.Options.EffectiveExemptFlags);
        return days.Select(d => d.Day).Distinct().Count();
    }

    /// <summary>Stores the fingerprint of the rules an outlet's facts were built with.</summary>
    public int SetFingerprint(string mn, string fingerprint) => _fingerprint.Integer(1, _names.Id(mn)).Text(2, fingerprint).Execute();

}
