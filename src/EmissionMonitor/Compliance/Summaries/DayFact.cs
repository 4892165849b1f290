using System.Numerics;

namespace EmissionMonitor.Compliance.Summaries;

/// <summary>
/// One local day of one outlet's pollutant as every rule of DOMAIN.md section 0 needs it, kept up to
/// date as data arrives so that reports read a few thousand of these instead of millions of readings:
/// the flag each hour's record counts with (null where no hourly record carried the pollutant), which
/// hours are valid and which exceed the hourly limit, the sums of compared values and of kilograms,
/// the day's daily record (CN=2031) and the day judged on the daily basis. Mutable while it is built
/// (<see cref="FactRules"/>), read-only afterwards. Hours are local wall-clock hours 0–23.
/// </summary>
public sealed class DayFact(string mn, string pollutant, DateTime day)
{
    public const int HoursPerDay = 24;

    /// <summary>Every hour of a day as a mask.</summary>
    public const int AllHours = (1 << HoursPerDay) - 1;

    public string Mn { get; } = mn;

    public string Pollutant { get; } = pollutant;

    /// <summary>The local day (midnight).</summary>
    public DateTime Day { get; } = day;

    /// <summary>The flag each hour's record counts with (as sent, or Compliance:MissingFlagAs); null without a record.</summary>
    public string?[] Flags { get; } = new string?[HoursPerDay];

    /// <summary>Hours whose value is valid (flag N, a value, in range).</summary>
    public int ValidMask { get; set; }

    /// <summary>Valid hours whose compared value crosses the limit (hourly basis only: gas and range limits).</summary>
    public int ExceedMask { get; set; }

    /// <summary>The sum of the compared values of the valid hours (pollutants with a limit).</summary>
    public double ValueSum { get; set; }

    /// <summary>kg of every received hour (a missing Cou derived from concentration and flow).</summary>
    public double Kg { get; set; }

    /// <summary>kg of the valid hours.</summary>
    public double ValidKg { get; set; }

    /// <summary>True when a daily record (CN=2031) carried the pollutant this day.</summary>
    public bool Daily { get; set; }

    /// <summary>The daily record's value when it is valid.</summary>
    public double? DailyValue { get; set; }

    /// <summary>The day on the water daily basis: <see cref="DayStates"/>.</summary>
    public int DayState { get; set; }

    /// <summary>The day on the gas daily basis of Cards:Basis=day: <see cref="DayStates"/>.</summary>
    public int GasDayState { get; set; }

    /// <summary>
    /// What substitution for totals reads of each received hour of a totalled pollutant: the measured
    /// concentration (Avg), the hour's flow volume (m³) and its kg, NaN where unknown (a valid hour's
    /// stand in for gaps; an invalid hour's kg is what its substitute replaces); hours without them
    /// are not in <see cref="ValueMask"/>. Kept as 24 × 3 numbers while the day is built and
    /// stored packed (<see cref="PackedHourValues"/>).
    /// </summary>
    private double[]? _hourValues;

    /// <summary>The hours that carry values for substitution.</summary>
    public int ValueMask { get; private set; }

    /// <summary>Keeps a valid hour's concentration, flow volume (m³) and kg (null where unknown).</summary>
    public void SetHourValues(int hour, double? concentration, double? volume, double? kg)
    {
        _hourValues ??= new double[HoursPerDay * 3];
        _hourValues[hour * 3] = concentration ?? double.NaN;
        _hourValues[(hour * 3) + 1] = volume ?? double.NaN;
        _hourValues[(hour * 3) + 2] = kg ?? double.NaN;
        ValueMask |= 1 << hour;
    }

    /// <summary>A valid hour's concentration, flow volume and kg, or null when the hour carries none.</summary>
    public (double? Concentration, double? Volume, double? Kg)? HourValues(int hour)
    {
        if ((ValueMask & (1 << hour)) == 0 || _hourValues is null)
        {
            return null;
        }

        static double? Known(double v) => double.IsNaN(v) ? null : v;
        return (Known(_hourValues[hour * 3]), Known(_hourValues[(hour * 3) + 1]), Known(_hourValues[(hour * 3) + 2]));
    }

    /// <summary>The hour values as stored: the mask (4 bytes) then three doubles per hour of it, in hour order; null when none.</summary>
    public byte[]? PackedHourValues
    {
        get
        {
            if (ValueMask == 0 || _hourValues is null)
            {
                return null;
            }

            var bytes = new byte[4 + (BitOperations.PopCount((uint)ValueMask) * 24)];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes, ValueMask);
            int at = 4;
            for (int h = 0; h < HoursPerDay; h++)
            {
                if ((ValueMask & (1 << h)) != 0)
                {
                    for (int i = 0; i < 3; i++, at += 8)
                    {
                        System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(at), _hourValues[(h * 3) + i]);
                    }
                }
            }

