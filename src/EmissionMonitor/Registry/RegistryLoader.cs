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

        var permits = PositiveNumbers(r, "permits", code => CodeCatalogue.Find(code) is null ? $"permits: unknown pollutant code {code}" : null,
            "needs a positive number of tonnes per year");
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

    /// <summary>
    /// An object of <paramref name="property"/> mapping codes to positive numbers (an enterprise's permitted tonnes, an outlet's
    /// analyser ranges): a key <paramref name="keyProblem"/> finds wrong, or a value not a positive number, is a problem and left out.
    /// </summary>
    private static Dictionary<string, double> PositiveNumbers(EntryReader r, string property, Func<string, string?> keyProblem, string notPositive)
    {
        var numbers = new Dictionary<string, double>(StringComparer.Ordinal);
        if (r.Object(property) is not { } element)
        {
            return numbers;
        }

        foreach (var p in element.EnumerateObject())
        {
            if (keyProblem(p.Name) is { } problem)
            {
                r.Problem(problem);
            }
            else if (p.Value.ValueKind != JsonValueKind.Number || !(p.Value.GetDouble() > 0))
            {
                r.Problem($"{property}.{p.Name}: {notPositive}");
            }
            else
            {
                numbers[p.Name] = p.Value.GetDouble();
            }
        }

        return numbers;
    }

    private static bool TryKind(string text, out MediumKind kind)
    {
        kind = text switch { "gas" => MediumKind.Gas, "water" => MediumKind.Water, _ => (MediumKind)(-1) };
        return (int)kind >= 0;
    }

    internal static DateOnly? ParseDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
