using System.Globalization;
using EmissionMonitor.Hj212;
using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Hj212.Replies;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Simulation;

/// <summary>
/// How a simulated terminal answers the host's commands: which CNs it refuses (QnRtn=2), which it
/// never answers (so the host times out), how long its ExeRtn takes, how far its clock is off.
/// </summary>
public sealed record TerminalBehaviour
{
    public static readonly TerminalBehaviour Default = new();

    /// <summary>CNs answered QnRtn=2 (rejected).</summary>
    public IReadOnlySet<string> Refuse { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>CNs not answered at all.</summary>
    public IReadOnlySet<string> Ignore { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>CNs answered ExeRtn=2 (failed) after QnRtn=1.</summary>
    public IReadOnlySet<string> Fail { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The wait between a request's QnRtn and its ExeRtn (a slow terminal).</summary>
    public TimeSpan ExeDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The terminal's clock against the true time at start.</summary>
    public TimeSpan ClockOffset { get; init; }

    /// <summary>Its first limited pollutant's analyser is stuck: the same value in every record (恒值).</summary>
    public bool StuckAnalyser { get; init; }

    /// <summary>Its flow reads zero from 02:00 to 05:00 each night while concentrations go on (无流量).</summary>
    public bool NightlyZeroFlow { get; init; }

    /// <summary>Sends minute records (CN=2051) and no hourly ones: the service derives its hours (its last <see cref="MinuteHistoryHours"/> of back-fill as minutes, hourly before).</summary>
    public bool MinuteOnly { get; init; }

    /// <summary>Sends nothing for the local hours [From, To) (its data acquisition was down: an outage covered by manual data), or null.</summary>
    public (DateTime From, DateTime To)? Outage { get; init; }

    /// <summary>The facilities whose power this terminal sends (HJ 212-2025 ST=44 real-time frames), none by default.</summary>
    public IReadOnlyList<Registry.Facility> Facilities { get; init; } = [];

    /// <summary>The local hour each day its treatment facilities are switched off while production runs (a demo's 治污设施停运), or null.</summary>
    public int? TreatmentOffHour { get; init; }

    /// <summary>Hours of back-fill a minute-only terminal sends as minute records (older history goes as hourly records: it switched to minute records lately).</summary>
    public const int MinuteHistoryHours = 6;

    /// <summary>
    /// The demo's fleet: every terminal answers everything, a few slowly; the calibration command
    /// 3011 is refused by every seventh (a zero calibration asked while the analyser is busy); one
    /// terminal of each fleet has a stuck analyser and another no flow at night, so the anomaly rules
    /// have something to find; and one sends minute records only (its hours are derived from them).
    /// </summary>
    public static TerminalBehaviour ForDemo(int index) => new()
    {
        Refuse = index % 7 == 3 ? new HashSet<string>(["3011"], StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal),
        ExeDelay = index % 5 == 2 ? TimeSpan.FromSeconds(4) : TimeSpan.FromMilliseconds(200),
        StuckAnalyser = index == 5,
        NightlyZeroFlow = index == 9,
        MinuteOnly = index == 7,
    };
}

/// <summary>
/// A simulated terminal's side of HJ 212 Appendix C: for each host request the frames a real
/// terminal sends back — 9011 (QnRtn), the data asked for (1011 time, 1061/1063 intervals, 3020
/// field information, history records), 9012 (ExeRtn); 9013 to a notification (2012, 2022); set
/// commands change its clock and intervals.
/// </summary>
public sealed class CommandResponder(Outlet outlet, TerminalBehaviour behaviour, Hj212Version version, TimeZoneInfo zone, TimeProvider clock, Hj212.Crypto.Sm4Key? key = null)
{
    private TimeSpan _offset = behaviour.ClockOffset;

    /// <summary>The terminal's real-time interval, seconds (1061/1062).</summary>
    public int RtdInterval { get; private set; } = 30;

    /// <summary>The terminal's minute-data interval, minutes (1063/1064).</summary>
    public int MinInterval { get; private set; } = 10;

    /// <summary>True while real-time data is on (2011 starts it, 2012 stops it).</summary>
    public bool RealTimeOn { get; private set; } = true;

    /// <summary>The terminal's clock now.</summary>
    public DateTime Now => TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime + _offset;

    /// <summary>
    /// The frames answering <paramref name="request"/>, each with the wait before it;
    /// <paramref name="history"/> makes the records a history request asks for.
    /// </summary>
    public IReadOnlyList<(TimeSpan Wait, byte[] Frame)> Answer(Hj212Packet request, Func<DateTime, byte[]>? history = null)
    {
        string cn = request.Cn ?? string.Empty;
        var frames = new List<(TimeSpan, byte[])>();
        if (behaviour.Ignore.Contains(cn) || request.Cn is null || request.Cn.StartsWith('9'))
        {
            return frames;
        }

        if (cn is "2012" or "2022")
        {
            if (cn == "2012")
            {
                RealTimeOn = false;
            }

            frames.Add((TimeSpan.Zero, Encode(Hj212Replies.NotificationReply(request))));
            return frames;
        }

        if (behaviour.Refuse.Contains(cn))
        {
            frames.Add((TimeSpan.Zero, Encode(Hj212Replies.RequestReply(request, 2))));
            return frames;
        }

        frames.Add((TimeSpan.Zero, Encode(Hj212Replies.RequestReply(request, 1))));
        string? Param(string key) => request.Params.FirstOrDefault(p => p.Key == key).Value;
        switch (cn)
        {
            case "2011":
                RealTimeOn = true;
                return frames; // a started stream has no ExeRtn
            case "2021":
                return frames;
            case "1011":
                frames.Add((TimeSpan.Zero, Upload(request, "1011", b => b.Param("SystemTime", Hj212Time.Format(Now)))));
                break;
            case "1012" when Hj212Time.Parse(Param("SystemTime")).Time is { } set:
                _offset = set - TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime;
                break;
            case "1061":
                frames.Add((TimeSpan.Zero, Upload(request, "1061", b => b.Param("RtdInterval", RtdInterval.ToString(CultureInfo.InvariantCulture)))));
                break;
            case "1062" when int.TryParse(Param("RtdInterval"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int rtd):
                RtdInterval = rtd;
                break;
            case "1063":
                frames.Add((TimeSpan.Zero, Upload(request, "1063", b => b.Param("MinInterval", MinInterval.ToString(CultureInfo.InvariantCulture)))));
                break;
            case "1064" when int.TryParse(Param("MinInterval"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int min):
                MinInterval = min;
                break;
            case "3020":
                frames.Add((TimeSpan.Zero, Upload(request, "3020", b =>
                {
                    b.DataTime(Now).Param("PolId", Param("PolId") ?? outlet.Limits.Keys.FirstOrDefault() ?? "a21026");
                    return b.Value("i12001", "Info", "1").Value("i12002", "Info", "0").Value("i13004", "Info", RtdInterval.ToString(CultureInfo.InvariantCulture));
                })));
                break;
            case Cns.Hourly or Cns.Daily or Cns.Minute when history is not null
                && Hj212Time.Parse(Param("BeginTime")).Time is { } begin && Hj212Time.Parse(Param("EndTime")).Time is { } end:
                var step = cn == Cns.Daily ? TimeSpan.FromDays(1) : cn == Cns.Minute ? TimeSpan.FromMinutes(MinInterval) : TimeSpan.FromHours(1);
                var first = cn == Cns.Daily ? begin.Date : new DateTime(begin.Year, begin.Month, begin.Day, begin.Hour, 0, 0);
                int n = 0;
                for (var at = first; at <= end && n < 48; at += step, n++)
                {
                    frames.Add((TimeSpan.FromMilliseconds(20), history(at)));
                }

                break;
        }

        frames.Add((behaviour.ExeDelay, Encode(Hj212Replies.ExecutionReply(request, behaviour.Fail.Contains(cn) ? 2 : 1))));
        return frames;
    }

    /// <summary>A data upload answering a request: its QN, the terminal's PW and MN, no reply asked.</summary>
    /// <summary>(HJ 212-2025, with a key) the CNs a terminal must send encrypted go SM4-encrypted (3020 here).</summary>
    private byte[] Upload(Hj212Packet request, string cn, Func<Hj212Builder, Hj212Builder> content)
    {
        var bytes = Encode(content(new Hj212Builder
        {
            Qn = request.Qn, St = outlet.Kind == Hj212.Codes.MediumKind.Gas ? "31" : "32", Cn = cn, Pw = outlet.Password, Mn = outlet.Mn, Flag = version.Flag(),
        }).Build());
        return key is not null && Intake.IntakeProcessor.MustBeEncrypted(cn) ? Hj212.Crypto.Hj212Cipher.Encrypt(bytes, key) : bytes;
    }

    private static byte[] Encode(Hj212Packet packet) => Hj212Encoder.Encode(packet);
}