            return bytes;
        }

        set => ReadHourValues(value);
    }

    /// <summary>Reads packed hour values (<see cref="PackedHourValues"/>) in place: empty, or too short for a mask, is none.</summary>
    public void ReadHourValues(ReadOnlySpan<byte> value)
    {
        ValueMask = 0;
        _hourValues = null;
        if (value.Length < 4)
        {
            return;
        }

        int mask = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(value);
        int at = 4;
        for (int h = 0; h < HoursPerDay && at + 24 <= value.Length; h++)
        {
            if ((mask & (1 << h)) != 0)
            {
                SetHourValues(h, NaNless(Read(value, at)), NaNless(Read(value, at + 8)), NaNless(Read(value, at + 16)));
                at += 24;
            }
        }

        static double Read(ReadOnlySpan<byte> bytes, int at) => System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(bytes[at..]);
        static double? NaNless(double v) => double.IsNaN(v) ? null : v;
    }

    /// <summary>Hours with a record.</summary>
    public int PresentMask
    {
        get
        {
            int mask = 0;
            for (int h = 0; h < HoursPerDay; h++)
            {
                mask |= Flags[h] is null ? 0 : 1 << h;
            }

            return mask;
        }
    }

    /// <summary>Hours whose flag is one of <paramref name="flags"/>.</summary>
    public int FlagMask(IReadOnlyList<string> flags)
    {
        int mask = 0;
        for (int h = 0; h < HoursPerDay; h++)
        {
            if (Flags[h] is { } f && flags.Contains(f, StringComparer.Ordinal))
            {
                mask |= 1 << h;
            }
        }

        return mask;
    }

    public int Received => BitOperations.PopCount((uint)PresentMask);

    public int ValidCount => BitOperations.PopCount((uint)ValidMask);

    public int ExceedCount => BitOperations.PopCount((uint)ExceedMask);

    /// <summary>The value of the day on the water daily basis: the valid daily record, else the mean of the valid hours when there are enough and no daily record at all.</summary>
    public double? WaterDayValue(int minHours) =>
        Daily ? DailyValue : ValidCount >= minHours && ValidCount > 0 ? ValueSum / ValidCount : null;

    /// <summary>The flags as stored: 24 characters when every flag is one character, else 24 entries joined by '|'.</summary>
    public string FlagText()
    {
        bool simple = Flags.All(f => f is null || (f.Length == 1 && f[0] is not ('.' or '|')));
        return simple
            ? string.Create(HoursPerDay, Flags, (span, flags) =>
            {
                for (int h = 0; h < HoursPerDay; h++)
                {
                    span[h] = flags[h] is { } f ? f[0] : '.';
                }
            })
            : string.Join('|', Flags.Select(f => f ?? ""));
    }

    /// <summary>Reads <see cref="FlagText"/> back into <see cref="Flags"/>.</summary>
    public void ReadFlags(ReadOnlySpan<char> text, Func<char, string> single)
    {
        if (text.Length == HoursPerDay && !text.Contains('|'))
        {
            for (int h = 0; h < HoursPerDay; h++)
            {
                Flags[h] = text[h] == '.' ? null : single(text[h]);
            }

            return;
        }

        int hour = 0;
        foreach (var range in text.Split('|'))
        {
            if (hour < HoursPerDay)
            {
                Flags[hour++] = text[range].IsEmpty ? null : text[range].ToString();
            }
        }
    }
}

/// <summary>How a day stands on a daily basis.</summary>
public static class DayStates
{
    /// <summary>Not a valid assessed day.</summary>
    public const int None = 0;

    /// <summary>A valid day within the limit.</summary>
    public const int Compliant = 1;

    /// <summary>A valid day beyond the limit.</summary>
    public const int Exceeding = 2;
}

/// <summary>A valid hour beyond its hourly limit: the sparse detail behind exceedance episodes.</summary>
public sealed record ExceedHour(string Mn, string Pollutant, DateTime Hour, double Value, string ValueKind, double Bound, bool IsMinBound);

/// <summary>How many hours of one local day an outlet's pollutant exceeded its hourly limit (the trend reads these, not the hours).</summary>
public sealed record ExceedDayCount(string Mn, string Pollutant, DateTime Day, int Hours)
{
    /// <summary>Exceeding hours counted per outlet, pollutant and local day.</summary>
    public static IEnumerable<ExceedDayCount> Of(IEnumerable<ExceedHour> hours) =>
        hours.GroupBy(e => (e.Mn, e.Pollutant, e.Hour.Date)).Select(g => new ExceedDayCount(g.Key.Mn, g.Key.Pollutant, g.Key.Date, g.Count()));
}

/// <summary>
/// One local day of exceeding hours over the outlet-pollutant pairs a report counts: their sum, and
/// the outlets that had one (each once). The trend reads these — a province's quarter is a row a day.
/// </summary>
public sealed record ExceedDayTotal(DateTime Day, int Hours, IReadOnlyList<string> Outlets)
{
    /// <summary>Counts of outlets, pollutants and days summed per day.</summary>
    public static IEnumerable<ExceedDayTotal> Of(IEnumerable<ExceedDayCount> counts) =>
        counts.GroupBy(c => c.Day).Select(g => new ExceedDayTotal(g.Key, g.Sum(c => c.Hours), g.Select(c => c.Mn).Distinct(StringComparer.Ordinal).ToList()));

    /// <summary>Two sets of days merged (hours added, outlets united), in day order.</summary>
    public static List<ExceedDayTotal> Merge(IEnumerable<ExceedDayTotal> first, IEnumerable<ExceedDayTotal> second) =>
        first.Concat(second).GroupBy(t => t.Day).OrderBy(g => g.Key)
            .Select(g => g.Count() == 1 ? g.First() : new ExceedDayTotal(g.Key, g.Sum(t => t.Hours), g.SelectMany(t => t.Outlets).Distinct(StringComparer.Ordinal).ToList()))
            .ToList();
}
