namespace EmissionMonitor.Api;

/// <summary>
/// The body of requests that take a comment (clearing an alert, deciding or lifting a card, closing
/// an order, revoking a record); <c>visibleToEnterprise</c> addresses the comment to the enterprise
/// (otherwise an enterprise user sees neither the comment nor the operator's name).
/// </summary>
public sealed record CommentBody(string? Comment, bool? VisibleToEnterprise = null);
