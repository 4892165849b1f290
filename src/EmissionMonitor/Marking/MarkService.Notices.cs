using EmissionMonitor.Compliance.Marks;

namespace EmissionMonitor.Marking;

/// <summary>What the people responsible are told of marks, and the fault hours beyond the yearly cap.</summary>
public sealed partial class MarkService
{
    private static readonly Dictionary<string, string> Kinds = new(StringComparer.Ordinal)
    {
        [Mark.Shutdown] = "停产", [Mark.ForceMajeure] = "不可抗力", [Mark.Maintenance] = "维护", [Mark.Calibration] = "校准", [Mark.Fault] = "故障", [Mark.Communication] = "通讯中断",
    };

    /// <summary>
    /// The people responsible hear of an enterprise's mark awaiting review, and of the decision, as
    /// an item of kind <c>mark</c> (their filters apply: cities, enterprises, kinds, severity).
    /// </summary>
    private void Tell(Mark mark, string severity, string text)
    {
        if (notifications is null || registry().FindOutlet(mark.Mn) is not { } outlet)
        {
            return;
        }

        var enterprise = registry().FindEnterprise(outlet.EnterpriseId);
        notifications.Tell(new Alerts.Alert(mark.Key + "-" + mark.State, "mark", severity, Alerts.Alert.Active, mark.Mn, outlet.EnterpriseId, enterprise?.City, null, null, null,
            clock.GetUtcNow(), null, null, null, text));
    }

    /// <summary>
    /// Whether <paramref name="user"/> may add a file to the mark now (checked before the upload is
    /// read, and again after): an enterprise only to its own pending marks — never to one the bureau
    /// made or approved.
    /// </summary>

    /// <summary>
    /// The ids of the <c>fault</c> marks beyond <c>Compliance:FaultHoursPerYear</c>: per outlet and
    /// local calendar year, pending and approved fault marks in the order of their start, each
    /// counted with its hours in that year; a mark whose hours take the year's sum above the cap is
    /// flagged. Empty when no cap is configured.
    /// </summary>
    public IReadOnlySet<string> OverFaultCap(IEnumerable<Mark> marks)
    {
        var over = new HashSet<string>(StringComparer.Ordinal);
        if (compliance.FaultHoursPerYear is not { } cap)
        {
            return over;
        }

        foreach (var outlet in marks.Where(m => m.Kind == Mark.Fault && m.State is Mark.Pending or Mark.Approved).GroupBy(m => m.Mn, StringComparer.Ordinal))
        {
            var ordered = outlet.OrderBy(m => m.From).ThenBy(m => m.CreatedAt).ThenBy(m => m.Key, StringComparer.Ordinal).ToList();
            foreach (int year in ordered.SelectMany(m => Enumerable.Range(m.From.Year, m.To.Year - m.From.Year + 1)).Distinct())
            {
                var start = new DateTime(year, 1, 1);
                int sum = 0;
                foreach (var m in ordered)
                {
                    int hours = m.HoursWithin(start, start.AddYears(1));
                    sum += hours;
                    if (hours > 0 && sum > cap)
                    {
                        over.Add(m.Key);
                    }
                }
            }
        }

        return over;
    }
}
