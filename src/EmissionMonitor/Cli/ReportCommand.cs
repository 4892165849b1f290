using EmissionMonitor.Alerts;
using EmissionMonitor.Compliance;
using EmissionMonitor.Configuration;
using EmissionMonitor.Reports;

namespace EmissionMonitor.Cli;

/// <summary>
/// <c>report rates|exceedances|totals|cards|hours</c>: figures computed now from the stored data,
/// with the period, filter and grouping options of DESIGN.md, as a table, JSON or CSV;
/// <c>report barometer --year Y</c>: the city target barometer of a year.
/// </summary>
public static partial class ReportCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var p = CliArguments.Parse(args, ["--quarter", "--from", "--to", "--city", "--enterprise", "--mn", "--pollutant", "--permit", "--code", "--by", "--format", "--config", "--data", "--year", "--lang", "--out", "--date", "--month", "--category", "--period", "--state", "--half"], []);
        if (p.Positional.Count == 2 && p.Positional[0] == "document")
        {
            return await DocumentAsync(p.Positional[1], p, cancellationToken);
        }

        if (p.Positional.Count != 1 || !(ReportRequest.Kinds.Contains(p.Positional[0]) || p.Positional[0] is "barometer" or "alert-handling" or "outages" or "checks" or "manual" or "tax" or "deadlines" or "facilities" or "findings"))
        {
            throw new UsageException($"report needs one of {string.Join("|", ReportRequest.Kinds)}|barometer|alert-handling|outages|checks|manual|tax|deadlines|facilities|findings, or document {string.Join("|", Reports.Documents.DocumentRequest.Kinds)}");
        }

        string kind = p.Positional[0];
        string format = p.Value("--format") ?? "table";
        if (format is not ("table" or "json" or "csv" or "xlsx"))
        {
            throw new UsageException($"option --format must be table, json, csv or xlsx, not '{format}'");
        }

        var output = Output.Of(p, format, kind);
        if (kind is "checks" or "alert-handling" or "outages")
        {
            await WriteAsync(kind == "checks" ? Checks(p) : await AlertReportsAsync(kind, p, cancellationToken), output, null, cancellationToken);
            return 0;
        }

        var settings = AppSettings.Load(p.Value("--config") ?? "config", p.Value("--data"));
        var registry = settings.LoadRegistry();
        var asked = new Asked(kind, p, settings, registry, output with { Registry = registry }, TimeZoneInfo.ConvertTime(TimeProvider.System.GetUtcNow(), settings.TimeZone).DateTime);
        await (kind switch
        {
            "barometer" => BarometerAsync(asked, cancellationToken),
            "deadlines" => DeadlinesAsync(asked, cancellationToken),
            "facilities" or "findings" => FacilitiesAsync(asked, cancellationToken),
            "tax" => WriteAsync(await TaxAsync(p, settings, registry, asked.Now, cancellationToken), asked.Output, null, cancellationToken),
            _ => FiguresAsync(asked, cancellationToken),
        });
        return 0;
    }

    /// <summary>
    /// Where and how a report is written: <c>--out FILE</c> or standard output (a workbook never to a
    /// terminal), <c>--lang zh|en</c> (default from LANG/LC_ALL: Chinese when it names zh).
    /// </summary>
    private sealed record Output(string Format, string Lang, string? File, string Kind)
    {
        public Registry.StationRegistry? Registry { get; init; }

        public static Output Of(CliArguments p, string format, string kind)
        {
            string lang = p.Value("--lang") ?? (Environment.GetEnvironmentVariable("LC_ALL") ?? Environment.GetEnvironmentVariable("LANG") ?? string.Empty)
                .StartsWith("zh", StringComparison.OrdinalIgnoreCase) switch { true => "zh", false => "en" };
            if (lang is not ("zh" or "en"))
            {
                throw new UsageException($"option --lang must be zh or en, not '{lang}'");
            }

            string? file = p.Value("--out");
            if (format == "xlsx" && file is null && !Console.IsOutputRedirected)
            {
                throw new UsageException($"report {kind} --format xlsx writes a workbook: give --out FILE.xlsx (a terminal cannot show it)");
            }

            return new Output(format, lang, file, kind);
        }

        public Stream Open() => File is null ? Console.OpenStandardOutput() : new FileStream(File, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
    }

    private static async Task WriteAsync(ReportTable table, Output output, Reports.Exports.ExportHeading? heading, CancellationToken cancellationToken)
    {
        await using var stream = output.Open();
        switch (output.Format)
        {
            case "json":
                ReportFormats.WriteJson(table, stream);
                break;
            case "xlsx":
                var now = TimeProvider.System.GetLocalNow().DateTime;
                var (zh, en) = Reports.Exports.ExportHeading.TitleOf(output.Kind);
                heading ??= new Reports.Exports.ExportHeading(output.Lang == "en" ? en : zh, null, null, now, Environment.UserName, now);
                await Reports.Exports.PeopleExport.WriteXlsxAsync(stream, table.AsParts(), heading, output.Lang, output.Registry, cancellationToken);
                break;
            case "csv":
                await using (var csv = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true))
                {
                    ReportFormats.WriteCsv(table, csv);
                }

                break;
            default:
                var people = Reports.Exports.PeopleExport.People(table, output.Lang, output.Registry);
                await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(ReportFormats.Table(people)), cancellationToken);
                break;
        }
    }

    /// <summary><c>report alert-handling [--by province|city|enterprise]</c> and <c>report outages</c>: from the stored alerts (and marks) of the period.</summary>
    private static async Task<ReportTable> AlertReportsAsync(string kind, CliArguments p, CancellationToken cancellationToken)
    {
        string by = p.Value("--by") ?? "city";
        if (kind == "alert-handling" && !Alerts.AlertHandling.Groupings.Contains(by))
        {
            throw new UsageException($"option --by must be one of {string.Join("|", Alerts.AlertHandling.Groupings)}, not '{by}'");
        }

        var settings = AppSettings.Load(p.Value("--config") ?? "config", p.Value("--data"));
        var registry = settings.LoadRegistry();
        var now = TimeProvider.System.GetUtcNow();
        var period = Period(p, TimeZoneInfo.ConvertTime(now, settings.TimeZone).DateTime);
        await using var store = await settings.OpenStoreAsync(registry, cancellationToken);
        var options = AppSettings.Bind<Alerts.AlertOptions>(settings.Configuration, Alerts.AlertOptions.Section);
        return kind == "alert-handling"
            ? await store.HandlingAsync(period, by, p.Value("--enterprise"), options, registry, settings.TimeZone, now, cancellationToken)
            : await Alerts.Outages.ReportAsync(store, period, p.Value("--enterprise"), AppSettings.Bind<Alerts.OutageOptions>(settings.Configuration, Alerts.OutageOptions.Section),
                registry, settings.TimeZone, now, cancellationToken);
    }

    /// <summary><c>report document daily|monthly|quarterly|annual --date|--month|--quarter|--year [--city|--enterprise|--mn] --out FILE</c>.</summary>
    private static async Task<int> DocumentAsync(string kind, CliArguments p, CancellationToken cancellationToken)
    {
        var output = Output.Of(p, "xlsx", "document");
        if (output.File is null)
        {
            throw new UsageException("report document writes a workbook: give --out FILE.xlsx");
        }

        var settings = AppSettings.Load(p.Value("--config") ?? "config", p.Value("--data"));
        var registry = settings.LoadRegistry();
        if (kind == "execution")
        {
            return await ExecutionAsync(p, output, settings, registry, cancellationToken);
        }

        var request = Reports.Documents.DocumentRequest.Parse(kind, name => p.Value("--" + name), registry, int.MaxValue, out var error)
            ?? throw new UsageException(error!.Value.Parameter == "kind" ? $"report document {error.Value.Problem}, or execution" : $"option --{error.Value.Parameter}: {error.Value.Problem}");
        await using var store = await settings.OpenStoreAsync(registry, cancellationToken);
        var now = TimeZoneInfo.ConvertTime(TimeProvider.System.GetUtcNow(), settings.TimeZone).DateTime;
        await using var stream = output.Open();
        await new Reports.Documents.DocumentWriter(store, ReportService.Create(store, registry, settings, TimeProvider.System), registry)
            .WritePrintableAsync(stream, request, output.Lang, Environment.UserName, now, cancellationToken);
        return 0;
    }

    /// <summary><c>report tax [--month YYYY-MM] [--by outlet|enterprise|city|province]</c>: the environmental-tax pre-check (the previous month by default).</summary>
    private static async Task<ReportTable> TaxAsync(CliArguments p, AppSettings settings, Registry.StationRegistry registry, DateTime now, CancellationToken cancellationToken)
    {
        var request = ReportRequestParser.ParseMonth("tax", name => p.Value("--" + name), ReportTables.TaxGroupings, registry, now, out var error)
            ?? throw new UsageException($"option --{error!.Parameter}: {error.Problem}");
        var tax = AppSettings.Bind<Compliance.Tax.TaxOptions>(settings.Configuration, Compliance.Tax.TaxOptions.Section);
        await using var store = await settings.OpenStoreAsync(registry, cancellationToken);
        var rows = await ReportService.Create(store, registry, settings, TimeProvider.System).TaxAsync(request, tax, cancellationToken);
        return ReportTables.Tax(rows, request.By, request.Period.From.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary><c>report document execution --enterprise E --month YYYY-MM|--quarter Q --out FILE</c>: the permit execution report's tables as one workbook.</summary>
    private static async Task<int> ExecutionAsync(CliArguments p, Output output, AppSettings settings, Registry.StationRegistry registry, CancellationToken cancellationToken)
    {
        var request = Permits.ExecutionRequest.Parse(name => p.Value("--" + name), registry, out var error)
            ?? throw new UsageException($"option --{error!.Value.Parameter}: {error.Value.Problem}");
        await using var store = await settings.OpenStoreAsync(registry, cancellationToken);
        var report = new Permits.ExecutionReport(store, ReportService.Create(store, registry, settings, TimeProvider.System), registry);
        await using var stream = output.Open();
        await new Permits.ExecutionWorkbook(store, report).WriteAsync(stream, request, AppSettings.Bind<Alerts.OutageOptions>(settings.Configuration, Alerts.OutageOptions.Section),
            output.Lang, Environment.UserName, TimeProvider.System.GetUtcNow(), settings.TimeZone, cancellationToken);
        return 0;
    }

    private static ReportPeriod Period(CliArguments p, DateTime now) =>
        ReportPeriod.Resolve(p.Value("--quarter"), p.Value("--from"), p.Value("--to"), now, out string? error)
        ?? throw new UsageException("option --" + error);
}
