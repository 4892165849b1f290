using System.Text.Json;

namespace EmissionMonitor.Registry;

public static partial class RegistryLoader
{
    /// <summary>
    /// An enterprise's <c>facilities</c>: each with an id unique in the enterprise, a name, a kind
    /// (production | treatment), a code (a lower-case letter and five letters or digits), the value
    /// above which it runs, the outlets of this enterprise that send its data, and — treatment only —
    /// the production facilities it serves; no code twice on one outlet.
    /// </summary>
    private static List<Facility> ReadFacilities(EntryReader r, IReadOnlyList<Outlet> outlets)
    {
        var facilities = new List<Facility>();
        if (r.Array("facilities") is not { } list)
        {
            return facilities;
        }

        var mns = outlets.Select(o => o.Mn).ToHashSet(StringComparer.Ordinal);
        int i = 0;
        foreach (var element in list.EnumerateArray())
        {
            if (ReadFacility(r.Child(element, $"facilities[{i++}]"), mns, facilities) is { } facility)
            {
                facilities.Add(facility);
            }
        }

        // The ids a treatment facility serves must be production facilities of the enterprise.
        foreach (var f in facilities.Where(f => f.Kind == Facility.Treatment))
        {
            foreach (var served in f.Serves.Where(s => !facilities.Any(p => p.Id == s && p.Kind == Facility.Production)))
            {
                r.Problem($"facilities ({f.Id}): serves {served}, which is not a production facility of this enterprise");
            }
        }

        return facilities;
    }

    /// <summary>One facility, checked field by field and against those read before it; null when a field it needs is missing.</summary>
    private static Facility? ReadFacility(EntryReader entry, HashSet<string> mns, List<Facility> facilities)
    {
        string? id = entry.RequiredString("id"), name = entry.RequiredString("name"), kind = entry.RequiredString("kind"), code = entry.RequiredString("code");
        double? onAbove = entry.OptionalNumber("onAbove");
        if (id is not null)
        {
            entry = entry.Named(id);
        }

        if (kind is not null && !Facility.Kinds.Contains(kind))
        {
            entry.Problem($"kind must be production or treatment, not {kind}");
        }

        if (code is not null && !Identifiers.IsDataCode(code))
        {
            entry.Problem($"code {code} is not a code such as d20105 or d30106");
        }

        if (onAbove is null)
        {
            entry.Problem("needs onAbove: the value above which the facility runs");
        }

        var facilityOutlets = FacilityOutlets(entry, mns);

        var serves = Strings(entry, "serves");
        if (kind == Facility.Production && serves.Count > 0)
        {
            entry.Problem("serves is for a treatment facility (the production facilities it serves)");
        }

        if (id is null || name is null || kind is null || code is null || onAbove is null)
        {
            return null;
        }

        if (facilities.Any(f => f.Id == id))
        {
            entry.Problem($"duplicate facility id {id}");
        }

        if (facilities.FirstOrDefault(f => f.Code == code && f.Outlets.Intersect(facilityOutlets).Any()) is { } same)
        {
            entry.Problem($"code {code} is used twice on one outlet (also by {same.Id})");
        }

        string? declared = entry.OptionalString("declaredCode");
        if (declared is not null && (kind != Facility.Production || !Identifiers.IsDataCode(declared)))
        {
            entry.Problem($"declaredCode {declared}: a production facility's code of its declared state, such as p99101");
        }

        return new Facility(id, name, kind, code, entry.OptionalString("unit"), onAbove.Value, serves, facilityOutlets)
        {
            DeclaredCode = declared, DeclaredOnAbove = entry.OptionalNumber("declaredOnAbove") ?? 0,
        };
    }

    /// <summary>The outlets whose terminals send a facility's data: at least one, each of this enterprise.</summary>
    private static List<string> FacilityOutlets(EntryReader entry, HashSet<string> mns)
    {
        var facilityOutlets = Strings(entry, "outlets");
        if (facilityOutlets.Count == 0)
        {
            entry.Problem("needs \"outlets\": the MNs of this enterprise whose terminals send its data");
        }

        foreach (var mn in facilityOutlets.Where(m => !mns.Contains(m)))
        {
            entry.Problem($"outlets: {mn} is not an outlet of this enterprise");
        }

        return facilityOutlets;
    }

    private static List<string> Strings(EntryReader r, string name)
    {
        var values = new List<string>();
        if (r.Array(name) is { } array)
        {
            foreach (var v in array.EnumerateArray())
            {
                if (v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s)
                {
                    values.Add(s);
                }
                else
                {
                    r.Problem($"{name}: every entry must be a non-empty string");
                }
            }
        }

        return values;
    }
}
