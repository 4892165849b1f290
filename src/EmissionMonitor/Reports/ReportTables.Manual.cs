using EmissionMonitor.Compliance.Manual;
using EmissionMonitor.Compliance.Results;

namespace EmissionMonitor.Reports;

public static partial class ReportTables
{
    /// <summary>
    /// Manual monitoring samples: when sampled, the value and unit, the flow measured, the state, the
    /// hours it may stand for ([coverFrom, coverTo)) and how many it stands for now (approved, cut at the
    /// next sample), the mark it was filed under, who filed and decided, and its evidence files.
    /// </summary>
    public static ReportTable Manual(IReadOnlyList<(Scope Scope, ManualSample Sample, int Hours)> rows, TimeZoneInfo zone)
    {
        var local = new LocalTimes(zone);
        return Table(rows, r => r.Scope,
            ["id", "sampledAt", "value", "unit", "flow", "state", "coverFrom", "coverTo", "hoursStood", "markId", "by", "createdAt", "decidedBy", "decidedAt",
                "decisionComment", "comment", "evidenceFiles"],
            r =>
            {
                var s = r.Sample;
                return [s.Id, local.At(s.SampledAt), s.Value, s.Unit, s.Flow, s.State, local.At(s.CoverFrom), local.At(s.CoverTo), r.Hours, s.MarkId, s.By,
                    ReportFormats.Instant(s.CreatedAt, zone), s.DecidedBy, ReportFormats.Instant(s.DecidedAt, zone), s.DecisionComment, s.Comment, s.Evidence.Count];
            });
    }
}
