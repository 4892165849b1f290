namespace EmissionMonitor.Reports;

public static partial class ReportTables
{
    /// <summary>Facility episodes: the enterprise, the facility (id, name, kind, code), the source (<c>power</c>, or <c>declared</c>: its ST=45 declared state), its state over [start, end), minutes, the lowest and highest value and how many values.</summary>
    public static ReportTable FacilityEpisodes(IReadOnlyList<FacilityRow> rows, TimeZoneInfo zone)
    {
        var local = new LocalTimes(zone);
        return new(["enterprise", "enterpriseName", "city", "facility", "facilityName", "facilityKind", "facilityCode", "source", "state", "start", "end", "minutes", "min", "max",
                "samples"],
            rows.Select(r => new object?[]
            {
                r.Enterprise.Id, r.Enterprise.Name, r.Enterprise.City, r.Facility.Id, r.Facility.Name, r.Facility.Kind,
                r.Source == FacilityRow.Power ? r.Facility.Code : r.Facility.DeclaredCode, r.Source, r.Episode.State,
                local.At(r.Episode.Start), local.At(r.Episode.End), (r.Episode.End - r.Episode.Start).TotalMinutes, r.Episode.Min, r.Episode.Max, r.Episode.Samples,
            }).ToList());
    }

    /// <summary>Facility findings: the enterprise, the finding, its span and minutes, the facility it is about (and the other one) with the states and values seen, the shutdown mark contradicted.</summary>
    public static ReportTable FacilityFindings(IReadOnlyList<FacilityFinding> rows, TimeZoneInfo zone)
    {
        var local = new LocalTimes(zone);
        return new(["enterprise", "enterpriseName", "city", "finding", "start", "end", "minutes", "facility", "facilityName", "facilityMin", "facilityMax", "other", "otherName",
                "otherMin", "otherMax", "markId", "flaggedMn"],
            rows.Select(f => new object?[]
            {
                f.Enterprise.Id, f.Enterprise.Name, f.Enterprise.City, f.Kind, local.At(f.Start), local.At(f.End), (f.End - f.Start).TotalMinutes, f.Facility.Id, f.Facility.Name,
                f.FacilityState?.Min, f.FacilityState?.Max, f.Other?.Id, f.Other?.Name, f.OtherState?.Min, f.OtherState?.Max, f.MarkId, f.FlaggedMn,
            }).ToList());
    }
}
