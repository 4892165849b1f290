namespace EmissionMonitor.Api;

/// <summary>The body of requests that take only a comment (clearing an alert, lifting a card, revoking a record).</summary>
public sealed record CommentBody(string? Comment);
