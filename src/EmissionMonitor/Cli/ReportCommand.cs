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
public static class ReportCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var p = CliArguments.Parse(args, ["--quarter", "--from", "--to", "--city", "--enterprise", "--mn", "--pollutant", "--by", "--format", "--config", "--data", "--year"], []);
        if (p.Positional.Count != 1 || !(ReportRequest.Kinds.Contains(p.Positional[0]) || p.Positional[0] is "barometer" or "alert-handling" or "outages"))
        {
            throw new UsageException($"report needs one of {string.Join("|", ReportRequest.Kinds)}|barometer|alert-handling|outages");
        }

        string kind = p.Positional[0];
        string format = p.Value("--format") ?? "table";
        if (format is not ("table" or "json" or "csv" or "xlsx"))
        {
            throw new UsageException($"option --format must be table, json, csv or xlsx, not '{format}'");
        }

        if (kind is "alert-handling" or "outages")
        {
            await WriteAsync(await AlertReportsAsync(kind, p, cancellationToken), format, cancellationToken);
            return 0;
        }

        var settings = AppSettings.Load(p.Value("--config") ?? "config", p.Value("--data"));
        var registry = settings.LoadRegistry();
        var now = TimeZoneInfo.ConvertTime(TimeProvider.System.GetUtcNow(), settings.TimeZone).DateTime;
        if (kind == "barometer")
        {
            int year = now.Year;
            if (p.Value("--year") is { } text && (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out year)
                || year < ReportPeriod.MinYear || year > ReportPeriod.MaxYear))
            {
                throw new UsageException($"option --year must be a year {ReportPeriod.MinYear}–{ReportPeriod.MaxYear}, not '{text}'");
            }

            await using var barometerStore = await settings.OpenStoreAsync(registry, cancellationToken);
            var rows = await ReportService.Create(barometerStore, registry, settings, TimeProvider.System).BarometerAsync(year, settings.Barometer, cancellationToken);
            await WriteAsync(ReportTables.Barometer(rows), format, cancellationToken);
            return 0;
        }

        var request = ReportRequestParser.Parse(kind, name => p.Value("--" + name), registry, now, out var error)
            ?? throw new UsageException($"option --{error!.Parameter}: {error.Problem}"); // the same reading as the HTTP API's
        await using var store = await settings.OpenStoreAsync(registry, cancellationToken);
        var service = ReportService.Create(store, registry, settings, TimeProvider.System);
        if (kind == "exceedances" && format is "json" or "csv")
        {
            // Streamed a group of outlets at a time: a country's quarter of episodes is never held whole;
            // the groups are made and formatted on every core and written in order.
            await using var output = Console.OpenStandardOutput();
            Func<ReportTable, ReportFormats.Part> part = format == "json" ? ReportFormats.JsonPart : ReportFormats.CsvPart;
            var parts = service.StreamExceedanceTablesAsync(request, ReportService.OutletsPerPart, part, Environment.ProcessorCount, cancellationToken);
            await (format == "json" ? ReportFormats.WriteJsonPartsAsync(parts, output) : ReportFormats.WriteCsvPartsAsync(parts, output));
            return 0;
        }

        await WriteAsync(await service.BuildAsync(request, cancellationToken), format, cancellationToken);
        return 0;
    }

    private static async Task WriteAsync(ReportTable table, string format, CancellationToken cancellationToken)
    {
        await using var stdout = Console.OpenStandardOutput();
        switch (format)
        {
            case "json":
                ReportFormats.WriteJson(table, stdout);
                break;
            case "xlsx":
                await stdout.WriteAsync(Xlsx.Write(table, "report"), cancellationToken);
                break;
            case "csv":
                await using (var csv = new StreamWriter(stdout, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true))
                {
                    ReportFormats.WriteCsv(table, csv);
                }

                break;
            default:
                await stdout.WriteAsync(System.Text.Encoding.UTF8.GetBytes(ReportFormats.Table(table)), cancellationToken);
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

    private static ReportPeriod Period(CliArguments p, DateTime now) =>
        ReportPeriod.Resolve(p.Value("--quarter"), p.Value("--from"), p.Value("--to"), now, out string? error)
        ?? throw new UsageException("option --" + error);
}
