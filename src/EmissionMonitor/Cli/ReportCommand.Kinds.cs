using EmissionMonitor.Compliance;
using EmissionMonitor.Configuration;
using EmissionMonitor.Reports;

namespace EmissionMonitor.Cli;

/// <summary>The reports of <c>report</c> that read the store, one method per kind.</summary>
public static partial class ReportCommand
{
    /// <summary>What a report was asked for: its kind, the options, the settings and registry it runs with, where it goes, and the local time now.</summary>
    private sealed record Asked(string Kind, CliArguments Options, AppSettings Settings, Registry.StationRegistry Registry, Output Output, DateTime Now)
    {
        public string? Value(string name) => Options.Value("--" + name);
    }

    private static ReportTable Checks(CliArguments p)
    {
        string? category = p.Value("--category");
        if (category is not null && !EmissionMonitor.Checks.CheckCatalogue.Categories.Contains(category))
        {
            throw new UsageException($"option --category must be one of {string.Join("|", EmissionMonitor.Checks.CheckCatalogue.Categories)}, not '{category}'");
        }

        return ReportTables.Checks(EmissionMonitor.Checks.CheckCatalogue.All.Where(c => category is null || c.Category == category));
    }

    private static async Task BarometerAsync(Asked a, CancellationToken cancellationToken)
    {
        int year = a.Now.Year;
        if (a.Value("year") is { } text && (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out year)
            || year < ReportPeriod.MinYear || year > ReportPeriod.MaxYear))
        {
            throw new UsageException($"option --year must be a year {ReportPeriod.MinYear}–{ReportPeriod.MaxYear}, not '{text}'");
        }

        await using var store = await a.Settings.OpenStoreAsync(a.Registry, cancellationToken);
        var rows = await ReportService.Create(store, a.Registry, a.Settings, TimeProvider.System).BarometerAsync(year, a.Settings.Barometer, cancellationToken);
        await WriteAsync(ReportTables.Barometer(rows), a.Output, null, cancellationToken);
    }

    private static async Task DeadlinesAsync(Asked a, CancellationToken cancellationToken)
    {
        var asked = Permits.DeadlineTable.Parse(a.Value, a.Registry, a.Now.Date, out var problem)
            ?? throw new UsageException($"option --{problem!.Value.Parameter}: {problem.Value.Problem}");
        await using var records = await a.Settings.OpenStoreAsync(a.Registry, cancellationToken);
        var deadlines = new Permits.ReportDeadlines(records, () => a.Registry, AppSettings.Bind<Permits.PermitOptions>(a.Settings.Configuration, Permits.PermitOptions.Section),
            a.Settings.TimeZone, TimeProvider.System);
        await WriteAsync(Permits.DeadlineTable.Of(await deadlines.RowsAsync(asked.From, asked.To, asked.Enterprise, asked.State, cancellationToken), a.Settings.TimeZone),
            a.Output, null, cancellationToken);
    }

    private static async Task FacilitiesAsync(Asked a, CancellationToken cancellationToken)
    {
        var facilities = AppSettings.Bind<Compliance.Facilities.FacilityOptions>(a.Settings.Configuration, Compliance.Facilities.FacilityOptions.Section);
        await using var facts = await a.Settings.OpenStoreAsync(a.Registry, cancellationToken);
        var reports = ReportService.Create(facts, a.Registry, a.Settings, TimeProvider.System);
        var period = Period(a.Options, a.Now);
        string? id = a.Value("enterprise");
        if (id is not null && a.Registry.FindEnterprise(id) is null)
        {
            throw new UsageException($"option --enterprise: '{id}' is not in the registry");
        }

        await WriteAsync(a.Kind == "facilities"
            ? ReportTables.FacilityEpisodes(await reports.FacilityEpisodesAsync(period, id, facilities, cancellationToken), a.Settings.TimeZone)
            : ReportTables.FacilityFindings(await reports.FacilityFindingsAsync(period, id, facilities, cancellationToken), a.Settings.TimeZone), a.Output, null, cancellationToken);
    }

    /// <summary>The figures (rates, exceedances, totals, cards, hours, anomalies, trend, means, manual): the request read as the HTTP API reads it.</summary>
    private static async Task FiguresAsync(Asked a, CancellationToken cancellationToken)
    {
        var request = ReportRequestParser.Parse(a.Kind, a.Value, a.Registry, a.Now, out var error)
            ?? throw new UsageException($"option --{error!.Parameter}: {error.Problem}"); // the same reading as the HTTP API's
        await using var store = await a.Settings.OpenStoreAsync(a.Registry, cancellationToken);
        var service = ReportService.Create(store, a.Registry, a.Settings, TimeProvider.System);
        if (a.Kind == "exceedances")
        {
            await ExceedancesAsync(a, service, request, cancellationToken);
            return;
        }

        if (a.Kind == "manual")
        {
            string? state = a.Value("state");
            if (state is not null && !Compliance.Manual.ManualSample.States.Contains(state))
            {
                throw new UsageException($"option --state must be one of {string.Join("|", Compliance.Manual.ManualSample.States)}, not '{state}'");
            }

            await WriteAsync(await service.ManualTableAsync(request, state, cancellationToken), a.Output, null, cancellationToken);
            return;
        }

        await WriteAsync(await service.BuildAsync(request, cancellationToken), a.Output, Heading(a), cancellationToken);
    }

    /// <summary>
    /// Exceedances, streamed a group of outlets at a time in every form: a country's quarter of
    /// episodes is never held whole. JSON and CSV parts are made and formatted on every core and
    /// written in order; the people's forms (the text table, the workbook) written as they come.
    /// </summary>
    private static async Task ExceedancesAsync(Asked a, ReportService service, ReportRequest request, CancellationToken cancellationToken)
    {
        await using var stream = a.Output.Open();
        string format = a.Output.Format;
        if (format is "json" or "csv")
        {
            Func<ReportTable, ReportFormats.Part> part = format == "json" ? ReportFormats.JsonPart : ReportFormats.CsvPart;
            var parts = service.StreamExceedanceTablesAsync(request, ReportService.OutletsPerPart, part, Environment.ProcessorCount, cancellationToken);
            await (format == "json" ? ReportFormats.WriteJsonPartsAsync(parts, stream) : ReportFormats.WriteCsvPartsAsync(parts, stream));
        }
        else if (format == "xlsx")
        {
            var parts = service.StreamExceedanceTablesAsync(request, ReportService.OutletsPerPart, t => t, 1, cancellationToken);
            await Reports.Exports.PeopleExport.WriteXlsxAsync(stream, parts, Heading(a), a.Output.Lang, a.Registry, cancellationToken);
        }
        else
        {
            var parts = service.StreamExceedanceTablesAsync(request, ReportService.OutletsPerPart, t => Reports.Exports.PeopleExport.People(t, a.Output.Lang, a.Registry),
                Environment.ProcessorCount, cancellationToken);
            await ReportFormats.WriteTableAsync(parts, stream, cancellationToken);
        }
    }

    private static Reports.Exports.ExportHeading Heading(Asked a) =>
        Reports.Exports.ExportHeading.Of(a.Kind, a.Value, a.Registry, a.Output.Lang, Environment.UserName, a.Now);
}
