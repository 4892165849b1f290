using EmissionMonitor.Hj212;
using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Compliance.Rates;
using EmissionMonitor.Compliance.Results;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;
using EmissionMonitor.Reports;
using EmissionMonitor.Storage;

namespace EmissionMonitor.IntegrationTests.Compliance.Reference;

/// <summary>
/// The report figures as the service computed them before the summaries: every figure recomputed
/// from the raw readings by the pure rules. Kept as the reference the maintained summaries are
/// checked against (SummaryPropertyTests); not used by the product.
/// </summary>
public sealed partial class ReferenceReports(IReadingStore store, IRecordStore records, StationRegistry registry, ComplianceOptions options, TimeZoneInfo timeZone, TimeProvider clock)
{
    private readonly RateCalculator _rates = new(options);

    private DateTime NowLocal => TimeZoneInfo.ConvertTime(clock.GetUtcNow(), timeZone).DateTime;

    /// <summary>A report as the table behind JSON, CSV and text output.</summary>
    public async Task<ReportTable> BuildAsync(ReportRequest request, CancellationToken cancellationToken) => request.Kind switch
    {
        "rates" => ReportTables.Rates(await RatesAsync(request, cancellationToken), timeZone),
        "exceedances" => ReportTables.Exceedances(await ExceedancesAsync(request, cancellationToken), timeZone),
        "totals" => ReportTables.Totals(await TotalsAsync(request, cancellationToken), request.By, timeZone),
        "cards" => ReportTables.Cards(await CardsAsync(request, cancellationToken), timeZone),
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

    /// <summary>The hourly readings, with the hours derived from minute records (the pure rule, <see cref="Compliance.Validity.DerivedHours"/>).</summary>
    private async Task<ILookup<string, Reading>> HourlyAsync(DateTime from, DateTime to, string? mn, CancellationToken ct) =>
        (await ReportService.HourlyReadingsAsync(store, options, from, to, mn, ct)).ToLookup(r => r.Mn, StringComparer.Ordinal);

    /// <summary>The marks that change figures: those not revoked.</summary>
    private async Task<List<Mark>> ActiveMarksAsync(ReportRequest r, CancellationToken ct) =>
        (await records.QueryMarksAsync(r.Period.From, r.Period.To, r.Mn, ct)).Where(m => m.IsActive).ToList();

    /// <summary>The scope of a row grouped at <paramref name="level"/>.</summary>
    private Scope Key(Outlet o, string? pollutant, string level)
    {
        var e = registry.EnterpriseOf(o);
        return level switch
        {
            "pollutant" => new(o.Mn, e.Id, e.Name, e.City, pollutant),
            "outlet" => new(o.Mn, e.Id, e.Name, e.City, null),
            "outlet+pollutant" => new(o.Mn, e.Id, e.Name, e.City, pollutant),
            "enterprise" => new(null, e.Id, e.Name, e.City, null),
            "enterprise+pollutant" => new(null, e.Id, e.Name, e.City, pollutant),
            "city" => new(null, null, null, e.City, null),
            "city+pollutant" => new(null, null, null, e.City, pollutant),
            "province+pollutant" => new(null, null, null, null, pollutant),
            _ => new(null, null, null, null, null),
        };
    }
}
