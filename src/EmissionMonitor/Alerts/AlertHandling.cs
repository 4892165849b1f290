namespace EmissionMonitor.Alerts;

/// <summary>The handling figures of one group (a city, an enterprise or the province) and alert kind.</summary>
public sealed record AlertHandlingRow(
    string Group, string Kind, int Raised, int Acknowledged, int AcknowledgedInTime, int TimedOut, int Verified, int Disposed,
    double? MedianMinutesToAcknowledge, double? MedianMinutesToDispose)
{
    public double? ResponseRate => Rate(AcknowledgedInTime);

    public double? ResponseTimeoutRate => Rate(TimedOut);

    public double? VerificationRate => Rate(Verified);

    public double? DisposalRate => Rate(Disposed);

    private double? Rate(int n) => Raised == 0 ? null : Math.Round((double)n / Raised, 4);
}

/// <summary>
/// How alerts were handled (the figures bureaus are assessed on): of the alerts raised in a period,
/// per group and kind — acknowledged (响应) within <see cref="AlertOptions.RespondWithinFor"/> of being
/// raised (响应率), past it or still unacknowledged after it (响应超时率), given a verdict (核实率),
/// disposed of (处置率), and the median minutes from raising to acknowledging and to disposing.
/// Back-fill summaries are not alerts to handle and are not counted.
/// </summary>
public static class AlertHandling
{
    public static readonly string[] Groupings = ["province", "city", "enterprise"];

    public static IReadOnlyList<AlertHandlingRow> Measure(IEnumerable<Alert> alerts, string by, AlertOptions options, DateTimeOffset now) =>
        alerts.Where(a => a.Kind != AlertKinds.Backfill)
            .GroupBy(a => (Group: GroupOf(a, by), a.Kind))
            .OrderBy(g => g.Key.Group, StringComparer.Ordinal).ThenBy(g => g.Key.Kind, StringComparer.Ordinal)
            .Select(g => Row(g.Key.Group, g.Key.Kind, g.ToList(), options, now))
            .ToList();

    /// <summary>How alerts were handled: a row per group and kind (<c>groupName</c>: an enterprise's name).</summary>
    public static Reports.ReportTable Table(IReadOnlyList<AlertHandlingRow> rows, Func<string, string?> nameOf) => new(
        ["group", "groupName", "kind", "raised", "acknowledged", "acknowledgedInTime", "responseRate", "timedOut", "responseTimeoutRate", "verified", "verificationRate",
            "disposed", "disposalRate", "medianMinutesToAcknowledge", "medianMinutesToDispose"],
        rows.Select(r => new object?[]
        {
            r.Group, nameOf(r.Group), r.Kind, r.Raised, r.Acknowledged, r.AcknowledgedInTime, r.ResponseRate, r.TimedOut, r.ResponseTimeoutRate, r.Verified, r.VerificationRate,
            r.Disposed, r.DisposalRate, r.MedianMinutesToAcknowledge, r.MedianMinutesToDispose,
        }).ToList());

    /// <summary>When an alert was first acknowledged (a reopened alert keeps its first response in its history).</summary>
    public static DateTimeOffset? FirstAcknowledged(Alert a) =>
        a.History.FirstOrDefault(s => s.Action == AlertStep.Acknowledge)?.At ?? a.AcknowledgedAt;

    private static string GroupOf(Alert a, string by) => by switch
    {
        "city" => a.City ?? string.Empty,
        "enterprise" => a.Enterprise ?? string.Empty,
        _ => "province",
    };

    private static AlertHandlingRow Row(string group, string kind, List<Alert> alerts, AlertOptions options, DateTimeOffset now)
    {
        int acknowledged = 0, inTime = 0, timedOut = 0;
        var toAcknowledge = new List<double>();
        var toDispose = new List<double>();
        foreach (var a in alerts)
        {
            var within = options.RespondWithinFor(a.Severity);
            if (FirstAcknowledged(a) is { } at)
            {
                acknowledged++;
                toAcknowledge.Add((at - a.RaisedAt).TotalMinutes);
                if (at - a.RaisedAt <= within)
                {
                    inTime++;
                }
                else
                {
                    timedOut++;
                }
            }
            else if (now - a.RaisedAt > within)
            {
                timedOut++;
            }

            if (a.DisposedAt is { } disposed)
            {
                toDispose.Add((disposed - a.RaisedAt).TotalMinutes);
            }
        }

        return new AlertHandlingRow(group, kind, alerts.Count, acknowledged, inTime, timedOut, alerts.Count(a => a.Verdict is not null), toDispose.Count,
            Median(toAcknowledge), Median(toDispose));
    }

    private static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        int mid = values.Count / 2;
        double median = values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
        return Math.Round(median, 1);
    }
}
