using EmissionMonitor.Configuration;
using EmissionMonitor.Ingestion;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Simulation;

/// <summary>
/// <c>run --demo</c>: the built-in terminal fleet. Half the demo outlets speak MQTT to the embedded
/// broker, half the HJ 212 TCP link to the gateway; each first sends hourly history from the start
/// of the current quarter, then a real-time frame every 5 seconds and an hourly record at each full hour.
/// Outlets with an <c>sm4Key</c> in the registry are HJ 212-2025 terminals: their data segments go
/// SM4-encrypted and their back-fill carries RF=1. Every terminal answers operators' commands (a few
/// slowly, every seventh refuses a zero calibration).
/// </summary>
public sealed partial class DemoSimulator(
    AppSettings settings, Func<StationRegistry> registry, MqttOptions mqtt, Hj212Gateway gateway, TimeProvider clock, ILogger<DemoSimulator> logger,
    Storage.IRecordStore? records = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var outlets = registry().Outlets.OrderBy(o => o.Mn, StringComparer.Ordinal).ToList();
        var viaMqtt = outlets.Where((_, i) => i % 2 == 0).ToList();
        var viaTcp = outlets.Where((_, i) => i % 2 == 1).ToList();
        LogStarting(logger, viaMqtt.Count, viaTcp.Count);
        // History from the start of the current quarter, so the quarter's reports are meaningful at once.
        var local = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), settings.TimeZone).DateTime;
        int backfill = int.TryParse(settings.Configuration["Demo:BackfillHours"], out int configured) && configured >= 0
            ? configured
            : (int)(local - Compliance.ReportPeriod.QuarterOf(local).From).TotalHours;
        SimulationOptions Options(string target, int n, bool v2025) => new(new Uri(target), n, n / 5.0, Timeout.InfiniteTimeSpan, 0.01, 0.05, 0.02, 0.02, backfill,
            v2025 ? Hj212.Hj212Version.V2025 : Hj212.Hj212Version.V2017, Encrypt: v2025);
        var host = "127.0.0.1";
        var outage = DemoOutage.Plan(new DateTime(local.Year, local.Month, local.Day, local.Hour, 0, 0), backfill);
        var down = viaTcp.Where(o => o.Sm4Key is null).ElementAtOrDefault(DemoOutage.Index);
        if (outage is { } window && down is not null && records is not null)
        {
            await DemoOutage.SeedAsync(records, down, window, clock, stoppingToken);
        }

        // The facilities' power goes with the terminal of their first outlet; one enterprise switches its treatment off for an hour a day.
        var current = registry();
        IReadOnlyList<Facility> FacilitiesOf(Outlet o) =>
            current.FindEnterprise(o.EnterpriseId) is { } e ? e.Facilities.Where(f => f.Outlets[0] == o.Mn).ToList() : [];
        string? offMn = current.Enterprises.FirstOrDefault(e => e.Facilities.Count > 0)?.Facilities[0].Outlets[0];
        var fleets = new List<Task>();
        foreach (var (group, target) in new[] { (viaMqtt, $"mqtt://{host}:{mqtt.Port}"), (viaTcp, $"tcp://{host}:{gateway.Port}") })
        {
            foreach (var v2025 in new[] { false, true })
            {
                var members = group.Where(o => (o.Sm4Key is not null) == v2025).ToList();
                bool withOutage = group == viaTcp && !v2025 && outage is not null;
                Func<int, TerminalBehaviour> behaviour = i => (withOutage && i == DemoOutage.Index ? TerminalBehaviour.ForDemo(i) with { Outage = outage } : TerminalBehaviour.ForDemo(i))
                    with { Facilities = FacilitiesOf(members[i]), TreatmentOffHour = members[i].Mn == offMn ? TreatmentOffHour : null };
                if (members.Count > 0)
                {
                    fleets.Add(new TerminalFleet(members, Options(target, members.Count, v2025), settings.TimeZone, clock, behaviour).RunAsync(stoppingToken));
                }
            }
        }

        await Task.WhenAll(fleets);
    }

    /// <summary>The local hour each day the demo's first enterprise with facilities switches its treatment off while production runs.</summary>
    public const int TreatmentOffHour = 14;

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Demo simulator: {Mqtt} terminals on MQTT, {Tcp} on the HJ 212 TCP link")]
    private static partial void LogStarting(ILogger logger, int mqtt, int tcp);
}
