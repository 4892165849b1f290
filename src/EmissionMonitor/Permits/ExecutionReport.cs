using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Orders;
using EmissionMonitor.Reports;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Permits;

/// <summary>The tables of an execution report, in the layout of the national permit platform's tables.</summary>
public sealed record ExecutionTables(ReportTable Emissions, ReportTable Exceedances, IReadOnlyList<(string Key, ReportTable Table)> Gaps, ReportTable Rates);

/// <summary>
/// The tables of a permit execution report (排污许可执行报告) from the enterprise's own data, each the
/// figures of the reports they restate: 实际排放量报表 — per outlet, pollutant and month the measured,
/// manual, substituted and reported kg and the outlet's year to date, then the enterprise's rows with
/// its annual permit and year to date (<c>report totals</c>); 超标时段 — every exceedance episode of the
/// period (<c>report exceedances</c>) with the enterprise's explanation: its marks over the episode
/// (not rejected or revoked) and its answers to orders about the outlet and pollutant made from the
/// episode's start to <see cref="ExplanationDays"/> days after its end; 自动监测数据缺失与异常 — the 25 %
/// rule's verdict per outlet and pollutant, the outages with their clocks (<c>report outages</c>), the
/// marks and the manual data of the period; 有效传输率 per outlet (<c>report rates</c>).
/// </summary>
public sealed class ExecutionReport(IStore store, ReportService reports, Registry.StationRegistry registry)
{
    /// <summary>How long after an episode an order's answer still explains it.</summary>
    public const int ExplanationDays = 7;

    private static readonly string[] EmissionColumns =
        ["mn", "enterprise", "enterpriseName", "city", "pollutant", "month", "kg", "manualKg", "substitutedKg", "reportedKg", "annualPermitKg", "ytdKg", "monitoringUsable", "code", "permitNumber"];

    private static readonly string[] MarkColumns = ["mn", "kind", "state", "from", "to", "comment", "by", "decidedBy", "decisionComment"];

    public async Task<ExecutionTables> BuildAsync(ExecutionRequest r, Alerts.OutageOptions outages, string lang, DateTimeOffset now, CancellationToken ct)
    {
        var zone = reports.TimeZone;
        string id = r.Enterprise.Id;
        var emissions = new List<object?[]>();
        foreach (var month in r.Months())
        {
            var year = new Compliance.ReportPeriod(new DateTime(month.From.Year, 1, 1), month.To);
            var ytd = (await reports.TotalsAsync(new ReportRequest("totals", year, Enterprise: id, By: "outlet"), ct)).ToDictionary(t => (t.Scope.Mn, t.Scope.Pollutant), t => t.Total.ReportedKg);
            string name = month.From.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            foreach (var t in await reports.TotalsAsync(new ReportRequest("totals", month, Enterprise: id, By: "outlet"), ct))
            {
                emissions.Add(EmissionRow(t, name, null, ytd.GetValueOrDefault((t.Scope.Mn, t.Scope.Pollutant))));
            }

            foreach (var t in await reports.TotalsAsync(new ReportRequest("totals", month, Enterprise: id, By: "enterprise"), ct))
            {
                emissions.Add(EmissionRow(t, name, t.Permit?.AllowanceKg, t.Permit?.YtdKg ?? 0));
            }
        }

        var marks = new List<Mark>();
        var orders = new List<SupervisionOrder>();
        foreach (var outlet in r.Enterprise.Outlets)
        {
            marks.AddRange(await store.QueryMarksAsync(r.Period.From.AddDays(-ExplanationDays), r.Period.To, outlet.Mn, ct));
            orders.AddRange(await store.QueryAsync(SupervisionOrder.Records, outlet.Mn, ct));
        }

        var episodes = await reports.ExceedancesAsync(new ReportRequest("exceedances", r.Period, Enterprise: id), ct);
        var exceedances = ReportTables.Exceedances(episodes, zone);
        exceedances = new ReportTable([.. exceedances.Columns, "explanation"], exceedances.Rows.Select((row, i) =>
            (object?[])[.. row, Explanation(episodes[i], marks, orders, lang, zone)]).ToList());

        var period = new ReportRequest("totals", r.Period, Enterprise: id, By: "outlet");
        var verdicts = (await reports.TotalsAsync(period, ct)).Select(t => new object?[]
        {
            t.Scope.Mn, t.Scope.Enterprise, t.Scope.EnterpriseName, t.Scope.City, t.Scope.Pollutant, t.Total.Hours, t.Total.MissingHours, t.Total.Substituted.Hours,
            t.Total.Substituted.ManualHours, t.Total.Substituted.MissingShare, t.MonitoringUsable, t.Scope.Code, t.Scope.PermitNumber,
        }).ToList();
        var gaps = new List<(string, ReportTable)>
        {
            ("verdict", new ReportTable(["mn", "enterprise", "enterpriseName", "city", "pollutant", "hours", "missingHours", "substitutedHours", "manualHours", "missingShare",
                "monitoringUsable", "code", "permitNumber"], verdicts)),
            ("outages", await Alerts.Outages.ReportAsync(store, r.Period, id, outages, registry, zone, now, ct)),
            ("marks", new ReportTable(MarkColumns, marks.Where(m => m.From < r.Period.To && m.To > r.Period.From).OrderBy(m => m.From).Select(m => new object?[]
            {
                m.Mn, m.Kind, m.State, Local(m.From, zone), Local(m.To, zone), m.Comment, m.By, m.DecidedBy, m.DecisionComment,
            }).ToList())),
            ("manual", await reports.ManualTableAsync(new ReportRequest("manual", r.Period, Enterprise: id), null, ct)),
        };
        var rates = ReportTables.Rates(await reports.RatesAsync(period with { Kind = "rates" }, ct), zone);
        return new ExecutionTables(new ReportTable(EmissionColumns, emissions), exceedances, gaps, rates);
    }

