using EmissionMonitor.Hj212;
using System.Text;
using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Simulation;

/// <summary>
/// Makes a simulated terminal's frames: real-time (2011) and hourly (2061) records of its
/// outlet's limited pollutants plus flow (and O2 for gas), values a fraction of the limit, raised
/// above it for the exceed share, flagged F/M/D for the flag share, CRC broken for the bad share.
/// The QN is the terminal's clock when it sends (<paramref name="sendTime"/>), as a real terminal's
/// is — for a back-filled or hourly record that is not its data time; without a clock (generated
/// files) it is the data time.
/// </summary>
public sealed class FrameFactory(Outlet outlet, SimulationOptions options, Random random, TerminalBehaviour? behaviour = null, Func<DateTime>? sendTime = null)
{
    private int _qn;

    /// <summary>A real-time record (no reply asked); Broken when its CRC was damaged on purpose.</summary>
    public (byte[] Bytes, bool Broken) RealTime(DateTime local) => Encode(Build(Cns.RealTime, local, "Rtd", options.Version.Flag()));

    /// <summary>
    /// An electricity-monitoring frame (HJ 212-2025 ST=44, CN 2011): each facility's current, production
    /// well above its <c>onAbove</c>, treatment too — except in the behaviour's off hour, when a treatment
    /// facility draws almost nothing; a back-filled one carries RF=1.
    /// </summary>
    public (byte[] Bytes, bool Broken) Power(DateTime local, bool backfill = false)
    {
        var b = Header("44", Cns.RealTime, local, options.Version.Flag());
        if (backfill && options.Version == Hj212.Hj212Version.V2025)
        {
            b.Rf = 1;
        }

        foreach (var f in behaviour?.Facilities ?? [])
        {
            bool off = f.Kind == Registry.Facility.Treatment && behaviour!.TreatmentOffHour == local.Hour;
            double value = off ? 0.3 * random.NextDouble() : f.OnAbove * (2 + random.NextDouble());
            b.Value(f.Code, "Rtd", Round(value)).Value(f.Code, "Flag", "N");
        }

        return Encode(b);
    }

    /// <summary>An hourly record asking for a 9014 reply; a back-filled one carries RF=1 in the 2025 version.</summary>
    public (byte[] Bytes, bool Broken) Hourly(DateTime hourStart, bool backfill = false)
    {
        var b = Build(Cns.Hourly, hourStart, "Avg", options.Version.Flag(needsReply: true));
        if (backfill && options.Version == Hj212.Hj212Version.V2025)
        {
            b.Rf = 1;
        }

        return Encode(b);
    }

    /// <summary>A minute record (CN=2051) asking for a reply; a back-filled one carries RF=1 in the 2025 version.</summary>
    public (byte[] Bytes, bool Broken) Minute(DateTime minuteStart, bool backfill = false)
    {
        var b = Build(Cns.Minute, minuteStart, "Avg", options.Version.Flag(needsReply: true));
        if (backfill && options.Version == Hj212.Hj212Version.V2025)
        {
            b.Rf = 1;
        }

        return Encode(b);
    }

    private Hj212Builder Build(string cn, DateTime dataTime, string suffix, int flag)
    {
        var b = Header(outlet.Kind == MediumKind.Gas ? "31" : "32", cn, dataTime, flag);
        bool exceed = random.NextDouble() < options.ExceedShare;
        string dataFlag = random.NextDouble() < options.FlagShare ? new[] { "F", "M", "D" }[random.Next(3)] : "N";
        double flow = outlet.Kind == MediumKind.Gas ? 80 + (random.NextDouble() * 40) : 20 + (random.NextDouble() * 10);
        if (behaviour is { NightlyZeroFlow: true } && dataTime.Hour is >= 2 and < 5)
        {
            flow = 0; // the flow meter reads nothing while the analysers go on
        }

        string? stuck = behaviour is { StuckAnalyser: true } ? outlet.Limits.Keys.FirstOrDefault() : null;
        string flowCode = outlet.Kind == MediumKind.Gas ? CodeCatalogue.GasFlow : CodeCatalogue.WaterFlow;
        b.Value(flowCode, suffix, Round(flow));
        double seconds = cn == Cns.Minute ? 60 : 3600;
        bool totals = cn is Cns.Hourly or Cns.Minute;
        if (totals)
        {
            b.Value(flowCode, "Cou", Round(outlet.Kind == MediumKind.Gas ? flow * seconds : flow * seconds / 1000));
        }

        if (outlet.Kind == MediumKind.Gas)
        {
            b.Value(CodeCatalogue.Oxygen, suffix, Round(8 + random.NextDouble() * 3)).Value(CodeCatalogue.Oxygen, "Flag", "N");
        }

        foreach (var (code, limit) in outlet.Limits)
        {
            double value = (limit.Min, limit.Max) switch
            {
                ({ } min, { } max) => exceed ? max + 0.5 + random.NextDouble() : min + ((max - min) * (0.2 + (random.NextDouble() * 0.6))),
                (_, { } max) => max * (exceed ? 1.2 + random.NextDouble() : 0.3 + (random.NextDouble() * 0.5)),
                ({ } min, _) => min + 1 + random.NextDouble(),
                _ => random.NextDouble(),
            };
            if (code == stuck)
            {
                value = (limit.Max ?? limit.Min ?? 10) * 0.4; // the same reading, hour after hour
            }

            b.Value(code, suffix, Round(value));
            if (totals && CodeCatalogue.Find(code)?.CouUnit == "kg")
            {
                double volume = outlet.Kind == MediumKind.Gas ? flow * seconds : flow * seconds / 1000;
                b.Value(code, "Cou", Round(outlet.Kind == MediumKind.Gas ? value * volume * 1e-6 : value * volume / 1000));
            }

            b.Value(code, "Flag", dataFlag);
        }

        return b;
    }

    /// <summary>A frame's header: QN from the terminal's clock (unique within the second), the outlet's MN and password, the data time.</summary>
    private Hj212Builder Header(string st, string cn, DateTime dataTime, int flag) => new Hj212Builder
    {
        Qn = Hj212.Hj212Time.FormatQn((sendTime?.Invoke() ?? dataTime).AddMilliseconds(Interlocked.Increment(ref _qn) % 1000)),
        St = st,
        Cn = cn,
        Pw = outlet.Password,
        Mn = outlet.Mn,
        Flag = flag,
    }.DataTime(dataTime, milliseconds: cn == Cns.RealTime); // real-time at several frames a second must not collide

    private (byte[], bool) Encode(Hj212Builder builder)
    {
        string text = builder.Build().ToString();
        bool broken = random.NextDouble() < options.BadShare;
        if (broken)
        {
            // Break the CRC: a frame damaged in transit, which the service must archive as crc-mismatch.
            int crc = text.Length - 6;
            text = text[..crc] + (text[crc] == '0' ? '1' : '0') + text[(crc + 1)..];
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        if (options.Encrypt && outlet.Sm4Key is { } key)
        {
            bytes = Hj212.Crypto.Hj212Cipher.Encrypt(bytes, key);
        }

        return (bytes, broken);
    }

    private static decimal Round(double v) => Math.Round((decimal)v, 2);
}
