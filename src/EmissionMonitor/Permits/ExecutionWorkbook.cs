using EmissionMonitor.Reports.Documents;
using EmissionMonitor.Reports.Exports;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Permits;

/// <summary>One generation of an execution report: whose, which period, by whom and when (the bureau sees what was downloaded).</summary>
public sealed class ExecutionRecord
{
    public required string Id { get; init; }

    public required string Enterprise { get; init; }

    /// <summary><c>monthly</c> or <c>quarterly</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The period's name: 2025-08 or 2025Q3.</summary>
    public required string Period { get; init; }

    public required string By { get; init; }

    public DateTimeOffset At { get; init; }

    /// <summary>Generations as the store keeps them: by id, keyed by the enterprise (in the outlet's place), the period as state.</summary>
    public static readonly RecordKind<ExecutionRecord> Records = new("execution-report", e => e.Id, e => e.Enterprise, e => e.Period, e => e.At);
}

/// <summary>
/// The execution report as one workbook in the layout of the national permit platform's tables: a
/// sheet per table with Chinese (or English) headers — 实际排放量报表, 超标时段, 自动监测数据缺失与异常
/// (its four parts one below the other), 有效传输率 — on A4 landscape with the heading repeated; each
/// generation recorded (<see cref="ExecutionRecord"/>).
/// </summary>
public sealed class ExecutionWorkbook(IStore store, ExecutionReport report)
{
    private static readonly Dictionary<string, (string Zh, string En)> Sheets = new(StringComparer.Ordinal)
    {
        ["emissions"] = ("实际排放量报表", "Actual emissions"), ["exceedances"] = ("超标时段", "Exceeding periods"),
        ["gaps"] = ("自动监测数据缺失与异常", "Missing and abnormal monitoring data"), ["rates"] = ("有效传输率", "Effective transmission rates"),
        ["verdict"] = ("缺失时段与25%规则判定", "Missing hours and the 25 % rule"), ["outages"] = ("停运报告与恢复", "Outages reported and restored"),
        ["marks"] = ("数据标记", "Marks"), ["manual"] = ("手工监测数据", "Manual monitoring data"),
    };

    /// <summary>A sheet's or part's name in the language.</summary>
    public static string SheetName(string key, string lang) => lang == "en" ? Sheets[key].En : Sheets[key].Zh;

    /// <summary>The file name people get: 执行报告-企业-2025Q3.</summary>
    public static string FileName(ExecutionRequest r, string lang) => $"{(lang == "en" ? "execution-report" : "排污许可执行报告")}-{r.Enterprise.Name}-{r.PeriodName}";

    /// <summary>Writes the workbook ready to print and records the generation.</summary>
    public async Task WriteAsync(Stream output, ExecutionRequest r, Alerts.OutageOptions outages, string lang, string by, DateTimeOffset now, TimeZoneInfo zone, CancellationToken ct)
    {
        var tables = await report.BuildAsync(r, outages, lang, now, ct);
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        string path = Path.Combine(Path.GetTempPath(), $"em-execution-{Guid.NewGuid():N}.xlsx");
        await using (var temp = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous))
        {
            await using (var book = await ExportStyles.CreateBookAsync(temp, ct))
            {
                var s = new ExportStyles(book);
                var names = new HashSet<string>(StringComparer.Ordinal);
                string scope = r.Enterprise.PermitNumber is { } number
                    ? $"{r.Enterprise.City} · {r.Enterprise.Name}{(lang == "en" ? $" (permit {number})" : $"（许可证编号 {number}）")}"
                    : $"{r.Enterprise.City} · {r.Enterprise.Name}";
                ExportHeading Heading(string key) => new(SheetName(key, lang), r.PeriodName, scope, Compliance.Summaries.LocalSpans.Min(local, r.Period.To), by, local);
                var registry = RegistryOf(r);
                await DocumentWriter.TableSheetAsync(book, names, Heading("emissions"), tables.Emissions, lang, registry, s, ct);
                await DocumentWriter.TableSheetAsync(book, names, Heading("exceedances"), tables.Exceedances, lang, registry, s, ct);
                await DocumentWriter.SectionsSheetAsync(book, names, Heading("gaps"), tables.Gaps.Select(g => (SheetName(g.Key, lang), g.Table)).ToList(), lang, registry, s, ct);
                await DocumentWriter.TableSheetAsync(book, names, Heading("rates"), tables.Rates, lang, registry, s, ct);
                await book.FinishAsync(ct);
            }

            temp.Position = 0;
            await PrintLayout.CopyAsync(temp, output, 4, ct);
        }

        await store.SaveAsync(ExecutionRecord.Records, new ExecutionRecord
        {
            Id = $"ex-{now.ToUnixTimeMilliseconds()}-{Guid.NewGuid().ToString("N")[..6]}", Enterprise = r.Enterprise.Id, Kind = r.Kind, Period = r.PeriodName, By = by, At = now,
        }, ct);
    }

    /// <summary>The registry of the enterprise alone: the sheets name its outlets by their MNs.</summary>
    private static Registry.StationRegistry RegistryOf(ExecutionRequest r) => new([r.Enterprise]);
}
