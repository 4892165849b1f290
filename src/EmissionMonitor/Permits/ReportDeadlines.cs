using EmissionMonitor.Registry;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Permits;

/// <summary>A reminder sent to an enterprise's contacts of a report coming due (sent once; kept so that a restart or another instance does not send it again).</summary>
public sealed class ReportReminder
{
    public required string Id { get; init; }

    public required string Enterprise { get; init; }

    public required string Kind { get; init; }

    public required string Period { get; init; }

    public DateTime Due { get; init; }

    public DateTimeOffset At { get; init; }

    /// <summary>Reminders as the store keeps them: by report (enterprise, kind, period), keyed by the enterprise.</summary>
    public static readonly RecordKind<ReportReminder> Records = new("report-reminder", r => r.Id, r => r.Enterprise, _ => "sent", r => r.At);

    public static string IdOf(string enterprise, ReportDue report) => $"{enterprise}|{report.Kind}|{report.Name}";
}

/// <summary>One report of the calendar: whose, which, its state (<see cref="ReportDeadlines.States"/>), how often it was generated, the last generation and the reminder.</summary>
public sealed record DeadlineRow(Enterprise Enterprise, ReportDue Report, string State, int Generations, ExecutionRecord? Last, DateTimeOffset? RemindedAt);

/// <summary>
/// The calendar of each enterprise's execution reports (<see cref="PermitOptions.KindsOf"/>,
/// <see cref="ReportCalendar"/>) with what was generated for each (<see cref="ExecutionRecord"/>):
/// <c>generated</c> once any generation exists, else <c>upcoming</c> until its due day and
/// <c>overdue</c> after it — none for a period that ended before the enterprise's outlets were in
/// operation (all with <c>activeFrom</c>); and the reminders to the enterprise's contacts
/// <see cref="PermitOptions.RemindDaysBefore"/> days before a report not yet generated is due.
/// </summary>
public sealed class ReportDeadlines(IRecordStore store, Func<StationRegistry> registry, PermitOptions options, TimeZoneInfo zone, TimeProvider clock)
{
    public const string Generated = "generated", Upcoming = "upcoming", Overdue = "overdue";

    public static IReadOnlyList<string> States { get; } = [Generated, Upcoming, Overdue];

    private static readonly Dictionary<string, string> KindWords = new(StringComparer.Ordinal)
    {
        [ReportCalendar.Monthly] = "月度", [ReportCalendar.Quarterly] = "季度", [ReportCalendar.Semiannual] = "半年", [ReportCalendar.Annual] = "年度",
    };

    private DateTime Today => TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).Date;

    /// <summary>The reports due from <paramref name="fromDay"/> up to <paramref name="toDay"/> (exclusive), of one enterprise or all, optionally in one state; by due day, city, enterprise.</summary>
    public async Task<List<DeadlineRow>> RowsAsync(DateTime fromDay, DateTime toDay, string? enterprise, string? state, CancellationToken ct)
    {
        var today = Today;
        var generations = (await store.QueryAsync(ExecutionRecord.Records, enterprise, ct)).ToLookup(g => (g.Enterprise, g.Kind, g.Period));
        var reminders = (await store.QueryAsync(ReportReminder.Records, enterprise, ct)).GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.Min(r => r.At), StringComparer.Ordinal);
        var rows = new List<DeadlineRow>();
        foreach (var e in registry().Enterprises.Where(e => enterprise is null || e.Id == enterprise))
        {
            // Reports of periods before every outlet was in operation (activeFrom) are not owed.
            DateTime? since = e.Outlets.Count > 0 && e.Outlets.All(o => o.ActiveFrom is not null) ? e.Outlets.Min(o => o.ActiveFrom!.Value).ToDateTime(TimeOnly.MinValue) : null;
            foreach (var kind in options.KindsOf(e.Id))
            {
                foreach (var report in ReportCalendar.DueIn(kind, fromDay, toDay).Where(r => since is null || r.Period.To > since))
                {
                    var made = generations[(e.Id, kind, report.Name)].OrderByDescending(g => g.At).ToList();
                    string s = made.Count > 0 ? Generated : today > report.Due ? Overdue : Upcoming;
                    if (state is null || s == state)
                    {
                        rows.Add(new DeadlineRow(e, report, s, made.Count, made.FirstOrDefault(), reminders.TryGetValue(ReportReminder.IdOf(e.Id, report), out var at) ? at : null));
                    }
                }
            }
        }

        return [.. rows.OrderBy(r => r.Report.Due).ThenBy(r => r.Enterprise.City, StringComparer.Ordinal).ThenBy(r => r.Enterprise.Id, StringComparer.Ordinal)
            .ThenBy(r => ReportCalendar.Order(r.Report.Kind))];
    }

    /// <summary>
    /// The reminders due now — reports due within <see cref="PermitOptions.RemindDaysBefore"/> days,
    /// not generated, not reminded before — each told through <paramref name="tell"/> and recorded.
    /// </summary>
    public async Task<List<ReportReminder>> RemindAsync(Action<Alerts.Alert> tell, CancellationToken ct)
    {
        var today = Today;
        var now = clock.GetUtcNow();
        var sent = new List<ReportReminder>();
        foreach (var row in await RowsAsync(today, today.AddDays(options.RemindDaysBefore + 1), null, Upcoming, ct))
        {
            if (row.RemindedAt is not null)
            {
                continue;
            }

            var e = row.Enterprise;
            var reminder = new ReportReminder { Id = ReportReminder.IdOf(e.Id, row.Report), Enterprise = e.Id, Kind = row.Report.Kind, Period = row.Report.Name, Due = row.Report.Due, At = now };
            int days = (row.Report.Due - today).Days;
            tell(new Alerts.Alert(reminder.Id, "deadline", "warning", Alerts.Alert.Active, string.Empty, e.Id, e.City, null, null, null, now, null, null, null,
                $"排污许可{KindWords[row.Report.Kind]}执行报告（{row.Report.Name}）应于 {row.Report.Due:yyyy-MM-dd} 前提交（还有 {days} 天），尚未生成"));
            await store.SaveAsync(ReportReminder.Records, reminder, ct);
            sent.Add(reminder);
        }

        return sent;
    }
}

/// <summary>Looks for reminders every <see cref="PermitOptions.CheckInterval"/> on the service's clock and tells the contacts (Notify:Contacts, their filters apply; kind <c>deadline</c>).</summary>
public sealed partial class ReportReminders(ReportDeadlines deadlines, PermitOptions options, Notify.NotificationService notifications, Notify.NotifyOptions notify, TimeProvider clock,
    ILogger<ReportReminders> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (notify.Contacts.Count == 0)
        {
            return; // nobody to tell: no reminder is recorded as sent
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var r in await deadlines.RemindAsync(notifications.Tell, stoppingToken))
                {
                    LogReminded(logger, r.Enterprise, r.Kind, r.Period, r.Due);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e.Message);
            }

            await Task.Delay(options.CheckInterval, clock, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminded {Enterprise} of its {Kind} execution report {Period} due {Due:yyyy-MM-dd}")]
    private static partial void LogReminded(ILogger logger, string enterprise, string kind, string period, DateTime due);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution report reminders failed: {Problem}")]
    private static partial void LogFailed(ILogger logger, string problem);
}
