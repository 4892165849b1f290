namespace EmissionMonitor.Alerts;

/// <summary>
/// An alert to raise: what, where and since when, with its English sentence and, for the dashboard
/// and mails, the message key and parameters it is said from in the user's language (default key
/// <c>alert.{kind}</c> or <c>alert.{kind}.{subKind}</c>).
/// </summary>
public sealed record AlertDraft(string Kind, string Mn, string? Enterprise, string? City, string? Pollutant, double? Value, double? Limit, DateTimeOffset Start, string Message)
{
    public string? MessageKey { get; init; }

    public IReadOnlyDictionary<string, string?>? Params { get; init; }

    public string? SubKind { get; init; }

    /// <summary>An alert of the same kind, outlet and pollutant cleared less than this ago is reopened instead of a new one raised (null: never).</summary>
    public TimeSpan? ReopenWithin { get; init; }

    /// <summary>The end of the data the alert is about (a period's end), or null; its start is <see cref="Start"/>.</summary>
    public DateTimeOffset? DataTo { get; init; }

    /// <summary>A draft for an outlet of an enterprise (its id and city filled in).</summary>
    public static AlertDraft For(string kind, Registry.Outlet outlet, Registry.Enterprise? enterprise, string? pollutant, double? value, double? limit, DateTimeOffset start, string message) =>
        new(kind, outlet.Mn, enterprise?.Id, enterprise?.City, pollutant, value, limit, start, message);
}
