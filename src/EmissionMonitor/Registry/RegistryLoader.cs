using System.Globalization;
using System.Text.Json;
using EmissionMonitor.Hj212.Codes;

namespace EmissionMonitor.Registry;

/// <summary>
/// Reads and validates <c>stations.json</c>. Every problem is reported with the entry it concerns
/// (<c>enterprises[0] (QH-XN-001) outlets[1] (QHXN0010002): …</c>); a registry with problems is not
/// used: start-up stops, and a reload keeps the previous registry.
/// </summary>
public static partial class RegistryLoader
{
    private static readonly string[] FlowUnits = ["m3/s", "m3/h", "L/s"];

    /// <summary>Loads a registry file; problems empty when it is valid.</summary>
    public static (StationRegistry? Registry, IReadOnlyList<string> Problems) Load(string path)
    {
        if (!File.Exists(path))
        {
            return (null, [$"{path}: file not found"]);
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses registry JSON; <paramref name="source"/> names it in messages.</summary>
    public static (StationRegistry? Registry, IReadOnlyList<string> Problems) Parse(string json, string source)
    {
        var problems = new List<string>();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            return (null, [$"{source}: not valid JSON: {e.Message}"]);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("enterprises", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return (null, [$"{source}: needs an object with an \"enterprises\" array"]);
            }

            var enterprises = new List<Enterprise>();
            var mns = new HashSet<string>(StringComparer.Ordinal);
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var permitNumbers = new HashSet<string>(StringComparer.Ordinal);
            int i = 0;
            foreach (var e in list.EnumerateArray())
            {
                var reader = new EntryReader(e, $"{source}: enterprises[{i++}]", problems);
                if (ReadEnterprise(reader, mns, ids, permitNumbers) is { } enterprise)
                {
                    enterprises.Add(enterprise);
                }
            }

            return problems.Count == 0 ? (new StationRegistry(enterprises), problems) : (null, problems);
        }
    }

    private static Enterprise? ReadEnterprise(EntryReader r, HashSet<string> mns, HashSet<string> ids, HashSet<string> permitNumbers)
    {
        string? id = r.RequiredString("id");
        if (id is not null)
        {
            r = r.Named(id);
            if (!ids.Add(id))
            {
                r.Problem($"duplicate enterprise id {id}");
            }
        }

        string? name = r.RequiredString("name");
        string? city = r.RequiredString("city");
        string? industry = r.OptionalString("industry");
        string? permitNumber = r.OptionalString("permitNumber");
        if (permitNumber is not null && Identifiers.PermitProblem(permitNumber) is { } permitProblem)
        {
            r.Problem(permitProblem);
        }
        else if (permitNumber is not null && !permitNumbers.Add(permitNumber))
        {
            r.Problem($"duplicate permitNumber {permitNumber}: a permit belongs to one enterprise");
        }

        var permits = new Dictionary<string, double>(StringComparer.Ordinal);
        if (r.Object("permits") is { } permitsElement)
        {
            foreach (var p in permitsElement.EnumerateObject())
            {
                if (CodeCatalogue.Find(p.Name) is null)
                {
                    r.Problem($"permits: unknown pollutant code {p.Name}");
                }
                else if (p.Value.ValueKind != JsonValueKind.Number || p.Value.GetDouble() <= 0)
                {
                    r.Problem($"permits.{p.Name}: needs a positive number of tonnes per year");
                }
                else
                {
                    permits[p.Name] = p.Value.GetDouble();
                }
            }
        }

        var outlets = new List<Outlet>();
        if (r.Array("outlets") is { } outletList)
        {
            int j = 0;
            foreach (var o in outletList.EnumerateArray())
            {
                var entry = r.Child(o, $"outlets[{j++}]");
                if (ReadOutlet(entry, id ?? string.Empty, mns) is { } outlet)
                {
                    if (outlet.Code is { } code && outlets.Any(x => x.Code == code))
                    {
                        entry.Named(outlet.Mn).Problem($"duplicate code {code} within the enterprise");
                    }

                    outlets.Add(outlet);
                }
            }
        }
        else
        {
            r.Problem("needs an \"outlets\" array");
        }

        var facilities = ReadFacilities(r, outlets);
        return id is null || name is null || city is null ? null : new Enterprise(id, name, city, industry, permits, outlets, permitNumber) { Facilities = facilities };
    }

    private static Outlet? ReadOutlet(EntryReader r, string enterpriseId, HashSet<string> mns)
    {
        string? mn = r.RequiredString("mn");
        if (mn is not null)
        {
            r = r.Named(mn);
            if (mn.AsSpan().IndexOfAny("/+#") >= 0 || mn.Trim().Length != mn.Length)
            {
                r.Problem("mn must not contain '/', '+', '#' or surrounding blanks");
            }

            if (!mns.Add(mn))
            {
                r.Problem($"duplicate mn {mn}");
            }
        }

        string? password = r.RequiredString("password");
        string? kindText = r.RequiredString("kind");
        MediumKind kind = MediumKind.Gas;
        if (kindText is not null && !TryKind(kindText, out kind))
        {
            r.Problem($"kind must be \"gas\" or \"water\", not \"{kindText}\"");
        }

        string name = r.OptionalString("name") ?? mn ?? string.Empty;
        string? outletCode = r.OptionalString("code");
        if (outletCode is not null && kindText is not null && Identifiers.CodeProblem(outletCode, kind) is { } codeProblem)
        {
            r.Problem(codeProblem);
        }

        double? referenceO2 = r.OptionalNumber("referenceO2");
        if (referenceO2 is < 0 or >= 21)
        {
            r.Problem("referenceO2 must be a percentage from 0 to below 21");
        }

        string flowUnit = r.OptionalString("flowUnit") ?? (kind == MediumKind.Gas ? "m3/s" : "L/s");
        if (!FlowUnits.Contains(flowUnit, StringComparer.Ordinal))
        {
            r.Problem($"flowUnit must be one of {string.Join(", ", FlowUnits)}, not \"{flowUnit}\"");
        }

        DateOnly? from = r.OptionalDate("activeFrom");
        DateOnly? to = r.OptionalDate("activeTo");
        if (from is not null && to is not null && to < from)
        {
            r.Problem("activeTo is before activeFrom");
        }

        var limits = ReadLimits(r, "limits");
        var processLimits = ReadLimits(r, "processLimits");
        foreach (var code in processLimits.Keys.Where(limits.ContainsKey))
        {
            r.Problem($"processLimits.{code}: also in limits; a process parameter is watched for warnings only, never assessed");
        }

        var rangeMax = new Dictionary<string, double>(StringComparer.Ordinal);
        if (r.Object("rangeMax") is { } ranges)
        {
            foreach (var range in ranges.EnumerateObject())
            {
                if (!limits.ContainsKey(range.Name))
                {
                    r.Problem($"rangeMax.{range.Name}: not a monitored pollutant of this outlet (limits)");
                }
                else if (range.Value.ValueKind != JsonValueKind.Number || !(range.Value.GetDouble() > 0))
                {
                    r.Problem($"rangeMax.{range.Name}: the analyser's range is a positive number");
                }
                else
                {
                    rangeMax[range.Name] = range.Value.GetDouble();
                }
            }
        }

        Hj212.Crypto.Sm4Key? key = null;
        if (r.OptionalString("sm4Key") is { } keyText && !Hj212.Crypto.Sm4Key.TryParse(keyText, out key, out string? why))
        {
            r.Problem($"sm4Key: {why}"); // the reason never repeats the key
        }

        EncryptionMode? encryption = null;
        if (r.OptionalString("encryption") is { } modeText)
        {
            if (modeText is "off" or "optional" or "required")
            {
                encryption = modeText switch { "off" => EncryptionMode.Off, "optional" => EncryptionMode.Optional, _ => EncryptionMode.Required };
            }
            else
            {
                r.Problem($"encryption must be \"off\", \"optional\" or \"required\", not \"{modeText}\"");
            }
        }

        return mn is null || password is null || kindText is null
            ? null
            : new Outlet(mn, password, kind, name, enterpriseId, referenceO2, flowUnit, from, to, limits, key, encryption, processLimits, rangeMax.Count == 0 ? null : rangeMax, outletCode);
    }

    private static Dictionary<string, Limit> ReadLimits(EntryReader r, string property)
    {
        var limits = new Dictionary<string, Limit>(StringComparer.Ordinal);
        if (r.Object(property) is not { } element)
        {
            return limits;
        }

        foreach (var l in element.EnumerateObject())
        {
            if (CodeCatalogue.Find(l.Name) is null)
            {
                r.Problem($"{property}: unknown pollutant code {l.Name}");
                continue;
            }

            Limit? limit = l.Value.ValueKind switch
            {
                JsonValueKind.Number => new Limit(null, l.Value.GetDouble()),
                JsonValueKind.Object => new Limit(
                    l.Value.TryGetProperty("min", out var mi) && mi.ValueKind == JsonValueKind.Number ? mi.GetDouble() : null,
                    l.Value.TryGetProperty("max", out var ma) && ma.ValueKind == JsonValueKind.Number ? ma.GetDouble() : null),
                _ => null,
            };
            if (limit is null || (limit.Min is null && limit.Max is null))
            {
                r.Problem($"{property}.{l.Name}: needs a number or {{\"min\": …, \"max\": …}}");
            }
            else if (limit.Max is <= 0 || limit.Min is < 0 || (limit.Min is { } min && limit.Max is { } max && min >= max))
            {
                r.Problem($"{property}.{l.Name}: impossible limit (a maximum must be positive, a minimum below the maximum)");
            }
            else
            {
                limits[l.Name] = limit;
            }
        }

        return limits;
    }

    private static bool TryKind(string text, out MediumKind kind)
    {
        kind = text switch { "gas" => MediumKind.Gas, "water" => MediumKind.Water, _ => (MediumKind)(-1) };
        return (int)kind >= 0;
    }

    internal static DateOnly? ParseDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
