using System.Text.Json;

namespace EmissionMonitor.Registry;

/// <summary>Reads one registry entry's properties, recording each problem under the entry's path.</summary>
internal readonly struct EntryReader(JsonElement element, string path, List<string> problems)
{
    public EntryReader Named(string name) => new(element, $"{path} ({name})", problems);

    public EntryReader Child(JsonElement child, string name) => new(child, $"{path} {name}", problems);

    public void Problem(string message) => problems.Add($"{path}: {message}");

    public string? RequiredString(string name)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0)
        {
            return v.GetString();
        }

        Problem($"missing {name}");
        return null;
    }

    public string? OptionalString(string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.String)
        {
            return v.GetString();
        }

        Problem($"{name} must be a string");
        return null;
    }

    public double? OptionalNumber(string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number)
        {
            return v.GetDouble();
        }

        Problem($"{name} must be a number");
        return null;
    }

    public DateOnly? OptionalDate(string name)
    {
        if (OptionalString(name) is not { } text)
        {
            return null;
        }

        var date = RegistryLoader.ParseDate(text);
        if (date is null)
        {
            Problem($"{name} must be a date yyyy-MM-dd, not \"{text}\"");
        }

        return date;
    }

    public JsonElement? Object(string name) => Get(name, JsonValueKind.Object);

    public JsonElement? Array(string name) => Get(name, JsonValueKind.Array);

    private JsonElement? Get(string name, JsonValueKind kind)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind == kind)
        {
            return v;
        }

        Problem($"{name} must be a JSON {kind.ToString().ToLowerInvariant()}");
        return null;
    }
}