    private static object?[] EmissionRow(Compliance.Results.TotalResult t, string month, double? permitKg, double ytdKg) =>
    [
        t.Scope.Mn, t.Scope.Enterprise, t.Scope.EnterpriseName, t.Scope.City, t.Scope.Pollutant, month, t.Total.Kg, t.Total.Substituted.ManualKg, t.Total.Substituted.Kg,
        t.Total.ReportedKg, permitKg, ytdKg, t.MonitoringUsable, t.Scope.Code, t.Scope.PermitNumber,
    ];

    /// <summary>What the enterprise said of an episode: its marks over it and its answers to orders about it, in the document's language.</summary>
    public static string? Explanation(Compliance.Results.ExceedanceResult episode, IEnumerable<Mark> marks, IEnumerable<SupervisionOrder> orders, string lang, TimeZoneInfo zone)
    {
        bool zh = lang != "en";
        var (mn, start, end) = (episode.Scope.Mn, episode.Episode.Start, episode.Episode.End);
        var parts = new List<string>();
        foreach (var m in marks.Where(m => m.Mn == mn && m.State is Mark.Approved or Mark.Pending && m.From < end && m.To > start).OrderBy(m => m.From))
        {
            string kind = Reports.Exports.ExportWords.Values["kind"].TryGetValue(m.Kind, out var w) ? (zh ? w.Zh : w.En) : m.Kind;
            string span = $"{m.From:yyyy-MM-dd HH:mm}–{m.To:yyyy-MM-dd HH:mm}";
            parts.Add(zh ? $"标记（{kind}，{span}）：{m.Comment}" : $"mark ({kind}, {span}): {m.Comment}");
        }

        foreach (var o in orders.Where(o => o.Mn == mn && o.Response is not null && (o.Pollutant is null || o.Pollutant == episode.Scope.Pollutant)))
        {
            var created = TimeZoneInfo.ConvertTime(o.CreatedAt, zone).DateTime;
            if (created >= start && created <= end.AddDays(ExplanationDays))
            {
                parts.Add(zh ? $"督办反馈：原因 {o.Response!.Cause}；措施 {o.Response.Measures}" : $"order answer: cause {o.Response!.Cause}; measures {o.Response.Measures}");
            }
        }

        return parts.Count == 0 ? null : string.Join(zh ? "；" : "; ", parts);
    }

    private static DateTimeOffset Local(DateTime t, TimeZoneInfo zone) => new(t, zone.GetUtcOffset(t));
}
