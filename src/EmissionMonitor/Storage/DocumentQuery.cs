namespace EmissionMonitor.Storage;

/// <summary>
/// Which stored documents of one kind to read, newest first (by <see cref="DocumentRecord.At"/>, then
/// id): all of the kind, or only one owner's (<see cref="Mn"/>), one id, those not in a state, and a
/// page of them. Every backend answers it the same way, so a kind of record is read without code of its own.
/// </summary>
/// <param name="Kind">The kind of record (e.g. <c>order</c>).</param>
public sealed record DocumentQuery(string Kind)
{
    /// <summary>Only the documents of this owner (an outlet's MN, or what the kind keeps in that column).</summary>
    public string? Mn { get; init; }

    /// <summary>Only the document of this id.</summary>
    public string? Id { get; init; }

    /// <summary>Only the documents not in this state (e.g. notifications not <c>sent</c>).</summary>
    public string? ExceptState { get; init; }

    /// <summary>At most this many (after <see cref="Offset"/>); all by default.</summary>
    public int Limit { get; init; } = int.MaxValue;

    /// <summary>How many of the newest to pass over.</summary>
    public int Offset { get; init; }

    /// <summary>True when the query asks for <paramref name="document"/> (what a backend's local copies are filtered by).</summary>
    public bool Matches(DocumentRecord document) =>
        document.Kind == Kind && (Mn is null || document.Mn == Mn) && (Id is null || document.Id == Id) && (ExceptState is null || document.State != ExceptState);

    /// <summary>The page this query asks for out of <paramref name="documents"/> (any order): newest first, then by id.</summary>
    public List<DocumentRecord> Page(IEnumerable<DocumentRecord> documents) =>
        documents.Where(Matches).OrderByDescending(d => d.At).ThenByDescending(d => d.Id, StringComparer.Ordinal).Skip(Offset).Take(Limit).ToList();
}
