namespace EmissionMonitor.Reports;

/// <summary>
/// A report as columns and rows, the one shape behind JSON, CSV and table output (and the HTTP API).
/// Values are null, strings, booleans, numbers (unrounded), <see cref="DateTimeOffset"/> or string lists.
/// </summary>
public sealed record ReportTable(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows)
{
    /// <summary>The table as the one part of a streamed report (what the writers of parts take).</summary>
    public async IAsyncEnumerable<ReportTable> AsParts()
    {
        await Task.CompletedTask;
        yield return this;
    }
}
