using EmissionMonitor.Hj212;
using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Compliance.Rates;
using EmissionMonitor.Compliance.Cards;
using EmissionMonitor.Compliance.Results;
using EmissionMonitor.Compliance.Summaries;
using EmissionMonitor.Compliance.Totals;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Reports;

/// <summary>
/// Reads the maintained day facts (<see cref="FactSource"/>) and the operator records (marks, lifts),
/// applies the rules to them and groups their typed results; <see cref="ReportTables"/> turns them
/// into the table behind JSON, CSV and text. A quarter for a province is a few thousand summed rows
/// plus the handful of days a period's edges and marks need hour by hour, never the raw readings;
/// the figures are those a recomputation from the readings gives. One implementation behind the
/// CLI, the HTTP API and the alerts, so <c>import</c> then <c>report</c> gives the same figures as
/// live ingestion. Results are sorted by city, enterprise, mn, pollutant, start.
/// </summary>
public sealed partial class ReportService(IStore store, StationRegistry registry, ComplianceOptions options, CardOptions cards, TimeZoneInfo timeZone, TimeProvider clock,
    bool invalidateSuspect = false, ExceedanceCache? cache = null, TotalsOptions? totals = null)
{
    /// <summary>The episode lists kept between requests (the composition root's, one per store; a service made alone keeps its own).</summary>
    private ExceedanceCache Cache { get; } = cache ?? new ExceedanceCache();

    private readonly RateCalculator _rates = new(options);

    /// <summary>The rules the facts are built with.</summary>
    public FactRules Rules { get; } = new(options, cards);

    private DateTime NowLocal => TimeZoneInfo.ConvertTime(clock.GetUtcNow(), timeZone).DateTime;

    /// <summary>The zone the reports' local times are in.</summary>
    public TimeZoneInfo TimeZone => timeZone;

    /// <summary>The report service of a run's settings over <paramref name="store"/> and the registry as it is now.</summary>
    public static ReportService Create(IStore store, StationRegistry registry, Configuration.AppSettings settings, TimeProvider clock, ExceedanceCache? cache = null) =>
        new(store, registry, settings.Compliance, settings.Cards, settings.TimeZone, clock, settings.Anomalies.InvalidateSuspect, cache, settings.Totals);

    /// <summary>A report as the table behind JSON, CSV and text output (the CLI and the HTTP API).</summary>
    public async Task<ReportTable> BuildAsync(ReportRequest request, CancellationToken cancellationToken) => request.Kind switch
    {
        "rates" => ReportTables.Rates(await RatesAsync(request, cancellationToken), timeZone),
        "hours" => ReportTables.Hours(await HoursAsync(request, cancellationToken), timeZone),
        "exceedances" => ReportTables.Exceedances(await ExceedancesAsync(request, cancellationToken), timeZone),
        "totals" => ReportTables.Totals(await TotalsAsync(request, cancellationToken), request.By, timeZone),
        "cards" => ReportTables.Cards(await CardsAsync(request, cancellationToken), timeZone),
        "anomalies" => ReportTables.Anomalies(await AnomaliesAsync(request, cancellationToken), timeZone),
        "trend" => ReportTables.Trend(await TrendAsync(request, cancellationToken)),
        "means" => (await MeansPageAsync(request, 0, int.MaxValue, cancellationToken)).Page,
        "manual" => await ManualTableAsync(request, null, cancellationToken),
        _ => throw new ArgumentException($"unknown report {request.Kind}"),
    };

    private IEnumerable<Outlet> Outlets(ReportRequest r) => registry.Outlets
        .Where(o => r.Mn is null || o.Mn == r.Mn)
        .Where(o => r.Enterprise is null || o.EnterpriseId == r.Enterprise)
        .Where(o => r.City is null || registry.EnterpriseOf(o).City == r.City)
        .Where(o => r.Permit is null || registry.EnterpriseOf(o).PermitNumber == r.Permit)
        .Where(o => r.Code is null || o.Code == r.Code)
        .OrderBy(o => registry.EnterpriseOf(o).City, StringComparer.Ordinal)
        .ThenBy(o => o.EnterpriseId, StringComparer.Ordinal)
        .ThenBy(o => o.Mn, StringComparer.Ordinal);

    private static string[] Assessed(Outlet outlet, ReportRequest r)
    {
        var all = SortedPollutants.GetValue(outlet, o => [.. o.Limits.Keys.Order(StringComparer.Ordinal)]);
        return r.Pollutant is null ? all : Array.FindAll(all, p => p == r.Pollutant);
    }

    /// <summary>Each outlet's limited pollutants in code order, sorted once (a report asks for them per outlet and group, 5,000 outlets and more).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Outlet, string[]> SortedPollutants = [];

    private async Task<ILookup<string, Reading>> HourlyAsync(DateTime from, DateTime to, string? mn, CancellationToken ct) =>
        (await HourlyReadingsAsync(store, options, from, to, mn, ct)).ToLookup(r => r.Mn, StringComparer.Ordinal);

    /// <summary>The hourly readings of [from, to), completed with hours derived from minute records where the rules derive them (<see cref="Compliance.Validity.DerivedHours"/>).</summary>
    public static async Task<List<Reading>> HourlyReadingsAsync(IReadingStore store, ComplianceOptions options, DateTime from, DateTime to, string? mn, CancellationToken ct)
    {
        var hourly = await store.QueryReadingsAsync(new ReadingQuery(Cns.Hourly, from, to, mn), ct);
        var derived = new Compliance.Validity.DerivedHours(options);
        return derived.Enabled
            ? derived.Complete(hourly, await store.QueryReadingsAsync(new ReadingQuery(Cns.Minute, LocalSpans.FloorHour(from), LocalSpans.CeilHour(to), mn), ct))
                .Where(r => r.Period >= from && r.Period < to).ToList()
            : [.. hourly];
    }

    /// <summary>The facts of the report's outlets over [fromDay, toDay).</summary>
    private Task<FactSource> FactsAsync(ReportRequest r, DateTime fromDay, DateTime toDay, CancellationToken ct) =>
        FactSource.OpenAsync(store, Rules, Outlets(r).ToList(), fromDay, toDay, r.Mn, ct);

    /// <summary>The marks that change figures: those not revoked.</summary>
    private async Task<List<Mark>> ActiveMarksAsync(ReportRequest r, CancellationToken ct) =>
        (await store.QueryMarksAsync(r.Period.From, r.Period.To, r.Mn, ct)).Where(m => m.IsActive).ToList();

    /// <summary>The scope of a row grouped at <paramref name="level"/>.</summary>
    private Scope Key(Outlet o, string? pollutant, string level)
    {
        var e = registry.EnterpriseOf(o);
        return level switch
        {
            "pollutant" => new(o.Mn, e.Id, e.Name, e.City, pollutant, o.Code, e.PermitNumber),
            "outlet" => new(o.Mn, e.Id, e.Name, e.City, null, o.Code, e.PermitNumber),
            "outlet+pollutant" => new(o.Mn, e.Id, e.Name, e.City, pollutant, o.Code, e.PermitNumber),
            "enterprise" => new(null, e.Id, e.Name, e.City, null, null, e.PermitNumber),
            "enterprise+pollutant" => new(null, e.Id, e.Name, e.City, pollutant, null, e.PermitNumber),
            "city" => new(null, null, null, e.City, null),
            "city+pollutant" => new(null, null, null, e.City, pollutant),
            "province+pollutant" => new(null, null, null, null, pollutant),
            _ => new(null, null, null, null, null),
        };
    }
}
