using EmissionMonitor.Compliance;
using EmissionMonitor.Hj212.Codes;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Reports;

/// <summary>
/// Computes every report at call time from stored readings and marks with the pure compliance rules,
/// so <c>import</c> then <c>report</c> gives the same figures as live ingestion. One implementation
/// behind the CLI and the HTTP API. Rows are sorted by city, enterprise, mn, pollutant, start.
/// </summary>
public sealed partial class ReportService(IReadingStore store, StationRegistry registry, ComplianceOptions options, TimeZoneInfo timeZone, TimeProvider clock)
{
    private static readonly string[] Identity = ["mn", "enterprise", "enterpriseName", "city", "pollutant"];
    private readonly RateCalculator _rates = new(options);

    private DateTime NowLocal => TimeZoneInfo.ConvertTime(clock.GetUtcNow(), timeZone).DateTime;

    public Task<ReportTable> BuildAsync(ReportRequest request, CancellationToken cancellationToken) => request.Kind switch
    {
        "rates" => RatesAsync(request, cancellationToken),
        "hours" => HoursAsync(request, cancellationToken),
        "exceedances" => ExceedancesAsync(request, cancellationToken),
        "totals" => TotalsAsync(request, cancellationToken),
        "cards" => CardsAsync(request, cancellationToken),
        _ => throw new ArgumentException($"unknown report {request.Kind}"),
    };

    private IEnumerable<Outlet> Outlets(ReportRequest r) => registry.Outlets
        .Where(o => r.Mn is null || o.Mn == r.Mn)
        .Where(o => r.Enterprise is null || o.EnterpriseId == r.Enterprise)
        .Where(o => r.City is null || registry.EnterpriseOf(o).City == r.City)
        .OrderBy(o => registry.EnterpriseOf(o).City, StringComparer.Ordinal)
        .ThenBy(o => o.EnterpriseId, StringComparer.Ordinal)
        .ThenBy(o => o.Mn, StringComparer.Ordinal);

    private IEnumerable<string> Assessed(Outlet outlet, ReportRequest r) =>
        outlet.Limits.Keys.Where(p => r.Pollutant is null || p == r.Pollutant).Order(StringComparer.Ordinal);

    private async Task<ILookup<string, Reading>> HourlyAsync(DateTime from, DateTime to, string? mn, CancellationToken ct) =>
        (await store.QueryReadingsAsync(new ReadingQuery("2061", from, to, mn), ct)).ToLookup(r => r.Mn, StringComparer.Ordinal);

    /// <summary>The marks that change figures: those not revoked.</summary>
    private async Task<List<Mark>> ActiveMarksAsync(ReportRequest r, CancellationToken ct) =>
        (await store.QueryMarksAsync(r.Period.From, r.Period.To, r.Mn, ct)).Where(m => m.IsActive).ToList();

    private DateTimeOffset Local(DateTime t) => new(t, timeZone.GetUtcOffset(t));

    /// <summary>The identity columns of a row grouped at <paramref name="level"/>.</summary>
    private object?[] Key(Outlet o, string? pollutant, string level)
    {
        var e = registry.EnterpriseOf(o);
        return level switch
        {
            "pollutant" => [o.Mn, e.Id, e.Name, e.City, pollutant],
            "outlet" => [o.Mn, e.Id, e.Name, e.City, null],
            "outlet+pollutant" => [o.Mn, e.Id, e.Name, e.City, pollutant],
            "enterprise" => [null, e.Id, e.Name, e.City, null],
            "enterprise+pollutant" => [null, e.Id, e.Name, e.City, pollutant],
            "city" => [null, null, null, e.City, null],
            "city+pollutant" => [null, null, null, e.City, pollutant],
            "province+pollutant" => [null, null, null, null, pollutant],
            _ => [null, null, null, null, null],
        };
    }

    private static string KeyText(object?[] key) => string.Join("\u0001", key.Select(k => k?.ToString() ?? "\u0000"));

    private static IEnumerable<string> Columns(params string[] rest) => Identity.Concat(rest);
}
