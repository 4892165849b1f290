namespace EmissionMonitor.Ingestion;

/// <summary>The MQTT topics of DESIGN.md: <c>emission/{mn}/up</c>, <c>emission/{mn}/down</c>, <c>emission/alerts/{severity}</c>.</summary>
public static class Topics
{
    public static string Up(string mn) => $"emission/{mn}/up";

    public static string Down(string mn) => $"emission/{mn}/down";

    public static string Alerts(string severity) => $"emission/alerts/{severity}";

    /// <summary>The MN of an <c>emission/{mn}/up</c> topic, or null for any other topic.</summary>
    public static string? UpMn(string topic)
    {
        const string prefix = "emission/", suffix = "/up";
        if (!topic.StartsWith(prefix, StringComparison.Ordinal) || !topic.EndsWith(suffix, StringComparison.Ordinal) || topic.Length <= prefix.Length + suffix.Length)
        {
            return null;
        }

        string mn = topic[prefix.Length..^suffix.Length];
        return mn.Contains('/', StringComparison.Ordinal) ? null : mn;
    }
}
