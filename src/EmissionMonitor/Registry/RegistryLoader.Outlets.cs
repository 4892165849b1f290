using System.Text.Json;
using EmissionMonitor.Hj212.Codes;

namespace EmissionMonitor.Registry;

/// <summary>An enterprise's outlets, field by field.</summary>
public static partial class RegistryLoader
{
    private static Outlet? ReadOutlet(EntryReader r, string enterpriseId, HashSet<string> mns)
    {
        string? mn = ReadMn(ref r, mns);

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

        var rangeMax = PositiveNumbers(r, "rangeMax", code => limits.ContainsKey(code) ? null : $"rangeMax.{code}: not a monitored pollutant of this outlet (limits)",
            "the analyser's range is a positive number");
        var (key, encryption) = ReadEncryption(r);
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

    /// <summary>The outlet's MN (the reader then names it): no MQTT topic characters or surrounding blanks, not twice in the registry.</summary>
    private static string? ReadMn(ref EntryReader r, HashSet<string> mns)
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

        return mn;
    }

    /// <summary>The outlet's SM4 key (a problem never repeats it) and its encryption mode (off, optional, required).</summary>
    private static (Hj212.Crypto.Sm4Key? Key, EncryptionMode? Encryption) ReadEncryption(EntryReader r)
    {
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

        return (key, encryption);
    }
}
